"""Build the sample PDFs (samples/pdf and samples/scan) from the seed texts.

Each seed in ``../shared/seeds/*.txt`` (a published report as text; tables are
tab-separated lines) becomes

* ``samples/pdf/<stem>.pdf`` -- a born-digital PDF laid out like the published
  original: DOCX written with python-docx, converted by LibreOffice headless;
* ``samples/scan/<stem>.pdf`` -- an image-only "scan" of that PDF (every page
  rasterised, tilted, noised, blurred and JPEG-compressed; no text layer).

Prerequisites
-------------
* Debian packages: ``libreoffice-writer-nogui fonts-noto-cjk``
  (``soffice`` on PATH; fonts "Noto Serif CJK SC" and "Noto Sans CJK SC").
* Python packages: ``python-docx pymupdf pillow numpy``.

Usage
-----
``python samples/build/build_samples.py [--seeds DIR] [--out samples] [--only NAME]``

``--seeds`` defaults to ``../shared/seeds`` next to the repository root,
``--out`` to ``samples`` in the repository; ``--only`` takes a seed stem or a
prefix of it (``002``). The intermediate DOCX files go to ``samples/build/_work/``.

What the build does with the seed text
--------------------------------------
* Conversion artefacts are dropped: ``[bookmark: ...]``, page footers such as
  ``—1—``, ``<p>``/``</p>``/``<ol>`` tags inside cells (paragraph boundaries
  become line breaks in the cell), the ``- `` list marker at the start of TOC
  lines; ``**bold**`` markers become bold runs.
* Every block of consecutive tab-separated lines is one ruled Word table (blocks
  separated only by blank lines are the same table), as many columns as the
  widest row; columns that are empty in every row at the right edge are dropped.
* 公开NN表: title, 公开NN表, 部门 / 金额单位 once above the table, 注 once below.
  A table printed again in the seed (same 公开NN表, repeated header) is one Word
  table; the repeated header rows are dropped and the header rows are marked
  "repeat as header row", so LibreOffice repeats them on every page. Only the
  header rows get merged cells: a non-empty header cell absorbs the empty cells
  to its right, unless the cell above an empty cell is a single-column header,
  in which case that header is merged downwards. Body cells are never merged.
* Forms (every other table): an empty cell in the first column below a
  non-empty one is merged into it (a label printed once for several rows), and
  a row's last non-empty cell is widened over the empty cells after it.
  Performance forms (header 一级指标/二级指标; label rows 项目资金（万元）,
  年度预算申请, 年度总体目标, 绩效指标) also get:

  - in the funds block, a row whose first cell holds text that belongs in the
    second column (``其他资金``) is shifted right by one; a funds header whose
    column labels start in column 1 is shifted so 年初预算数 stands above the
    amounts;
  - each indicator row is re-aligned around its (分值, 得分) pair -- the last two
    adjacent numeric cells: the two non-empty cells before them are 年度指标值
    and 实际完成值, the remaining labels fill the label columns from the right
    (三级, 二级), except ``绩效指标`` (column 0) and a level-1 label such as
    ``满意度 指标 (10分)`` (一级指标 column). This undoes the seed rows that lost
    their merged label cells in conversion. An indicator row without such a pair
    is only shifted right by one when a level-1 label stands in column 0;
  - carried-down blanks in the 一级指标 and 二级指标 columns are merged vertically;
  - instead of the last-cell rule: every non-empty cell absorbs the empty cells
    to its right (项目支出名称, 主管部门 | 实施单位, 年度总体目标, …), except in the
    funds header, the amount rows and the indicator rows; in the 总分 row only
    the 总分 label is widened.
* Each 第N部分, each 附件 and each stand-alone form or project report starts on a
  new page; each 公开NN表 too. 公开NN表 with 7 or more columns go into a
  landscape section. Page numbers ``— N —`` in the footer; the
  部门决算 also has a running header and a cover page without them.
* A line that continues the previous body paragraph (the previous line has no
  closing punctuation and the line is no heading) is joined to it: the seeds
  break paragraphs where the original's pages broke.

Scans: 170 dpi, grayscale, tilt ±0.3°–1.2° (white fill), grey levels squeezed to
18–250 (paper is not white, toner not black), Gaussian noise σ=5,
Gaussian blur radius 0.6, JPEG quality 60, one image per page on a page the size
of the original page. The random generator is seeded from the file name and page
number, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pymupdf
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parents[2]
WORK = Path(__file__).resolve().parent / "_work"

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

A4_W, A4_H = 21.0, 29.7  # cm
PORTRAIT_MARGINS = (2.54, 2.54, 2.8, 2.8)  # top, bottom, left, right (cm)
LANDSCAPE_MARGINS = (2.2, 2.2, 2.54, 2.54)
HEADER_DISTANCE = 1.2  # cm; keeps header and footer inside the top/bottom 9 % of the page
FOOTER_DISTANCE = 1.1

CELL_MARGIN_CM = 0.12  # left and right cell margins of every table

SCAN_DPI = 170
SCAN_JPEG_QUALITY = 60
SCAN_NOISE_SIGMA = 5.0
SCAN_BLUR_RADIUS = 0.6
SCAN_MIN_ANGLE, SCAN_MAX_ANGLE = 0.3, 1.2

# ---------------------------------------------------------------------------
# Text clean-up
# ---------------------------------------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTER_LINE = re.compile(r"^\s*[—–\-－]+\s*\d{1,4}\s*[—–\-－]+\s*$")
_OL_OPEN = re.compile(r"<ol[^>]*>")
_ITEM_NUMBER = re.compile(r"\s+(?=\d{1,2}\.\s)")
_TAGS = re.compile(r"</?(p|ol|ul|li|br)\b[^>]*>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def clean_line(line: str) -> str | None:
    """The line without conversion artefacts; None when the whole line is one (a page footer)."""
    line = _BOOKMARK.sub("", line).rstrip("\r")
    if _FOOTER_LINE.match(line):
        return None
    if "\t" not in line:
        line = re.sub(r"^\s*-\s+", "", line)
        if not line.strip():
            return ""
    return line


def clean_cell(text: str) -> str:
    """Cell text: HTML paragraph/list tags become line breaks, then whitespace at the ends goes."""
    if "<" not in text:
        return text.strip()
    text = re.sub(r"</p>\s*<p>", "\n", text)
    parts = _OL_OPEN.split(text)  # list items ("1. … 2. …") each on a line of their own
    text = parts[0] + "".join("\n" + _ITEM_NUMBER.sub("\n", p) for p in parts[1:])
    text = _TAGS.sub("\n", text)
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def display_width(text: str) -> float:
    """Rough width in em: CJK and full-width characters 1, others 0.55."""
    longest = max((ln for ln in text.split("\n")), key=len, default="")
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in longest)


_NUMBER = re.compile(r"^-?[\d,]*\d(\.\d+)?$")
_AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$")


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


# ---------------------------------------------------------------------------
# Document model
# ---------------------------------------------------------------------------


@dataclass
class Para:
    text: str
    kind: str  # cover, title, part, subtitle, toc_head, toc_part, toc, h1, h2, h3, body, attach, meta, note
    page_break: bool = False


@dataclass
class Merge:
    r0: int
    c0: int
    r1: int
    c1: int


@dataclass
class TableItem:
    rows: list[list[str]]
    kind: str  # fin, perf, form
    header_rows: int = 0
    merges: list[Merge] = field(default_factory=list)
    font_pt: float = 10.0
    min_row_cm: float = 0.6
    landscape: bool = False


@dataclass
class FinTable:
    title: str
    table_id: str
    meta: list[str]
    table: TableItem
    notes: list[str]


Item = Para | TableItem | FinTable

_CN_NUM = "一二三四五六七八九十"
_PART = re.compile(rf"^第[{_CN_NUM}]+部分")
_TABLE_ID = re.compile(r"^公开\d{2}表$")
_ATTACH = re.compile(r"^附\s*件\s*\d+(-\d+)?$")
_DOC_TITLE = re.compile(r"^\d{4}\s*年度.{2,40}(报告|表)$")
_H1 = re.compile(rf"^[{_CN_NUM}]+、")
_H2 = re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")
_H3 = re.compile(r"^([（(]\s*\d+\s*[)）]|\d+\s*[、．]|\d+\.(?!\d))")
_TERMINAL = tuple("。；;：:！!？?…”）)》」】")
_NOTE_CONT = re.compile(r"^\s*\d+\s*[.．、]\s*\S")


def heading_kind(text: str) -> str | None:
    t = text.strip()
    if re.search(r"[：:]\s*\S", t):
        return None  # an inline heading followed by its text is a paragraph
    if _H1.match(t) and len(t) <= 40 and not ("，" in t or "," in t):
        return "h1"
    if _H2.match(t) and len(t) <= 40 and not ("，" in t or "," in t):
        return "h2"
    if _H3.match(t) and len(t) <= 25 and not t.endswith(_TERMINAL) and "，" not in t:
        return "h3"
    return None


def is_heading_like(text: str) -> bool:
    t = text.strip()
    return bool(
        heading_kind(t)
        or _PART.match(t)
        or _ATTACH.match(t)
        or _TABLE_ID.match(t)
        or _H1.match(t)
        or _H2.match(t)
        or _H3.match(t)
        or re.match(r"^[一二三四五六七八九十]是", t)
        or re.match(r"^[a-z]\s", t)
    )


# ---------------------------------------------------------------------------
# Parsing the seed text into items
# ---------------------------------------------------------------------------


@dataclass
class RawTable:
    rows: list[list[str]]


RawBlock = str | RawTable


def raw_blocks(text: str) -> list[RawBlock]:
    """Lines and tables; a table is a run of tab lines, blank lines inside a run are dropped."""
    lines = [c for c in (clean_line(ln) for ln in text.split("\n")) if c is not None]
    blocks: list[RawBlock] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            blocks.append(lines[i])
            i += 1
            continue
        rows: list[list[str]] = []
        while i < len(lines):
            if "\t" in lines[i]:
                rows.append([clean_cell(c) for c in lines[i].split("\t")])
                i += 1
                continue
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and "\t" in lines[j] and j > i:
                i = j  # the same table continues after blank lines
                continue
            break
        blocks.append(RawTable(rows))
    return blocks


def header_count(rows: Sequence[Sequence[str]]) -> int:
    """Header rows of a 公开NN表: up to the 栏次 row or the column-number row, else the rows without numbers."""
    for r, row in enumerate(rows[:5]):
        cells = [c for c in row if c.strip()]
        if row and norm(row[0]).startswith("栏次"):
            return r + 1
        if (
            len(cells) >= 3
            and all(c.isdigit() for c in cells)
            and [int(c) for c in cells] == list(range(1, len(cells) + 1))
        ):
            return r + 1
    n = 0
    for row in rows:
        if any(is_number(c) for c in row):
            break
        n += 1
    return n


def merge_target_rows(rows: Sequence[Sequence[str]], n_header: int) -> int:
    """Header rows that may carry merged cells: those above the 栏次 / column-number row."""
    for r in range(n_header):
        cells = [c for c in rows[r] if c.strip()]
        if norm(rows[r][0]).startswith("栏次") or (cells and all(c.isdigit() for c in cells)):
            return r
    return n_header


def header_merges(rows: Sequence[Sequence[str]], n: int) -> list[Merge]:
    """Merged cells of the first n header rows (see the module docstring)."""
    ncols = len(rows[0]) if rows else 0
    owner: dict[tuple[int, int], list[int]] = {}  # (r, c) -> [r0, c0, r1, c1] of the cell covering it
    spans: list[list[int]] = []
    for r in range(n):
        row = rows[r]
        c = 0
        while c < ncols:
            text = row[c].strip() if c < len(row) else ""
            if text:
                span = [r, c, r, c]
                spans.append(span)
                owner[(r, c)] = span
                c += 1
                continue
            above = owner.get((r - 1, c)) if r > 0 else None
            if above is not None and above[1] == c:
                width = above[3] - above[1] + 1
                if all(not (row[k].strip() if k < len(row) else "") for k in range(c, c + width)):
                    above[2] = r
                    for k in range(c, c + width):
                        owner[(r, k)] = above
                    c += width
                    continue
            left = owner.get((r, c - 1)) if c > 0 else None
            if left is not None and left[0] == r and left[2] == r:
                left[3] = c
                owner[(r, c)] = left
            c += 1
    return [Merge(*s) for s in spans if s[2] > s[0] or s[3] > s[1]]


def pad(rows: list[list[str]]) -> list[list[str]]:
    """Rows of equal length; columns empty in every row at the right edge are dropped."""
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    while ncols > 1 and all(not r[ncols - 1].strip() for r in rows):
        ncols -= 1
        rows = [r[:ncols] for r in rows]
    return rows


_LEVEL1 = re.compile(r"(产出|效益|成本|满意度)(指标)?([(（].*[)）])?")
_FUND_LINE = re.compile(r"年度资金总额|当年财政拨款|上年结转资金|其他资金")


def is_perf_form(rows: Sequence[Sequence[str]]) -> bool:
    for row in rows:
        if any(norm(c) in ("一级指标", "二级指标") for c in row):
            return True
        if row and norm(row[0]).startswith(("项目资金", "年度预算申请", "年度总体目标", "绩效指标")):
            return True
    return False


def _shift_right(row: list[str], by: int = 1) -> list[str]:
    out = [""] * by + row
    for _ in range(by):
        if out and not out[-1].strip():
            out.pop()
    return out


def _last_numeric_pair(row: Sequence[str]) -> int | None:
    found = None
    for i in range(len(row) - 1):
        if is_number(row[i]) and is_number(row[i + 1]):
            found = i
    return found


def _realign_indicator(row: list[str], anchor: int) -> list[str]:
    i = _last_numeric_pair(row)
    if i is None:
        if row and row[0].strip() and _LEVEL1.fullmatch(norm(row[0])):
            return _shift_right(row)
        return row
    before = [c for c in row[:i] if c.strip()]
    if len(before) < 2 or anchor < 4:
        return row
    target, actual = before[-2], before[-1]
    labels = before[:-2]
    slots = [""] * (anchor - 2)
    if labels and norm(labels[0]) == "绩效指标":
        slots[0] = labels.pop(0)
    first_free = 1
    if labels and _LEVEL1.fullmatch(norm(labels[0])) and len(slots) > 1:
        slots[1] = labels.pop(0)
        first_free = 2
    free = len(slots) - first_free
    if len(labels) > free:
        return row
    for k, label in enumerate(labels):
        slots[len(slots) - len(labels) + k] = label
    note = "\n".join(c for c in row[i + 2 :] if c.strip())
    return [*slots, target, actual, row[i], row[i + 1], note]


def normalise_perf_form(rows: list[list[str]]) -> tuple[list[list[str]], dict[int, str]]:
    """Re-align a performance form's rows; returns the rows and each row's role."""
    out: list[list[str]] = []
    roles: dict[int, str] = {}
    state = "top"
    anchor = 6
    for row in rows:
        row = list(row)
        first = norm(row[0]) if row else ""
        role = state
        if first.startswith(("项目资金", "年度预算申请")):
            state, role = "funds", "funds_head"
            if len(row) > 1 and row[1].strip():
                row.insert(1, "")
        elif first.startswith("年度总体目标"):
            state, role = "goal", "goal"
        elif any(norm(c) == "一级指标" for c in row):
            state, role = "indicators", "ind_head"
            anchor = next((k for k, c in enumerate(row) if norm(c) == "分值"), anchor)
        elif first.startswith("总分"):
            state, role = "total", "total"
            i = _last_numeric_pair(row)
            if i is not None and i < anchor and not any(c.strip() for c in row[1:i]):
                row = [row[0]] + [""] * (anchor - 1) + row[i:]
        elif state == "funds":
            role = "funds"
            if first:
                row = _shift_right(row)
        elif state == "indicators":
            role = "indicator"
            row = _realign_indicator(row, anchor)
        roles[len(out)] = role
        out.append(row)
    return out, roles


def form_merges(rows: list[list[str]], roles: dict[int, str] | None) -> list[Merge]:
    """Merged cells of a form (see the module docstring)."""
    merges: list[Merge] = []
    nrows, ncols = len(rows), len(rows[0])
    covered: set[tuple[int, int]] = set()

    def vertical(col: int, rows_ok: Iterable[int], breaks: set[int]) -> None:
        ok = sorted(rows_ok)
        okset = set(ok)
        r = 0
        while r < nrows:
            if r in okset and rows[r][col].strip():
                r1 = r
                while r1 + 1 in okset and not rows[r1 + 1][col].strip() and r1 + 1 not in breaks:
                    if col > 0 and not any(c.strip() for c in rows[r1 + 1][col + 1 :]):
                        break
                    r1 += 1
                if r1 > r:
                    merges.append(Merge(r, col, r1, col))
                    covered.update((k, col) for k in range(r, r1 + 1))
                r = r1 + 1
            else:
                r += 1

    vertical(0, range(nrows), set())
    if roles is not None:
        ind = {r for r, role in roles.items() if role == "indicator"}
        vertical(1, ind, set())  # 一级指标
        vertical(2, ind, {r for r in ind if rows[r][1].strip()})  # 二级指标, within its 一级指标

    for r in range(nrows):
        role = roles.get(r, "top") if roles is not None else "top"
        if role in ("indicator", "ind_head", "funds_head"):
            continue
        if role == "funds" and (
            any(is_number(c) for c in rows[r])
            or _FUND_LINE.search(next((c for c in rows[r] if c.strip()), ""))
        ):
            continue
        if roles is None:  # plain forms: only the last cell of a row is widened over the empty cells after it
            last = max((k for k, cell in enumerate(rows[r]) if cell.strip()), default=ncols - 1)
            if last < ncols - 1 and (r, last) not in covered:
                merges.append(Merge(r, last, r, ncols - 1))
            continue
        c = 0
        while c < ncols:
            if rows[r][c].strip() and (r, c) not in covered:
                c1 = c
                while c1 + 1 < ncols and not rows[r][c1 + 1].strip() and (r, c1 + 1) not in covered:
                    c1 += 1
                if role == "total" and c > 0:
                    c1 = c
                if c1 > c:
                    merges.append(Merge(r, c, r, c1))
                c = c1 + 1
            else:
                c += 1
    return merges


def make_form(rows: list[list[str]]) -> TableItem:
    if is_perf_form(rows):
        rows, roles = normalise_perf_form(rows)
        rows = pad(rows)
        return TableItem(rows, "perf", merges=form_merges(rows, roles), font_pt=9.0, min_row_cm=0.62)
    rows = pad(rows)
    font = 10.5 if len(rows[0]) <= 4 else 10.0
    return TableItem(rows, "form", merges=form_merges(rows, None), font_pt=font, min_row_cm=0.7)


def make_fin(rows: list[list[str]]) -> TableItem:
    rows = pad(rows)
    n = header_count(rows)
    merges = header_merges(rows, merge_target_rows(rows, n))
    wide = len(rows[0]) >= 7
    return TableItem(
        rows,
        "fin",
        header_rows=n,
        merges=merges,
        font_pt=9.0 if wide else 10.0,
        min_row_cm=0.75 if wide else 0.8,
        landscape=wide,
    )


def parse(text: str) -> list[Item]:
    blocks = raw_blocks(text)
    items: list[Item] = []
    fin_by_id: dict[str, FinTable] = {}
    i = 0
    n = len(blocks)

    def next_text(k: int) -> tuple[int, str] | None:
        while k < n:
            b = blocks[k]
            if isinstance(b, RawTable):
                return None
            if b.strip():
                return k, b.strip()
            k += 1
        return None

    # title block at the top: the first non-blank lines
    while i < n and isinstance(blocks[i], str) and not str(blocks[i]).strip():
        i += 1
    title_lines: list[str] = []
    while i < n and isinstance(blocks[i], str) and str(blocks[i]).strip() and len(title_lines) < 3:
        title_lines.append(str(blocks[i]).strip())
        i += 1
    nxt = next_text(i)
    cover = nxt is not None and norm(nxt[1]) == "目录"
    items.extend(Para(t, "cover" if cover else "title") for t in title_lines)

    in_toc = False
    after_part = False
    after_title = False
    while i < n:
        b = blocks[i]
        if isinstance(b, RawTable):
            items.append(make_form(b.rows))
            after_part = after_title = False
            i += 1
            continue
        line = b.strip()
        i += 1
        if not line:
            continue
        nxt = next_text(i)
        if norm(line) == "目录":
            items.append(Para(line, "toc_head", page_break=True))
            in_toc = True
            continue
        if in_toc:
            if _PART.match(line) and norm(line) == norm(_PART.match(line).group(0)):  # type: ignore[union-attr]
                in_toc = False
            else:
                items.append(Para(line, "toc_part" if _PART.match(line) else "toc"))
                continue
        if _PART.match(line):
            items.append(Para(line, "part", page_break=True))
            after_part = True
            continue
        if after_part:
            items.append(Para(line, "subtitle"))
            after_part = False
            continue
        if nxt is not None and _TABLE_ID.match(nxt[1]):
            # a 公开NN表: title, id, 部门, 金额单位, table, notes
            table_id = nxt[1]
            i = nxt[0] + 1
            meta: list[str] = []
            while (m := next_text(i)) is not None and re.match(r"^(部门|金额单位|单位)[：:]", m[1]):
                meta.append(m[1])
                i = m[0] + 1
            while i < n and isinstance(blocks[i], str) and not str(blocks[i]).strip():
                i += 1
            rows = blocks[i].rows if i < n and isinstance(blocks[i], RawTable) else []  # type: ignore[union-attr]
            i += 1
            notes: list[str] = []
            m = next_text(i)
            if m is not None and m[1].startswith("注"):
                notes.append(m[1])
                i = m[0] + 1
                while (m := next_text(i)) is not None and _NOTE_CONT.match(m[1]):
                    notes.append(m[1])
                    i = m[0] + 1
            if table_id in fin_by_id:
                fin = fin_by_id[table_id]
                first = fin.table.rows
                skip = 0
                while (
                    skip < min(len(rows), len(first))
                    and [norm(c) for c in rows[skip]] == [norm(c) for c in first[skip]][: len(rows[skip])]
                ):
                    skip += 1
                fin.table = make_fin(first + [list(r) for r in rows[skip:]])
                fin.notes = notes or fin.notes
            else:
                fin = FinTable(line, table_id, meta, make_fin([list(r) for r in rows]), notes)
                fin_by_id[table_id] = fin
                items.append(fin)
            after_title = False
            continue
        if _ATTACH.match(line):
            items.append(Para(line, "attach", page_break=True))
            after_title = True
            continue
        if _DOC_TITLE.match(line):
            prev = items[-1] if items else None
            broke = isinstance(prev, Para) and prev.kind in ("attach", "part", "subtitle")
            items.append(Para(line, "title", page_break=not broke))
            after_title = True
            continue
        if after_title and (
            line.startswith("单位名称") or re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line)
        ):
            items.append(Para(line, "meta"))
            continue
        after_title = False
        kind = heading_kind(line)
        prev = items[-1] if items else None
        if (
            kind is None
            and isinstance(prev, Para)
            and prev.kind == "body"
            and len(prev.text) >= 20
            and not prev.text.rstrip().endswith(_TERMINAL)
            and not is_heading_like(line)
        ):
            prev.text = prev.text.rstrip() + line
            continue
        items.append(Para(line, kind or "body"))
    return items


# ---------------------------------------------------------------------------
# DOCX writing
# ---------------------------------------------------------------------------


def set_run_font(
    run_rpr_owner: object, name: str, size: float | None = None, bold: bool | None = None
) -> None:
    font = run_rpr_owner.font  # type: ignore[attr-defined]
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_rpr_owner.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def add_runs(par: Paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
    """Runs for text with **bold** markers and line breaks."""
    pos = 0
    pieces: list[tuple[str, bool]] = []
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos : m.start()], bold))
        pieces.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], bold))
    for piece, is_bold in pieces:
        for k, chunk in enumerate(piece.split("\n")):
            if k:
                par.add_run().add_break()
            if chunk:
                run = par.add_run(chunk)
                set_run_font(run, font, size, is_bold)


def fmt(
    par: Paragraph,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_indent: float = 0.0,
    before: float = 0.0,
    after: float = 0.0,
    line: float | None = None,
    keep_next: bool = False,
    page_break: bool = False,
) -> None:
    pf = par.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(first_indent) if first_indent else None
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    pf.keep_with_next = keep_next
    if page_break:
        pf.page_break_before = True


def add_field(par: Paragraph, instr: str, font: str, size: float) -> None:
    def run_with(el: BaseOxmlElement) -> None:
        run = par.add_run()
        set_run_font(run, font, size)
        run._r.append(el)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run_with(text)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    shown = par.add_run("1")
    set_run_font(shown, font, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def set_page(section: Section, landscape: bool) -> None:
    top, bottom, left, right = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Cm(A4_H if landscape else A4_W)
    section.page_height = Cm(A4_W if landscape else A4_H)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance = Cm(HEADER_DISTANCE)
    section.footer_distance = Cm(FOOTER_DISTANCE)


def usable_width_cm(landscape: bool) -> float:
    _, _, left, right = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    return (A4_H if landscape else A4_W) - left - right


class Writer:
    def __init__(self, running_header: str | None, cover: bool) -> None:
        self.doc: DocxDocument = Document()
        self.landscape = False
        self.want_landscape = False
        self.fresh_page = True
        self.break_pending = False
        styles = self.doc.styles
        normal = styles["Normal"]
        set_run_font(normal, SERIF, 12)
        normal.paragraph_format.space_after = Pt(0)
        section = self.doc.sections[0]
        set_page(section, False)
        if cover:
            section.different_first_page_header_footer = True
            section.first_page_header.paragraphs[0].text = ""
            section.first_page_footer.paragraphs[0].text = ""
        if running_header:
            hp = section.header.paragraphs[0]
            add_runs(hp, running_header, SERIF, 9)
            fmt(hp, align=WD_ALIGN_PARAGRAPH.RIGHT)
            for run in hp.runs:
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            self._bottom_border(hp)
        fp = section.footer.paragraphs[0]
        fmt(fp, align=WD_ALIGN_PARAGRAPH.CENTER)
        add_runs(fp, "— ", SERIF, 10.5)
        add_field(fp, "PAGE", SERIF, 10.5)
        add_runs(fp, " —", SERIF, 10.5)

    @staticmethod
    def _bottom_border(par: Paragraph) -> None:
        ppr = par._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "777777")):
            bottom.set(qn(k), v)
        borders.append(bottom)
        ppr.append(borders)

    # -- page control ---------------------------------------------------------

    def new_page(self, landscape: bool | None = None) -> None:
        """The next block starts on a new page, in a new section when it wants the other orientation."""
        self.break_pending = True
        if landscape is not None:
            self.want_landscape = landscape

    def _place(self) -> bool:
        """Apply a pending page or section break; True when the next paragraph must break the page."""
        if self.want_landscape != self.landscape:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            section.different_first_page_header_footer = False
            set_page(section, self.want_landscape)
            self.landscape = self.want_landscape
            self.fresh_page = True
        brk = self.break_pending and not self.fresh_page
        self.break_pending = False
        return brk

    def paragraph(self, text: str, font: str, size: float, bold: bool = False, **kw: object) -> Paragraph:
        brk = self._place()
        par = self.doc.add_paragraph()
        add_runs(par, text, font, size, bold)
        fmt(par, page_break=brk, **kw)  # type: ignore[arg-type]
        self.fresh_page = False
        return par

    # -- items ------------------------------------------------------------------

    def para(self, p: Para) -> None:
        c = WD_ALIGN_PARAGRAPH.CENTER
        if p.page_break or p.kind in ("part", "toc_head"):
            self.new_page(False)
        k = p.kind
        if k == "cover":
            first = not any(par.text for par in self.doc.paragraphs)
            self.paragraph(p.text, SANS, 26, True, align=c, before=160 if first else 12, after=12, line=1.3)
        elif k == "title":
            self.paragraph(p.text, SANS, 18, True, align=c, before=6, after=12, line=1.3, keep_next=True)
        elif k == "part":
            self.paragraph(p.text, SANS, 18, True, align=c, before=24, after=6, keep_next=True)
        elif k == "subtitle":
            self.paragraph(p.text, SANS, 16, True, align=c, before=6, after=18, keep_next=True)
        elif k == "toc_head":
            self.paragraph(p.text, SANS, 18, True, align=c, before=12, after=18)
        elif k == "toc_part":
            self.paragraph(p.text, SANS, 13, True, before=8, after=2, line=1.4)
        elif k == "toc":
            self.paragraph(p.text, SERIF, 12, first_indent=24, line=1.4)
        elif k == "attach":
            self.paragraph(p.text, SANS, 14, True, after=6, keep_next=True)
        elif k == "meta":
            self.paragraph(p.text, SERIF, 14, align=c, before=6, after=6)
        elif k == "h1":
            self.paragraph(
                p.text, SANS, 14, True, first_indent=28, before=8, after=4, line=1.5, keep_next=True
            )
        elif k in ("h2", "h3"):
            self.paragraph(
                p.text, SERIF, 12, True, first_indent=24, before=4, after=2, line=1.5, keep_next=True
            )
        else:
            self.paragraph(p.text, SERIF, 12, first_indent=24, line=1.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def fin(self, f: FinTable) -> None:
        self.new_page(f.table.landscape)
        width = usable_width_cm(f.table.landscape)
        self.paragraph(
            f.title, SANS, 16, True, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=4, keep_next=True
        )
        self.paragraph(f.table_id, SERIF, 10, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_next=True)
        if f.meta:
            par = self.paragraph("\t".join(f.meta), SERIF, 10, keep_next=True, after=3)
            par.paragraph_format.tab_stops.add_tab_stop(Cm(width), WD_TAB_ALIGNMENT.RIGHT)
        self.table(f.table)
        for k, note in enumerate(f.notes):
            self.paragraph(note, SERIF, 9, before=4 if k == 0 else 0, line=1.2)

    def table(self, t: TableItem) -> None:
        rows = t.rows
        nrows, ncols = len(rows), len(rows[0])
        if self.break_pending or self.want_landscape != self.landscape:
            self.paragraph("", SERIF, 6)  # carries the page break in front of the table
        table: Table = self.doc.add_table(rows=nrows, cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(round(CELL_MARGIN_CM / 2.54 * 1440)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)
        widths = column_widths(t, usable_width_cm(self.landscape))
        for c, w in enumerate(widths):
            table.columns[c].width = Cm(w)
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for m in t.merges:
            for r in range(m.r0, m.r1 + 1):
                for c in range(m.c0, m.c1 + 1):
                    covered[(r, c)] = (m.r0, m.c0)
        for m in t.merges:
            table.cell(m.r0, m.c0).merge(table.cell(m.r1, m.c1))
        for r, row_obj in enumerate(table.rows):
            row_obj.height = Cm(t.min_row_cm)
            row_obj.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            trpr = row_obj._tr.get_or_add_trPr()
            if r < t.header_rows:
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                trpr.append(el)
            if sum(len(c) for c in rows[r]) < 300:
                el = OxmlElement("w:cantSplit")
                el.set(qn("w:val"), "true")
                trpr.append(el)
        for r in range(nrows):
            for c in range(ncols):
                if covered.get((r, c), (r, c)) != (r, c):
                    continue
                cell = table.cell(r, c)
                span = next((m for m in t.merges if (m.r0, m.c0) == (r, c)), None)
                cw = sum(widths[c : (span.c1 if span else c) + 1])
                cell.width = Cm(cw)
                self.fill(cell, rows[r][c], t, r, c)
        self.fresh_page = False

    def fill(self, cell: _Cell, text: str, t: TableItem, r: int, c: int) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        par = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        header = r < t.header_rows
        if t.kind == "fin":  # amounts right, codes and line numbers centred, labels left
            if header or norm(text) in ("合计", "总计") or norm(text).startswith("栏次"):
                align = WD_ALIGN_PARAGRAPH.CENTER
            elif _AMOUNT.match(text.strip()):
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif is_number(text):
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
        else:  # forms: short entries centred, running text left
            short = len(text) <= 14 and "\n" not in text
            align = WD_ALIGN_PARAGRAPH.CENTER if short else WD_ALIGN_PARAGRAPH.LEFT
        add_runs(par, text, SANS, t.font_pt, bold=header and t.kind == "fin")
        fmt(par, align=align, line=1.1)

    def item(self, it: Item) -> None:
        if isinstance(it, Para):
            self.para(it)
        elif isinstance(it, FinTable):
            self.fin(it)
            self.new_page(False)
        else:
            self.table(it)


FORM_WIDTHS: dict[tuple[str, int], list[float]] = {
    # 绩效指标, 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
    ("perf", 9): [1.4, 1.8, 1.9, 2.6, 1.9, 1.9, 1.7, 1.2, 1.7],
    # 项目支出绩效自评报告: 部门概况 | 专项名称 | text
    ("form", 3): [2.3, 3.3, 9.8],
}


def column_widths(t: TableItem, total: float) -> list[float]:
    """Column widths (cm): no number or Latin word is broken, the rest shared by text length."""
    ncols = len(t.rows[0])
    fixed = FORM_WIDTHS.get((t.kind, ncols))
    if fixed is not None:
        return [w * total / sum(fixed) for w in fixed]
    em = t.font_pt * 2.54 / 72
    padding = 2 * CELL_MARGIN_CM + 0.1
    spanned = {
        (r, c) for m in t.merges if m.c1 > m.c0 for r in range(m.r0, m.r1 + 1) for c in range(m.c0, m.c1 + 1)
    }
    cap = 14.0 if t.kind == "fin" else 10.0
    mins, wants = [], []
    for c in range(ncols):
        least, want = 2.0, 2.0
        for r, row in enumerate(t.rows):
            if (r, c) in spanned:
                continue
            tokens = re.findall(r"[^\s\u2e80-\uffff]+", row[c])
            least = max(least, *(0.58 * len(tok) for tok in tokens)) if tokens else least
            if len(re.findall(r"[\u4e00-\u9fff]", row[c])) >= 4:
                # a column of labels is never squeezed below four characters (a form's first column: six)
                least = max(least, 6.0 if c == 0 and t.kind != "fin" else 4.0)
            width = display_width(row[c])
            want = max(want, min(width, 6.0 if r < t.header_rows else cap))
        mins.append(least * em + padding)
        wants.append(max(want, least) * em + padding)
    if sum(wants) <= total:
        return [w * total / sum(wants) for w in wants]
    if sum(mins) >= total:
        return [w * total / sum(mins) for w in mins]
    share = (total - sum(mins)) / (sum(wants) - sum(mins))
    return [m + (w - m) * share for m, w in zip(mins, wants, strict=True)]


def write_docx(items: Sequence[Item], path: Path) -> None:
    cover = any(isinstance(it, Para) and it.kind == "cover" for it in items)
    header = (
        "".join(it.text for it in items if isinstance(it, Para) and it.kind == "cover") if cover else None
    )
    w = Writer(header, cover)
    for it in items:
        w.item(it)
    path.parent.mkdir(parents=True, exist_ok=True)
    w.doc.save(str(path))


# ---------------------------------------------------------------------------
# PDF conversion and scans
# ---------------------------------------------------------------------------


def soffice_to_pdf(docs: Sequence[Path], out_dir: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("soffice not found: install libreoffice-writer-nogui (see the docstring)")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, docs),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=600)


def finish_pdf(src: Path, dst: Path, title: str) -> int:
    """Copy the LibreOffice PDF with fixed metadata and no trailer /ID; returns the page count."""
    doc = pymupdf.open(src)
    fixed = "D:20240101000000Z"
    doc.set_metadata(
        {
            "title": title,
            "author": "",
            "subject": "",
            "keywords": "",
            "creator": "Writer",
            "producer": "LibreOffice",
            "creationDate": fixed,
            "modDate": fixed,
        }
    )
    doc.xref_set_key(-1, "ID", "null")
    dst.parent.mkdir(parents=True, exist_ok=True)
    doc.save(dst, garbage=3, deflate=True, no_new_id=True)
    pages = doc.page_count
    doc.close()
    return pages


def scan_pdf(src: Path, dst: Path) -> int:
    """Image-only copy of src: each page rasterised and degraded like a scan; returns the byte size."""
    doc = pymupdf.open(src)
    out = pymupdf.open()
    for pno in range(doc.page_count):
        page = doc[pno]
        seed = int.from_bytes(hashlib.sha256(f"{src.stem}:{pno}".encode()).digest()[:8], "big")
        rng = np.random.default_rng(seed)
        pix = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
        img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        angle = float(rng.uniform(SCAN_MIN_ANGLE, SCAN_MAX_ANGLE)) * (1 if rng.random() < 0.5 else -1)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        arr = np.asarray(img, dtype=np.float32)
        arr = arr * (232.0 / 255.0) + 18.0  # paper is not white, toner not black
        arr += rng.normal(0.0, SCAN_NOISE_SIGMA, arr.shape).astype(np.float32)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
        img = img.filter(ImageFilter.GaussianBlur(SCAN_BLUR_RADIUS))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=SCAN_JPEG_QUALITY, optimize=True)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
    fixed = "D:20240101000000Z"
    out.set_metadata({"creator": "scanner", "producer": "", "creationDate": fixed, "modDate": fixed})
    dst.parent.mkdir(parents=True, exist_ok=True)
    out.save(dst, garbage=3, deflate=True, no_new_id=True)
    out.close()
    doc.close()
    return dst.stat().st_size


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--out", type=Path, default=REPO / "samples")
    ap.add_argument("--only", help="seed stem or stem prefix, e.g. 002")
    args = ap.parse_args(argv)

    seeds = sorted(args.seeds.glob("*.txt"))
    if args.only:
        seeds = [s for s in seeds if s.stem.startswith(args.only)]
    if not seeds:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    titles: dict[str, str] = {}
    docs = []
    for seed in seeds:
        items = parse(seed.read_text(encoding="utf-8"))
        first_titles: list[str] = []
        for it in items:
            if isinstance(it, Para) and it.kind in ("cover", "title"):
                first_titles.append(it.text)
            elif first_titles:
                break
        titles[seed.stem] = "".join(first_titles) or seed.stem
        path = WORK / f"{seed.stem}.docx"
        write_docx(items, path)
        docs.append(path)
        print(
            f"{seed.stem}: {sum(isinstance(i, FinTable) for i in items)} 公开表, "
            f"{sum(isinstance(i, TableItem) for i in items)} forms -> {path.relative_to(REPO)}"
        )
    soffice_to_pdf(docs, WORK)
    for seed in seeds:
        pdf = args.out / "pdf" / f"{seed.stem}.pdf"
        pages = finish_pdf(WORK / f"{seed.stem}.pdf", pdf, titles[seed.stem])
        scan = args.out / "scan" / f"{seed.stem}.pdf"
        size = scan_pdf(pdf, scan)
        print(f"{seed.stem}: {pages} pages, pdf {pdf.stat().st_size / 1e6:.2f} MB, scan {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
