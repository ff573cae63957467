"""`extractor annotate RESULT.json --source FILE -o annotated.pdf`: the original PDF with a
numbered, severity-coloured box on the evidence of every failed finding, and a legend page
listing them: the file an auditor sends back to a department.

Boxes are PDF annotations (rectangles with the finding in their pop-up note, a small number
beside each), so the page's own text stays as it was: selectable and searchable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.core.errors import InputError
from extractor.schemas import Evidence, Finding, ReportFileError, ResultDocument, load_result

if TYPE_CHECKING:
    import pymupdf

COLOURS = {"error": (0.85, 0.1, 0.1), "warning": (0.95, 0.55, 0.0), "info": (0.2, 0.45, 0.85)}
_ORDER = {"error": 0, "warning": 1, "info": 2}
_FONT = "china-s"  # pymupdf's built-in CJK font: the legend quotes the document


def failed_findings(doc: ResultDocument) -> list[Finding]:
    """The failed findings in legend order: errors first, then by page."""
    failed = [f for f in doc.findings if f.status == "fail"]
    return sorted(failed, key=lambda f: (_ORDER[f.severity], _first_page(f)))


def _first_page(f: Finding) -> int:
    return min((ev.page for ev in f.evidence.values()), default=10**6)


def _grown(rect: pymupdf.Rect, by: float) -> pymupdf.Rect:
    import pymupdf

    return pymupdf.Rect(rect.x0 - by, rect.y0 - by, rect.x1 + by, rect.y1 + by)


def _boxes(page: pymupdf.Page, ev: Evidence) -> list[pymupdf.Rect]:
    """Where the evidence is printed: its quoted text near its box, else the box itself."""
    import pymupdf

    clip = _grown(pymupdf.Rect(ev.bbox), 4) if ev.bbox else None
    text = ev.text.strip()
    if text and len(text) <= 60:
        hits = page.search_for(text, clip=clip) if clip is not None else page.search_for(text)
        if not hits and clip is not None:
            hits = page.search_for(text)
        if hits:
            return hits[:2]
    return [pymupdf.Rect(ev.bbox)] if ev.bbox else []


def annotate(doc: ResultDocument, source: Path, out: Path) -> tuple[int, int]:
    """Write the annotated copy of `source`; (findings listed, boxes drawn)."""
    import pymupdf

    try:
        pdf = pymupdf.open(source)
    except (pymupdf.FileDataError, RuntimeError) as exc:
        raise InputError(str(source), f"not a readable PDF ({exc})") from exc
    findings = failed_findings(doc)
    boxes = 0
    placed: list[list[int]] = []
    for number, finding in enumerate(findings, start=1):
        colour = COLOURS[finding.severity]
        pages: list[int] = []
        for ev in finding.evidence.values():
            if not 1 <= ev.page <= pdf.page_count:
                continue
            page = pdf[ev.page - 1]
            for rect in _boxes(page, ev):
                annot = page.add_rect_annot(_grown(rect, 1.5))
                annot.set_colors(stroke=colour)
                annot.set_border(width=1.2)
                annot.set_info(
                    title=f"#{number} {finding.severity}", content=f"{finding.check}: {finding.message}"
                )
                annot.update()
                label = pymupdf.Rect(rect.x0 - 16, rect.y0 - 9, rect.x0 + 2, rect.y0 + 1)
                tag = page.add_freetext_annot(
                    label, str(number), fontsize=7, text_color=colour, fill_color=(1, 1, 1)
                )
                tag.update()
                boxes += 1
                pages.append(ev.page)
        placed.append(sorted(set(pages)))
    _legend(pdf, findings, placed, doc.source.file)
    pdf.save(out, garbage=3, deflate=True)
    pdf.close()
    return len(findings), boxes


def _legend(pdf: pymupdf.Document, findings: list[Finding], placed: list[list[int]], name: str) -> None:
    width, height = (pdf[0].rect.width, pdf[0].rect.height) if pdf.page_count else (595, 842)
    lines = [f"核查意见 / findings: {name} — {len(findings)} failed checks", ""]
    for number, (finding, pages) in enumerate(zip(findings, placed, strict=True), start=1):
        where = ("p. " + ", ".join(map(str, pages))) if pages else "no box (no printed evidence)"
        lines.append(f"#{number} [{finding.severity}] {finding.check} ({where})")
        lines.append(f"    {finding.message}")
    per_page = int((height - 100) // 13)
    for start in range(0, len(lines), per_page):
        page = pdf.new_page(width=width, height=height)
        y = 50.0
        for line in lines[start : start + per_page]:
            colour = next((c for s, c in COLOURS.items() if f"[{s}]" in line), (0, 0, 0))
            page.insert_text((40, y), _fit(line, width - 80), fontname=_FONT, fontsize=8, color=colour)
            y += 13


def _fit(line: str, room: float) -> str:
    """Cut a legend line to the page width (the full message is in the box's note)."""
    import pymupdf

    while len(line) > 4 and pymupdf.get_text_length(line, fontname=_FONT, fontsize=8) > room:
        line = line[: int(len(line) * 0.9)] + "…"
    return line


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("annotate", help="the source PDF with a numbered box on every failed finding")
    p.add_argument("result", type=Path, help="a result JSON (from extract or check)")
    p.add_argument(
        "--source", type=Path, help="the PDF it was extracted from (default: source.path in the result)"
    )
    p.add_argument("-o", "--out", type=Path, help="output PDF (default: <source>.annotated.pdf)")
    p.set_defaults(func=run_annotate_command)


def run_annotate_command(args: argparse.Namespace) -> int:
    try:
        doc = load_result(args.result)
    except ReportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    recorded = getattr(doc.source, "path", None)
    source = args.source or (Path(recorded) if isinstance(recorded, str) else None)
    if source is None or not source.is_file():
        print(f"error: {args.result}: the source PDF is not at hand: give --source FILE", file=sys.stderr)
        return 1
    out = args.out or source.with_name(f"{source.stem}.annotated.pdf")
    listed, boxes = annotate(doc, source, out)
    print(f"{out}: {listed} failed findings, {boxes} boxes, legend on the last page(s)")
    return 0
