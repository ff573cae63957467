"""Our ruling-line tables next to camelot (lattice) and pdfplumber on the same born-digital
PDFs, scored by the same harness against the same gold.

    pip install camelot-py pdfplumber opencv-python-headless   # not project dependencies
    python benchmarks/compare_tables.py [--samples samples]

Only the table finder changes: every tool's per-page tables go through our own
layout (cross-page merge), standard-table reading and harness, so the numbers
compare table detection and cell text, nothing else. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.core.types import Cell, Line, Page, Table  # noqa: E402
from extractor.eval.dataset import load_gold  # noqa: E402
from extractor.eval.score import score_document  # noqa: E402
from extractor.extract.rules.dispatch import extract_rules  # noqa: E402
from extractor.ingest.pdf import ingest_pdf  # noqa: E402
from extractor.layout.blocks import layout_pages, ruled_tables  # noqa: E402


def _table_from_grid(
    grid: list[list[str | None]], bbox: tuple[float, float, float, float], page: int
) -> Table:
    n_cols = max((len(r) for r in grid), default=0)
    cells = tuple(
        Cell(row=r, col=c, text=(text or "").replace("\n", ""), page=page)
        for r, row in enumerate(grid)
        for c, text in enumerate(row + [None] * (n_cols - len(row)))
    )
    return Table(n_rows=len(grid), n_cols=n_cols, cells=cells, pages=(page,), bbox=bbox)


def _split(lines: Sequence[Line], tables: list[Table]) -> list[Line]:
    def inside(line: Line, t: Table) -> bool:
        assert t.bbox
        cx, cy = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
        return t.bbox[0] - 1 <= cx <= t.bbox[2] + 1 and t.bbox[1] - 1 <= cy <= t.bbox[3] + 1

    return [ln for ln in lines if not any(inside(ln, t) for t in tables)]


def pdfplumber_finder(path: Path) -> Callable[[Sequence[Line], Page], tuple[list[Table], list[Line]]]:
    import pdfplumber

    pdf = pdfplumber.open(path)

    def find(lines: Sequence[Line], page: Page) -> tuple[list[Table], list[Line]]:
        found = pdf.pages[page.number - 1].find_tables()
        tables = [_table_from_grid(t.extract(), tuple(t.bbox), page.number) for t in found]
        return tables, _split(lines, tables)

    return find


def camelot_finder(path: Path) -> Callable[[Sequence[Line], Page], tuple[list[Table], list[Line]]]:
    import camelot

    def find(lines: Sequence[Line], page: Page) -> tuple[list[Table], list[Line]]:
        found = camelot.read_pdf(str(path), pages=str(page.number), flavor="lattice")
        tables = []
        for t in found:
            x0, y0, x1, y1 = t._bbox  # camelot: PDF coordinates, origin bottom-left
            bbox = (x0, page.height - y1, x1, page.height - y0)
            tables.append(_table_from_grid(t.df.values.tolist(), bbox, page.number))
        return tables, _split(lines, tables)

    return find


def _ours(path: Path) -> Callable[[Sequence[Line], Page], tuple[list[Table], list[Line]]]:
    return ruled_tables


def _tables_only(doc: dict[str, Any]) -> dict[str, Any]:
    reports = [
        {"kind": "final_account", "tables": r.get("tables", [])}
        for r in doc["reports"]
        if r["kind"] == "final_account"
    ]
    return {"reports": reports}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    args = parser.parse_args()
    print(f"{'tool':12} {'sample':24} {'cell acc.':>9} {'cells':>6} {'table F1':>8} {'seconds':>8}")
    for gold_path in sorted((args.samples / "gold").glob("*.json")):
        gold = _tables_only(load_gold(gold_path))
        if not gold["reports"]:
            continue
        pdf = args.samples / "pdf" / f"{gold_path.stem}.pdf"
        pages = list(ingest_pdf(pdf, ocr="never"))
        for name, make in (("ours", _ours), ("camelot", camelot_finder), ("pdfplumber", pdfplumber_finder)):
            try:
                finder = make(pdf)
            except ImportError as exc:
                print(f"{name:12} {gold_path.stem:24} not installed ({exc.name})")
                continue
            start = time.perf_counter()
            layout = layout_pages(str(pdf), pages, table_finder=finder)
            seconds = time.perf_counter() - start
            reports = [r.model_dump(mode="json") for r in extract_rules(layout)]
            score = score_document(gold, _tables_only({"reports": reports}))
            print(
                f"{name:12} {gold_path.stem:24} {score.cells.accuracy:9.4f} {score.cells.total:6d} "
                f"{score.counts.f1:8.4f} {seconds:8.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
