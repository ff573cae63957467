"""One budget table's grid → columns and rows (codes joined from 类/款/项, label columns,
two-sided tables split into sides, 元 → 万元 with every printed digit kept).

Works on the plain grid of `grid.py`, so PDF, OCR and text input behave alike. Budget
tables print whole-元 amounts without decimals, so a header row is told from a data row
by its content (an amount, a code, a total label or an ordinal), never by a decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractor.core.types import Cell, SourceSpan, Table, union
from extractor.extract.rules.budget_cells import (
    compact,
    is_amount,
    printed_amount,
    repair_straddles,
    without_banners,
)
from extractor.extract.rules.grid import GridCell, grid_of, header_paths, is_code, is_column_number_row
from extractor.schemas import TableRow
from extractor.vocab import budget as vocab

_ORDINAL_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\s*[、.．](?!\d))")
_EMPTY = re.compile(vocab.EMPTY_NOTE)
_NOTE_LABEL = re.compile(vocab.NOTE_LABEL)
MAX_HEADER_ROWS = 6

# --- Header and column roles ----------------------------------------------------------------


def _starts_data(row: list[GridCell]) -> bool:
    texts = [compact(c.text) for c in row if c.text.strip()]
    if not texts:
        return False
    if is_column_number_row(row):
        return True
    if any(is_amount(t) or is_code(t) for t in texts):
        return True
    # A header may start with 合计 too (支出总表: 合计 | 基本支出 | …), but then more headers follow it.
    return (texts[0] in vocab.TOTAL_LABELS and len(texts) == 1) or bool(_ORDINAL_LABEL.match(texts[0]))


def header_rows(rows: list[list[GridCell]]) -> int:
    """Rows before the first data row; a short part with no data row is all header (a table's
    heading rows left alone at the foot of a page)."""
    for i, row in enumerate(rows[: MAX_HEADER_ROWS + 1]):
        if _starts_data(row):
            return i
    return len(rows) if len(rows) <= MAX_HEADER_ROWS else 0


@dataclass
class Columns:
    """Roles of a table's columns, split into sides (a two-sided table has two or three)."""

    segments: list[_Side] = field(default_factory=list)
    n_cols: int = 0
    header: list[list[GridCell]] = field(default_factory=list)
    """The header rows read, for a part on the next page that repeats none of them."""
    header_only: bool = False
    """The part printed header rows and nothing else."""

    @property
    def names(self) -> list[str]:
        out: list[str] = []
        for seg in self.segments:
            out += [n for _, n in seg.values if n not in out]
        return out


@dataclass
class _Side:
    code: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    values: list[tuple[int, str]] = field(default_factory=list)
    side: str | None = None


def _role(path: list[str], data: list[str]) -> str:
    if not path:
        return "value" if any(is_amount(t) for t in data) else "label"
    last = path[-1]
    if any(h in p for p in path for h in vocab.CODE_HEADERS) and (
        last in vocab.CODE_PARTS or any(h in last for h in vocab.CODE_HEADERS)
    ):
        return "code"
    if last in vocab.LINE_HEADERS:
        return "line"
    if last in vocab.NAME_HEADERS or last.endswith("名称"):
        return "label"
    texts = [t for t in data if t]
    words = sum(1 for t in texts if not is_amount(t))
    return "label" if words > len(texts) - words else "value"


def _side_name(heading: str) -> str | None:
    for word, side in vocab.SIDE_WORDS:
        if word in heading:
            return side
    return heading or None


def _strip_group_heading(seg: _Side, paths: list[list[str]]) -> None:
    """Headings over a side's label column as well as its values name the group, not the column
    (`支出/功能分类/功能科目名称` beside `支出/功能分类/金额` → `金额`); the side heading itself stays
    first, to be read as the side."""
    label_paths = [paths[c] for c in seg.labels + seg.code if paths[c]]
    if not label_paths:
        return
    lp = label_paths[0]
    for i, (col, _name) in enumerate(seg.values):
        path = paths[col]
        n = 0
        while n < min(len(lp), len(path)) - 1 and lp[n] == path[n]:
            n += 1
        if n > 1:
            seg.values[i] = (col, "/".join([path[0], *path[n:]]))


def requote(text: str) -> str:
    """`“”三公经费` (both quote marks read first) → `“三公”经费`."""
    for term in vocab.QUOTED_TERMS:
        text = text.replace(f"“”{term}", f"“{term}”")
    return text


