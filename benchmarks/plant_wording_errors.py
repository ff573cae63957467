"""Planted wording and structure errors: rewrite a published 决算 PDF the way a careless
edit would (pymupdf redaction, then the new text written in the same place), re-extract,
and see whether the checkers flag it. Prints the share flagged and any finding the clean
file did not have; asserts nothing.

    python benchmarks/plant_wording_errors.py [PDF ...]

Each planter finds its target by a pattern of the class of error (a 截至 date, a 决算数小于
预算数 verdict, a table's 总计 cell, a standard table's title…), never by one document's
wording, so it runs on any 部门决算 PDF; a planter with no target in a file is skipped.
Default files: the 决算 of the real corpus and the born-digital samples.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.api import ExtractOptions, run  # noqa: E402
from extractor.schemas import ResultDocument  # noqa: E402

OPTIONS = ExtractOptions(ocr="never")
DEFAULT = [
    ROOT / "samples/real/pdf/shanghai_putuo_guihuaziyuan_2024_bmjs.pdf",
    *sorted((ROOT / "samples/pdf").glob("*.pdf")),
]


@dataclass(frozen=True)
class Hit:
    page: int  # 0-based
    old: str  # the printed text replaced (part of one line)
    new: str
    line: str = ""  # the whole line as printed, rewritten in one piece so reading order holds


_LINES: dict[str, list[tuple[int, str, tuple[float, float, float, float], tuple[float, float], float]]] = {}


def _line_boxes(
    doc: pymupdf.Document,
) -> list[tuple[int, str, tuple[float, float, float, float], tuple[float, float], float]]:
    """(page, text, box, origin of the first glyph, font size) of every printed line."""
    if doc.name not in _LINES:
        out = []
        for number, page in enumerate(doc):
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    spans = line["spans"]
                    text = "".join(s["text"] for s in spans)
                    if text.strip():
                        size = max(s["size"] for s in spans)
                        out.append((number, text, tuple(line["bbox"]), tuple(spans[0]["origin"]), size))
        _LINES[doc.name] = out
    return _LINES[doc.name]


def _lines(doc: pymupdf.Document) -> list[tuple[int, str]]:
    return [(n, t) for n, t, _, _, _ in _line_boxes(doc)]


def _first(
    doc: pymupdf.Document, pattern: str, make: Callable[[re.Match[str]], str], after_page: int = 0
) -> Hit | None:
    for number, text in _lines(doc):
        if number < after_page:
            continue
        m = re.search(pattern, text)
        if m:
            return Hit(number, m.group(0), make(m), text)
    return None


def _body_start(doc: pymupdf.Document) -> int:
    """The first page after the 目录 (planted errors go into the body)."""
    for number, text in _lines(doc):
        if re.sub(r"\s", "", text) == "目录":
            return number + 1
    return 0


def plant_title_placeholder(doc: pymupdf.Document) -> list[Hit]:
    # The department name in the report title becomes the template's `XX局`.
    hit = _first(
        doc,
        r"([\u4e00-\u9fff]{2,3}[市省区县])[\u4e00-\u9fff]{2,12}(局|委员会|办公室|中心)",
        lambda m: f"{m.group(1)}XX{m.group(2)}",
        _body_start(doc),
    )
    return [hit] if hit else []


def plant_heading_year(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(
        doc,
        r"((?:19|20)\d{2})(\s*年度?(?:部门|单位)(?:决算|预算))",
        lambda m: f"{int(m.group(1)) - 1}{m.group(2)}",
        _body_start(doc) + 1,
    )
    return [hit] if hit else []


def plant_deadline_year(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(doc, r"(截至|截止)\s*((?:19|20)\d{2})", lambda m: f"{m.group(1)}{int(m.group(2)) - 1}")
    return [hit] if hit else []


def plant_verdict(doc: pymupdf.Document) -> list[Hit]:
    # 决算数小于预算数 → 大于 (or the reverse): the words contradict the two amounts.
    flip = {"小于": "大于", "大于": "小于"}
    hit = _first(doc, r"决算数?(小于|大于)", lambda m: m.group(0).replace(m.group(1), flip[m.group(1)]))
    return [hit] if hit else []


def plant_equal(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(doc, r"决算数?(小于|大于)", lambda m: m.group(0).replace(m.group(1), "等于"))
    return [hit] if hit else []


def plant_doubled_stop(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(doc, r"拨款。|支出。|万元。", lambda m: m.group(0) + "。", _body_start(doc))
    return [hit] if hit else []


def plant_instruction(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(
        doc,
        r"故本表无数据。?|本表为空表。?",
        lambda m: "仍保留该表格式，并在本表下方作下述说明",
        _body_start(doc),
    )
    return [hit] if hit else []


def plant_total_zero(doc: pymupdf.Document) -> list[Hit]:
    # The grand total of the first two-sided table printed as 0.
    lines = _lines(doc)
    for i, (number, text) in enumerate(lines):
        if re.sub(r"\s", "", text) == "总计" and i + 1 < len(lines):
            nxt_page, nxt = lines[i + 1]
            m = re.search(r"\d[\d,]*\.\d{2}", nxt)
            if m and nxt_page == number:
                return [Hit(nxt_page, m.group(0), "0.00", nxt)]
    return []


def plant_blank_three_public_budget(doc: pymupdf.Document) -> list[Hit]:
    # The “三公” table's first budget cell blanked while the narrative still states it.
    lines = _lines(doc)
    for number, text in lines:
        if "三公" in text and re.search(r"决算表\s*$", text):
            cells = [t for n, t in lines if n == number and re.fullmatch(r"\s*\d[\d,]*\.\d{2}\s*", t)]
            if cells and float(cells[0].replace(",", "")) > 0:
                return [Hit(number, cells[0].strip(), "", cells[0])]
    return []


def plant_deleted_table(doc: pymupdf.Document) -> list[Hit]:
    # A standard table's title removed from the body (the 目录 still lists it).
    body = _body_start(doc)
    for number, text in _lines(doc):
        if number >= body and re.search(r"(基本支出|三公).*决算表\s*$", text):
            # The title, and the table's 公开NN表 label where one is printed.
            labels = [
                Hit(n, t.strip(), "", t)
                for n, t in _lines(doc)
                if n == number and re.search(r"公开\s*\d+\s*表", t)
            ]
            return [Hit(number, text.strip(), "", text), *labels]
    return []


def plant_placeholder_name(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(doc, r"本部门|本单位", lambda m: "（单位名称）", _body_start(doc))
    return [hit] if hit else []


def plant_repeated_word(doc: pymupdf.Document) -> list[Hit]:
    hit = _first(doc, r"主要原因", lambda m: "主要原因主要原因", _body_start(doc))
    return [hit] if hit else []


# (what is planted, how, the checks meant to flag it)
PLANTERS: list[tuple[str, Callable[[pymupdf.Document], list[Hit]], tuple[str, ...]]] = [
    ("title placeholder XX局", plant_title_placeholder, ("template.leftover",)),
    ("heading with the wrong year", plant_heading_year, ("template.year",)),
    ("截至 date with the wrong year", plant_deadline_year, ("template.year",)),
    ("小于/大于 contradicting the amounts", plant_verdict, ("wording.direction",)),
    ("等于 between different amounts", plant_equal, ("wording.direction",)),
    ("doubled punctuation 。。", plant_doubled_stop, ("wording.typography",)),
    ("template instruction text", plant_instruction, ("template.leftover",)),
    ("总计 printed as 0", plant_total_zero, ("table.blank_total", "table.balance")),
    ("三公 budget cell blanked", plant_blank_three_public_budget, ("narrative.table_amount",)),
    (
        "standard table deleted, 目录 still lists it",
        plant_deleted_table,
        ("contents.body", "complete.standard_tables"),
    ),
    ("placeholder （单位名称）", plant_placeholder_name, ("template.leftover",)),
    ("repeated words", plant_repeated_word, ("wording.typography",)),
]


def apply(pdf: Path, hits: list[Hit], out: Path) -> bool:
    doc = pymupdf.open(pdf)
    boxes = _line_boxes(doc)
    done = False
    for hit in hits:
        page = doc[hit.page]
        line = next((b for b in boxes if b[0] == hit.page and b[1] == hit.line), None) if hit.line else None
        if line is not None:
            # Rewrite the whole line: the new text stays where the old one was read.
            _, text, bbox, origin, size = line
            rect = pymupdf.Rect(bbox)
            new_text = text.replace(hit.old, hit.new, 1)
        else:
            rects = page.search_for(hit.old)
            if not rects:
                continue
            rect = rects[0]
            spans = [
                s
                for b in page.get_text("dict", clip=rect)["blocks"]
                for ln in b.get("lines", [])
                for s in ln["spans"]
            ]
            size = max((s["size"] for s in spans), default=10.0)
            origin = (rect.x0, rect.y1 - size * 0.2)
            new_text = hit.new
        page.add_redact_annot(rect)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        if new_text.strip():
            # Fit the rewritten line into the old line's width (CJK glyphs of the built-in font are wider).
            width = pymupdf.get_text_length(new_text, fontname="china-s", fontsize=size)
            fitted = size * min(1.0, (rect.x1 - origin[0]) / width) if width else size
            page.insert_text(origin, new_text, fontsize=fitted, fontname="china-s")
        done = True
    doc.save(out)
    doc.close()
    return done


def failures(doc: ResultDocument) -> set[tuple[str, str]]:
    return {(f.check, f.message) for f in doc.findings if f.status == "fail"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    planted = flagged = intended = 0
    for pdf in args.pdfs:
        clean = failures(run(pdf, OPTIONS).document)
        print(f"{pdf.name}: {len(clean)} failing checks on the clean file")
        source = pymupdf.open(pdf)
        for name, planter, meant in PLANTERS:
            hits = planter(source)
            if not hits:
                print(f"  (no target) {name}")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / pdf.name
                if not apply(pdf, hits, out):
                    print(f"  (not placed) {name}")
                    continue
                new = failures(run(out, OPTIONS).document) - clean
            planted += 1
            flagged += bool(new)
            mine = sorted(f for f in new if f[0] in meant)
            intended += bool(mine)
            what = f"{hits[0].old!r} → {hits[0].new!r} (p{hits[0].page + 1})"
            first = (mine or sorted(new) or [None])[0]
            verdict = "flagged" if mine else ("other  " if new else "MISSED ")
            print(f"  {verdict}: {name}: {what}" + (f"  [{first[0]}: {first[1][:90]}]" if first else ""))
        source.close()
    if planted:
        print(
            f"planted {planted}, flagged {flagged} ({flagged / planted:.1%}), "
            f"by the check meant for it {intended} ({intended / planted:.1%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
