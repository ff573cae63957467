"""Ink inside ruled table cells that the detector found no text in is read on its own
(extractor/ingest/missed_text.py): a lone `0` against a cell's border comes back; ink
outside any cell (a seal, a page number) is never read that way."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw
from test_image_ingest import PX, XS, YS, _font, _page, render_table

from extractor.ingest.ocr import FakeOcrEngine, OcrLine, OcrResult, OcrWord


def _with_zero_in_cell(extra_outside: bool = False) -> np.ndarray:
    img = render_table(with_text=False)
    draw = ImageDraw.Draw(img)
    # A right-aligned `0` touching the right border of row 2, column 3 (as 三公 tables print it).
    font = _font(10.5)
    right = XS[3] * PX - 2
    draw.text((right, (YS[1] + 6) * PX), "0", font=font, fill=0, anchor="ra")
    if extra_outside:
        draw.text((300 * PX, 240 * PX), "8", font=font, fill=0)  # below the table, in no cell
    return np.asarray(img)


def _script(calls: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """A detector that misses everything on the page, and reads `0` in any small cut-out."""

    def read(image: np.ndarray) -> OcrResult:
        calls.append(image.shape[:2])
        if image.shape[0] > 200:  # the whole page
            return OcrResult()
        h, w = image.shape[:2]
        box = (w * 0.3, h * 0.3, w * 0.7, h * 0.7)
        return OcrResult(
            lines=(
                OcrLine(
                    text="0", box=box, confidence=0.99, words=(OcrWord(text="0", box=box, confidence=0.99),)
                ),
            )
        )

    return read


def test_a_zero_the_detector_missed_in_a_cell_is_read_from_its_cut_out() -> None:
    calls: list[tuple[int, int]] = []
    page = _page(_with_zero_in_cell(), FakeOcrEngine(_script(calls)))
    (line,) = page.lines
    assert line.text == "0"
    assert XS[2] < line.bbox[0] < line.bbox[2] <= XS[3] + 1 and YS[1] < line.bbox[1] < line.bbox[3] < YS[2]
    assert len(calls) == 2 and calls[1][0] < 100  # the page, then one small cut-out


def test_ink_outside_every_cell_is_not_read() -> None:
    calls: list[tuple[int, int]] = []
    page = _page(_with_zero_in_cell(extra_outside=True), FakeOcrEngine(_script(calls)))
    assert [ln.text for ln in page.lines] == ["0"] and len(calls) == 2


def test_covered_ink_is_not_read_again() -> None:
    image = _with_zero_in_cell()
    box = ((XS[3] - 12) * PX, (YS[1] + 4) * PX, XS[3] * PX, (YS[1] + 18) * PX)
    engine = FakeOcrEngine([OcrResult(lines=(OcrLine(text="0", box=box, confidence=0.99),))])
    page = _page(image, engine)
    assert [ln.text for ln in page.lines] == ["0"] and len(engine.history) == 1


def test_rapidocr_reads_lone_zeros_against_borders_once_each() -> None:
    # The detector finds these on a clean render; the page must still hold each 0 once.
    from extractor.ingest.ocr import get_engine

    img = render_table(with_text=False)
    draw = ImageDraw.Draw(img)
    font = _font(10.5)
    for row in (1, 2, 3):
        for col in (1, 2, 3):
            draw.text((XS[col + 1] * PX - 2, (YS[row] + 6) * PX), "0", font=font, fill=0, anchor="ra")
    draw.text(((XS[0] + 5) * PX, (YS[1] + 6) * PX), "因公出国(境)费", font=font, fill=0)
    page = _page(np.asarray(img.convert("L")), get_engine("rapidocr"))  # type: ignore[arg-type]
    zeros = [ln for ln in page.lines if ln.text == "0"]
    assert len(zeros) == 9


def test_a_page_of_misses_is_not_read_cell_by_cell() -> None:
    # An engine that read nothing of a full table has not missed a glyph or two: past
    # max_regions, no cell is cut out, so the page never becomes hundreds of small reads.
    from extractor.ingest.missed_text import MissedTextSettings, missed_regions
    from extractor.ingest.raster import binarise, erase, find_rulings

    dark = binarise(np.asarray(render_table(with_text=True)))
    horizontal, vertical = find_rulings(dark, 595.0)
    ink = erase(dark, horizontal, vertical)
    every = missed_regions(ink, [], horizontal, vertical, PX)
    assert len(every) >= 16  # each filled cell of the 4x4 table
    assert missed_regions(ink, [], horizontal, vertical, PX, MissedTextSettings(max_regions=10)) == []


def _lost_start_page(in_cell: bool = True) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A cell holding `一、一般公共预算`; the page's reading will leave off the `一、`."""
    img = (
        render_table(with_text=False) if in_cell else Image.new("L", (round(595 * PX), round(300 * PX)), 255)
    )
    draw = ImageDraw.Draw(img)
    font = _font(10.5)
    x, y = (XS[0] + 6) * PX, (YS[1] + 6) * PX
    draw.text((x, y), "一、", font=font, fill=0)
    start = x + font.getlength("一、")
    draw.text((start, y), "一般公共预算", font=font, fill=0)
    box = (start - 1, y - 2, start + font.getlength("一般公共预算") + 1, y + 10.5 * PX + 2)
    return np.asarray(img), box