def column_roles(rows: list[list[GridCell]], n_header: int) -> Columns:
    paths = [[requote(p) for p in path] for path in header_paths(rows, n_header)]
    n_cols = len(paths)
    sides: list[_Side] = []
    current = _Side()
    for col in range(n_cols):
        path = paths[col]
        data = [compact(r[col].text) if col < len(r) else "" for r in rows[n_header:]]
        role = _role(path, data)
        if role == "line":
            continue
        if role in ("code", "label") and current.values:
            sides.append(current)
            current = _Side()
        if role == "code":
            current.code.append(col)
        elif role == "label":
            current.labels.append(col)
        else:
            current.values.append((col, "/".join(path)))
        if current.side is None and len(path) > 1:
            current.side = path[0]
    sides.append(current)
    sides = [s for s in sides if s.values]
    for seg in sides:
        _strip_group_heading(seg, paths)
    if len(sides) > 1:
        for seg in sides:
            prefix = f"{seg.side}/" if seg.side else ""
            seg.values = [
                (c, n[len(prefix) :] if prefix and n.startswith(prefix) else n) for c, n in seg.values
            ]
            seg.side = _side_name(seg.side or "")
    else:
        for seg in sides:
            seg.side = None
    return Columns(segments=sides, n_cols=n_cols, header=[list(r) for r in rows[:n_header]])


# --- Rows -----------------------------------------------------------------------------------


@dataclass
class ParsedGrid:
    columns: list[str]
    rows: list[TableRow]
    spans: list[dict[str, SourceSpan]]
    any_value: bool
    code_spans: list[SourceSpan | None] = field(default_factory=list)
    """Where each row's code was printed, as printed (`301 2` for the code read as `30102`)."""
    note: tuple[str, SourceSpan | None] | None = None
    """An empty-table note printed in a row of the table's own frame (label removed)."""


def _code(row: list[GridCell], cols: list[int]) -> tuple[str, str]:
    """(joined code, leftover label) from the code columns: `201` `01` `02` → `2010102`; a 款 or
    项 printed without its leading zero (`301` `2`, an Excel export) is two digits (`30102`).
    A merged cell spanning several code columns counts once."""
    seen: list[str] = []
    last: object = None
    for c in cols:
        if c >= len(row):
            continue
        gc = row[c]
        text = compact(gc.text)
        if text and not (gc.cell is not None and gc.cell is last):
            seen.append(text)
        last = gc.cell
    if seen and all(p.isdigit() for p in seen):
        if len(seen) > 1:
            seen = [seen[0], *(p.zfill(2) for p in seen[1:])]
        return "".join(seen), ""
    return "", seen[0] if seen else ""


def _code_span(row: list[GridCell], cols: list[int]) -> SourceSpan | None:
    """The code's cells as printed, joined by a space (`301 2`), boxed together."""
    spans = [sp for c in cols if c < len(row) and row[c].text.strip() and (sp := row[c].span()) is not None]
    spans = [sp for n, sp in enumerate(spans) if sp not in spans[:n]]  # a merged cell counts once
    if not spans:
        return None
    boxes = [sp.bbox for sp in spans if sp.bbox and sp.page == spans[0].page]
    text = " ".join(compact(sp.text) for sp in spans)
    return SourceSpan(page=spans[0].page, bbox=union(boxes) if boxes else None, text=text)


def _label(row: list[GridCell], cols: list[int], r: int) -> str:
    """The label cells of a printed line joined by `/`; a merged cell carried down from a line
    above (a category spanning its items) and a cell spanning several columns count once."""
    out: list[str] = []
    used: list[object] = []
    for c in cols:
        if c >= len(row):
            continue
        gc = row[c]
        text = compact(gc.text)
        if not text or (gc.cell is not None and any(gc.cell is u for u in used)):
            continue
        if gc.cell is not None and gc.cell.row < r and gc.cell.row_span > 1 and out == [] and len(cols) > 1:
            used.append(gc.cell)
            continue
        used.append(gc.cell)
        if not out or out[-1] != text:
            out.append(text)
    return "/".join(out)


def _stretch(header: list[list[GridCell]], n_cols: int) -> list[list[GridCell]] | None:
    """Header rows printed over fewer, wider columns (`收入 | 支出` above four columns)."""
    width = len(header[0]) if header else 0
    if not width or n_cols % width or n_cols == width:
        return None
    k = n_cols // width
    return [[gc for gc in row for _ in range(k)] for row in header]


