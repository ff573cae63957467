"""`extractor annotate`: a numbered, severity-coloured box on every failed finding's evidence,
a legend page, and the page text untouched (annotations, not images)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import ROOT

from extractor import extract
from extractor.annotate import COLOURS, annotate, failed_findings
from extractor.api import ExtractOptions
from extractor.cli import main
from extractor.schemas import dump_result

PDF = ROOT / "samples" / "real" / "pdf" / "shanghai_putuo_guihuaziyuan_2024_bmjs.pdf"


def test_every_failed_finding_is_boxed_and_listed(tmp_path: Path) -> None:
    doc = extract(PDF, ExtractOptions(ocr="never"))
    failed = failed_findings(doc)
    assert failed and failed[0].severity == "error"
    out = tmp_path / "annotated.pdf"
    listed, boxes = annotate(doc, PDF, out)
    assert listed == len(failed) and boxes >= listed
    original, annotated = pymupdf.open(PDF), pymupdf.open(out)
    assert annotated.page_count > original.page_count  # the legend
    for number in range(original.page_count):
        # The page text is untouched and still selectable (the numbers are annotations, read after it).
        assert annotated[number].get_text().startswith(original[number].get_text())
    rects = [a for page in annotated for a in page.annots() if a.type[1] == "Square"]
    assert len(rects) == boxes
    titles = {a.info["title"] for a in rects}
    assert all(any(t.startswith(f"#{n} ") for t in titles) for n in range(1, listed + 1))
    error_box = next(a for a in rects if a.info["title"].endswith("error"))
    assert tuple(round(c, 2) for c in error_box.colors["stroke"]) == COLOURS["error"]
    # The cross-table slip 236.63 / 236.64 is boxed on both pages that print it (p7 and p10).
    same_row = next(
        n for n, f in enumerate(failed, 1) if f.check == "cross.same_row" and "236.63" in f.message
    )
    pages = {p.number + 1 for p in annotated for a in p.annots() if a.info["title"] == f"#{same_row} error"}
    assert pages == {7, 10}
    legend = "".join(annotated[n].get_text() for n in range(original.page_count, annotated.page_count))
    assert "cross.same_row" in legend.replace(" ", "") or "cross.same_row" in legend


def test_the_command_needs_the_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = extract(PDF, ExtractOptions(ocr="never"))
    result = tmp_path / "r.json"
    result.write_text(
        dump_result(doc.model_copy(update={"source": doc.source.model_copy(update={"path": None})})),
        encoding="utf-8",
    )
    assert main(["annotate", str(result)]) == 1
    assert "give --source FILE" in capsys.readouterr().err
    out = tmp_path / "a.pdf"
    assert main(["annotate", str(result), "--source", str(PDF), "-o", str(out)]) == 0
    assert out.is_file() and "boxes" in capsys.readouterr().out