def _starts_script(  # type: ignore[no-untyped-def]
    page_box: tuple[float, float, float, float],
    crop_reads: str,
    calls: list[int],
    page_reads: str = "一般公共预算",
):
    """The page read as `page_reads` (without its `一、`); a cut-out read as `crop_reads`."""

    def read(image: np.ndarray) -> OcrResult:
        calls.append(image.shape[0])
        if image.shape[0] > 200:
            text, box = page_reads, page_box
        else:
            h, w = image.shape[:2]
            text, box = crop_reads, (w * 0.1, h * 0.3, w * 0.9, h * 0.7)
        return OcrResult(lines=(OcrLine(text=text, box=box, confidence=0.99),))

    return read


def test_a_list_number_the_detector_left_off_a_cells_line_is_read_back() -> None:
    image, box = _lost_start_page()
    calls: list[int] = []
    page = _page(image, FakeOcrEngine(_starts_script(box, "一、一般公共预算", calls)))
    (line,) = page.lines
    assert line.text == "一、一般公共预算" and XS[0] < line.bbox[0] < XS[0] + 12  # from the 一、, not 86 pt
    assert len(calls) == 2  # the page, then the line again from its cell's border


def test_a_reread_that_adds_anything_but_a_list_number_is_not_taken() -> None:
    # A speck before an amount read as a minus sign must not make it negative.
    image, box = _lost_start_page()
    page = _page(image, FakeOcrEngine(_starts_script(box, "-一般公共预算", [])))
    assert [ln.text for ln in page.lines] == ["一般公共预算"]


def test_ink_before_a_line_outside_a_table_is_left_alone() -> None:
    image, box = _lost_start_page(in_cell=False)
    calls: list[int] = []
    page = _page(image, FakeOcrEngine(_starts_script(box, "一、一般公共预算", calls)))
    assert [ln.text for ln in page.lines] == ["一般公共预算"] and len(calls) == 1


def _lost_end_page() -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A cell with `6.4` right-aligned against its border; the page's reading will stop at `6.`."""
    img = render_table(with_text=False)
    draw = ImageDraw.Draw(img)
    font = _font(10.5)
    right, y = XS[2] * PX - 3, (YS[1] + 6) * PX
    draw.text((right, y), "6.4", font=font, fill=0, anchor="ra")
    start = right - font.getlength("6.4")
    box = (start - 1, y - 2, start + font.getlength("6.") + 1, y + 10.5 * PX + 2)
    return np.asarray(img), box


def test_an_amounts_last_digit_the_detector_left_off_against_a_border_is_read_back() -> None:
    image, box = _lost_end_page()
    engine = FakeOcrEngine(_starts_script(box, "6.4", [], page_reads="6."))
    page = _page(image, engine)
    (line,) = page.lines
    assert line.text == "6.4" and line.bbox[2] > box[2] / PX + 2
    crop = engine.history[1]
    assert (crop < 128).any(axis=0).sum() < crop.shape[1] // 2  # ink: the digits, not a border
    assert not (crop < 128).all(axis=0).any()  # no column dark top to bottom: the border is left out


def test_a_reread_that_adds_to_an_amount_must_still_be_an_amount() -> None:
    image, box = _lost_end_page()
    page = _page(image, FakeOcrEngine(_starts_script(box, "6.4元", [], page_reads="6.")))
    assert [ln.text for ln in page.lines] == ["6."]
