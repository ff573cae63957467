"""Scans that carry their own hidden OCR text ("searchable" PDFs): read as the scans they are.

The hidden layer has no table rulings, so taken as a born-digital page every ruled table
on it was lost. The rule is on MuPDF's bbox log; built variants cover invisible text over
the image, visible text drawn beneath it, a scan in strips, and the born-digital pages it
must leave alone (a letterhead or watermark under visible text, a photo beside text).
"""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from test_image_ingest import HEIGHT_PT, ROWS, WIDTH_PT, XS, YS, render_table

from extractor.core.types import Page
from extractor.ingest.ocr import FakeOcrEngine, OcrEngine, OcrResult
from extractor.ingest.pdf import ingest_pdf
from extractor.ingest.searchable_scan import is_searchable_scan

FULL = (0.0, 0.0, 595.0, 842.0)
TEXT = (100.0, 100.0, 300.0, 115.0)


def test_invisible_text_over_a_page_image_is_a_searchable_scan() -> None:
    assert is_searchable_scan([("fill-image", FULL), ("ignore-text", TEXT)], 595, 842)


def test_visible_text_drawn_beneath_the_page_image_is_hidden_too() -> None:
    assert is_searchable_scan([("fill-text", TEXT), ("fill-image", FULL)], 595, 842)


def test_a_scan_in_strips_covers_the_page_together() -> None:
    strips = [("fill-image", (0.0, y, 595.0, y + 842 / 4)) for y in (0.0, 210.5, 421.0, 631.5)]
    assert is_searchable_scan([*strips, ("ignore-text", TEXT)], 595, 842)


def test_visible_text_over_a_background_image_is_born_digital() -> None:
    # A letterhead or watermark drawn first, the page's own text after it.
    assert not is_searchable_scan([("fill-image", FULL), ("fill-text", TEXT)], 595, 842)


def test_an_image_covering_part_of_the_page_is_not_a_scan() -> None:
    photo = (50.0, 50.0, 545.0, 450.0)  # about 40% of the page
    assert not is_searchable_scan([("fill-image", photo), ("ignore-text", TEXT)], 595, 842)


def test_most_of_the_text_must_be_hidden() -> None:
    log = [("fill-image", FULL), ("ignore-text", TEXT), ("fill-text", TEXT), ("fill-text", TEXT)]
    assert not is_searchable_scan(log, 595, 842)
    assert not is_searchable_scan([("fill-image", FULL)], 595, 842)  # a plain scan: no text to judge


def _png() -> bytes:
    out = io.BytesIO()
    render_table().save(out, "PNG")
    return out.getvalue()


def _hidden_cells(page: pymupdf.Page, render_mode: int) -> None:
    page.insert_text((150, 55), "收入支出决算总表", fontsize=16, fontname="china-s", render_mode=render_mode)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            page.insert_text(
                (XS[c] + 5, YS[r] + 16), text, fontsize=10.5, fontname="china-s", render_mode=render_mode
            )


def _pdf(tmp_path: Path, *, text_first: bool, render_mode: int) -> Path:
    with pymupdf.open() as doc:
        page = doc.new_page(width=WIDTH_PT, height=HEIGHT_PT)
        if text_first:
            _hidden_cells(page, render_mode)
        page.insert_image(page.rect, stream=_png())
        if not text_first:
            _hidden_cells(page, render_mode)
        path = tmp_path / f"scan-{text_first}-{render_mode}.pdf"
        doc.save(path)
    return path


def _read(path: Path, ocr: str) -> tuple[Page, FakeOcrEngine]:
    engine = FakeOcrEngine(lambda _: OcrResult())
    (page,) = ingest_pdf(path, ocr=ocr, engine=lambda: engine)  # type: ignore[arg-type]
    return page, engine


@pytest.fixture(scope="module")
def rapidocr() -> OcrEngine:
    from extractor.ingest.ocr import get_engine

    return get_engine("rapidocr")


@pytest.mark.parametrize(("text_first", "render_mode"), [(False, 3), (True, 0)])
def test_a_searchable_scan_is_read_from_its_image_with_the_tables_rulings(
    tmp_path: Path, rapidocr: OcrEngine, text_first: bool, render_mode: int
) -> None:
    path = _pdf(tmp_path, text_first=text_first, render_mode=render_mode)
    (page,) = ingest_pdf(path, ocr="auto", engine=lambda: rapidocr)
    assert page.text_source == "ocr"
    assert {cell for row in ROWS for cell in row} <= {line.text for line in page.lines}
    hs = sorted(r.y0 for r in page.rulings if r.horizontal)
    vs = sorted(r.x0 for r in page.rulings if not r.horizontal)
    assert hs == pytest.approx(YS, abs=1.0) and vs == pytest.approx(XS, abs=1.0)


def test_with_ocr_never_the_hidden_layer_is_taken_as_it_is(tmp_path: Path) -> None:
    page, engine = _read(_pdf(tmp_path, text_first=False, render_mode=3), "never")
    assert engine.history == [] and page.text_source == "text"
    assert "1,467.89" in {line.text for line in page.lines} and page.rulings == ()


def test_a_born_digital_page_on_a_full_page_background_keeps_its_text_layer(tmp_path: Path) -> None:
    page, engine = _read(_pdf(tmp_path, text_first=False, render_mode=0), "auto")
    assert engine.history == [] and page.text_source == "text"
    assert "1,467.89" in {line.text for line in page.lines}