def _align_right(grid: list[list[GridCell]], n_cols: int) -> list[list[GridCell]]:
    """A part with fewer columns than a table that opens with code columns (its 合计 label merged
    over them) lines up with the table's value columns at the right edge."""
    return [[GridCell(text="", cell=None)] * (n_cols - len(row)) + row for row in grid]


@dataclass
class _LineRow:
    side_index: int
    row: TableRow
    spans: dict[str, SourceSpan]
    label_cells: list[Cell | None]
    code_span: SourceSpan | None = None


def _line_rows(row: list[GridCell], r: int, cols: Columns, unit: str) -> list[_LineRow]:
    """One printed line → a row per side that prints a code, a label or a value on it."""
    out: list[_LineRow] = []
    for s, seg in enumerate(cols.segments):
        code, rest = _code(row, seg.code)
        name = _label(row, seg.labels, r) or rest
        values: dict[str, Decimal | None] = {}
        spans: dict[str, SourceSpan] = {}
        for c, col_name in seg.values:
            gc = row[c] if c < len(row) else None
            values[col_name] = amount = printed_amount(gc.text, unit) if gc and gc.text else None
            span = gc.span() if gc else None
            if amount is not None and span is not None:
                spans[col_name] = span
        if not code and not name and all(v is None for v in values.values()):
            continue
        model = TableRow(code=code or None, name=name or None, side=seg.side, values=values)
        cells = [row[c].cell for c in seg.labels if c < len(row) and row[c].text.strip()]
        code_span = _code_span(row, seg.code) if code else None
        out.append(_LineRow(side_index=s, row=model, spans=spans, label_cells=cells, code_span=code_span))
    return out


def _merge_full_width(line: list[_LineRow]) -> list[_LineRow]:
    """A full-width line (its label spans both groups of one side, 支出合计 under 功能分类 and
    支出用途) is one row: the later group's values merge into the first."""
    kept: list[_LineRow] = []
    for item in line:
        earlier = next(
            (
                k
                for k in kept
                if k.row.side == item.row.side
                and any(c is u for c in item.label_cells for u in k.label_cells)
            ),
            None,
        )
        if earlier is None:
            kept.append(item)
            continue
        merged = {k: v if v is not None else item.row.values.get(k) for k, v in earlier.row.values.items()}
        merged.update({k: v for k, v in item.row.values.items() if k not in merged})
        earlier.row = earlier.row.model_copy(update={"values": merged})
        earlier.spans = {**item.spans, **earlier.spans}
        earlier.code_span = earlier.code_span or item.code_span
    return kept


def parse_rows(table: Table, unit: str, columns: Columns | None = None) -> tuple[Columns, ParsedGrid]:
    """Rows of one part of a table. A part without its own header reuses `columns` (the table's
    columns so far); a part after one that printed only header rows takes those rows first."""
    grid = without_banners(repair_straddles(grid_of(table)))
    n_header = header_rows(grid)
    lead_rows = 0
    if columns is not None and n_header == 0:
        cols = columns
        starts_with_code = bool(
            columns.segments and columns.segments[0].code and columns.segments[0].code[0] == 0
        )
        if grid and len(grid[0]) < columns.n_cols and starts_with_code:
            grid = _align_right(grid, columns.n_cols)
    elif columns is not None and columns.header_only:
        lead = _stretch(columns.header, len(grid[0]) if grid else 0)
        if lead is not None:
            grid, lead_rows = lead + grid, len(lead)
            n_header += lead_rows
        cols = column_roles(grid, n_header)
    else:
        cols = column_roles(grid, n_header)
    cols.header_only = bool(grid) and n_header == len(grid)
    per_side: list[list[_LineRow]] = [[] for _ in cols.segments]
    note: tuple[str, SourceSpan | None] | None = None
    for r, row in enumerate(grid[n_header:], start=n_header):
        first_cell = next((c for c in row if c.text.strip()), None)
        first = compact(first_cell.text) if first_cell else ""
        if first.startswith(("注", "说明")) and not is_amount(first):
            if note is None and _EMPTY.search(first):
                note = (_NOTE_LABEL.sub("", first), first_cell.span() if first_cell else None)
            continue
        if is_column_number_row(row):
            continue
        for item in _merge_full_width(_line_rows(row, r - lead_rows, cols, unit)):
            per_side[item.side_index].append(item)
    items = [item for side in per_side for item in side]
    return cols, ParsedGrid(
        columns=cols.names,
        rows=[i.row for i in items],
        spans=[i.spans for i in items],
        any_value=any(v is not None for i in items for v in i.row.values.values()),
        note=note,
        code_spans=[i.code_span for i in items],
    )
