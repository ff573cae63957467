"""Pages that lie sideways or upside down.

Scans: judged from the engine's reading, turned, read again. The logic runs on
FakeOcrEngine scripts that read well only one way up; one test runs the real RapidOCR on
a rendered ruled table fed each of the four ways. Born-digital pages placed turned by
their content's matrix (no /Rotate) are turned back from their text's direction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest
from pdfgen import PageSpec, TableSpec, make_pdf
from test_image_ingest import HEIGHT_PT, ROWS, WIDTH_PT, XS, YS, render_table

from extractor.core.types import Page
from extractor.ingest.image import page_from_image
from extractor.ingest.ocr import FakeOcrEngine, OcrEngine, OcrLine, OcrResult
from extractor.ingest.orientation import turns_to_try, upright_score
from extractor.ingest.pdf import ingest_pdf, upright_turn


def _line(box: tuple[float, float, float, float], confidence: float, text: str = "一般公共预算") -> OcrLine:
    return OcrLine(text=text, box=box, confidence=confidence)


WIDE = [(10.0, 10.0 + 30 * i, 300.0, 30.0 + 30 * i) for i in range(6)]
TALL = [(10.0 + 30 * i, 10.0, 30.0 + 30 * i, 300.0) for i in range(6)]


def _result(boxes: list[tuple[float, float, float, float]], confidence: float) -> OcrResult:
    return OcrResult(lines=tuple(_line(b, confidence) for b in boxes))


def test_an_upright_reading_scores_its_confidence_and_is_not_turned() -> None:
    assert upright_score(_result(WIDE, 0.99)) == pytest.approx(0.99)


def test_sideways_text_scores_nothing_and_is_turned_a_quarter() -> None:
    assert upright_score(_result(TALL, 0.99)) == 0.0
    # Tall boxes read well: the engine turned them the right way (counter-clockwise) already.
    assert turns_to_try(_result(TALL, 0.99)) == [1, 3]
    assert turns_to_try(_result(TALL, 0.6)) == [3, 1]


def test_wide_text_read_at_low_confidence_is_tried_upside_down() -> None:
    assert upright_score(_result(WIDE, 0.6)) == pytest.approx(0.6)
    assert turns_to_try(_result(WIDE, 0.6)) == [2]


def test_a_page_with_nothing_read_is_tried_upside_down_only_when_it_holds_text_like_ink() -> None:
    assert upright_score(OcrResult(), ink=0.005) == 0.0  # a cover's title line read upside down, dropped
    assert turns_to_try(OcrResult()) == [2]
    assert upright_score(OcrResult(), ink=0.0005) == 1.0  # specks, a lone digit: not read again


def test_one_line_read_poorly_is_tried_upside_down() -> None:
    assert upright_score(_result(WIDE[:1], 0.7)) == pytest.approx(0.7)
    assert turns_to_try(_result(WIDE[:1], 0.7)) == [2]


def _marked(height: int, width: int) -> np.ndarray:
    """A page image with a dark block at its top-left corner: the script can tell which way up it is."""
    image = np.full((height, width), 255, dtype=np.uint8)
    image[10:60, 10:80] = 0
    return image


def _way_up(image: np.ndarray) -> int:
    """Counter-clockwise quarter turns that bring `image` (a turned `_marked`) back upright."""
    return next(k for k in range(4) if np.rot90(image, k)[35, 45] == 0 and np.rot90(image, k).shape[1] > 200)


def _reads_well_upright(image: np.ndarray) -> OcrResult:
    """A script like RapidOCR: upright → good wide lines; sideways → tall boxes (read well when the
    page lies turned clockwise, as RapidOCR turns a tall crop counter-clockwise); upside down →
    wide garbage at low confidence."""
    turns = _way_up(image)
    if turns == 0:
        return _result([(100.0, 20.0 + 30 * i, 280.0, 40.0 + 30 * i) for i in range(5)], 0.99)
    if turns == 2:
        return _result([(100.0, 20.0 + 30 * i, 280.0, 40.0 + 30 * i) for i in range(5)], 0.62)
    return _result(
        [(20.0 + 30 * i, 100.0, 40.0 + 30 * i, 280.0) for i in range(5)], 0.98 if turns == 1 else 0.6
    )


@pytest.mark.parametrize(("turns", "reads"), [(0, 1), (1, 2), (2, 2), (3, 2)])
def test_a_turned_page_is_read_upright_with_its_size_swapped(turns: int, reads: int) -> None:
    upright = _marked(300, 400)  # landscape
    engine = FakeOcrEngine(_reads_well_upright)
    page = page_from_image(
        np.ascontiguousarray(np.rot90(upright, turns)),
        number=1,
        width_pt=(300.0 if turns % 2 else 400.0) * 0.36,
        height_pt=(400.0 if turns % 2 else 300.0) * 0.36,
        engine=engine,
    )
    assert (page.width, page.height) == pytest.approx((144.0, 108.0))  # the landscape page a reader sees
    assert len(page.lines) == 5 and all(ln.confidence == 0.99 for ln in page.lines)
    # Read as given, then the likeliest way first (from how well the tall boxes read): one more read.
    assert len(engine.history) == reads


def test_when_the_likeliest_quarter_turn_reads_no_better_the_other_is_tried() -> None:
    def misleading(image: np.ndarray) -> OcrResult:
        # Sideways boxes that read well although the page lies the other way round.
        turns = _way_up(image)
        if turns == 0:
            return _result([(100.0, 20.0 + 30 * i, 280.0, 40.0 + 30 * i) for i in range(5)], 0.99)
        if turns == 2:
            return _result([(100.0, 20.0 + 30 * i, 280.0, 40.0 + 30 * i) for i in range(5)], 0.62)
        return _result([(20.0 + 30 * i, 100.0, 40.0 + 30 * i, 280.0) for i in range(5)], 0.98)

    engine = FakeOcrEngine(misleading)
    page = page_from_image(
        np.ascontiguousarray(np.rot90(_marked(300, 400), 1)),
        number=1,
        width_pt=108.0,
        height_pt=144.0,
        engine=engine,
    )
    assert len(engine.history) == 3  # as given, turned the wrong way (now upside down), then right
    assert (page.width, page.height) == pytest.approx((144.0, 108.0))
    assert all(ln.confidence == 0.99 for ln in page.lines)


def test_a_poor_reading_no_way_up_improves_keeps_the_first() -> None:
    engine = FakeOcrEngine(lambda image: _result(WIDE, 0.7))
    page = page_from_image(_marked(300, 400), number=1, width_pt=144.0, height_pt=108.0, engine=engine)
    assert len(engine.history) == 2  # as given, then upside down: no better, so the first stands
    assert [ln.bbox[1] for ln in page.lines] == pytest.approx([b[1] * 0.36 for b in WIDE], abs=0.01)


@pytest.fixture(scope="module")
def rapidocr() -> OcrEngine:
    from extractor.ingest.ocr import get_engine

    return get_engine("rapidocr")


def _cells(page: Page) -> set[str]:
    return {ln.text for ln in page.lines}


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_rapidocr_reads_a_ruled_table_fed_any_way_up(rapidocr: OcrEngine, turns: int) -> None:
    upright = np.asarray(render_table())
    size = (HEIGHT_PT, WIDTH_PT) if turns % 2 else (WIDTH_PT, HEIGHT_PT)
    page = page_from_image(
        np.ascontiguousarray(np.rot90(upright, turns)),
        number=1,
        width_pt=size[0],
        height_pt=size[1],
        engine=rapidocr,
    )
    assert (page.width, page.height) == (WIDTH_PT, HEIGHT_PT)
    assert {cell for row in ROWS for cell in row} | {"收入支出决算总表"} <= _cells(page)
    vs = sorted(r.x0 for r in page.rulings if not r.horizontal)
    hs = sorted(r.y0 for r in page.rulings if r.horizontal)
    assert hs == pytest.approx(YS, abs=1.0) and vs == pytest.approx(XS, abs=1.0)


def test_rapidocr_reads_a_one_line_cover_fed_upside_down(rapidocr: OcrEngine) -> None:
    from PIL import Image, ImageDraw
    from test_image_ingest import PX, _font

    cover = Image.new("L", (round(595 * PX), round(842 * PX)), 255)
    ImageDraw.Draw(cover).text(
        (90 * PX, 300 * PX), "江苏省人大常委会2018年度预算公开", font=_font(22), fill=0
    )
    page = page_from_image(
        np.ascontiguousarray(np.rot90(np.asarray(cover), 2)),
        number=1,
        width_pt=595,
        height_pt=842,
        engine=rapidocr,
    )
    assert [ln.text for ln in page.lines] == ["江苏省人大常委会2018年度预算公开"] and page.turned == 180


TURNED_TABLE = PageSpec(
    lines=[("收入支出决算总表", 16)],
    table=TableSpec(
        rows=[["项目", "金额"], ["一般公共预算财政拨款收入", "1,467.89"], ["合计", "1,467.89"]],
        widths=[200, 100],
    ),
    after=["注：本表反映部门本年度的总收支和年末结转结余情况。"],
)


def _lines_and_rulings(page: Page) -> tuple[list[tuple[str, int, int]], list[tuple[int, int, int, int]]]:
    lines = sorted((ln.text, round(ln.bbox[0]), round(ln.bbox[1])) for ln in page.lines)
    rulings = sorted((round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in page.rulings)
    return lines, rulings


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_born_digital_page_placed_turned_reads_as_the_page_it_came_from(
    tmp_path: Path, degrees: int
) -> None:
    source = make_pdf([TURNED_TABLE], tmp_path / "upright.pdf")
    with pymupdf.open(source) as upright, pymupdf.open() as turned:
        rect = upright[0].rect
        size = (rect.height, rect.width) if degrees % 180 else (rect.width, rect.height)
        page = turned.new_page(width=size[0], height=size[1])
        page.show_pdf_page(page.rect, upright, 0, rotate=degrees)  # by the content's matrix, /Rotate 0
        turned.save(tmp_path / "turned.pdf")
    (expected,) = ingest_pdf(source)
    (got,) = ingest_pdf(tmp_path / "turned.pdf")
    assert (got.width, got.height) == pytest.approx((expected.width, expected.height))
    assert _lines_and_rulings(got) == _lines_and_rulings(expected)
    assert "1,467.89" in {ln.text for ln in got.lines}


def test_a_few_vertical_labels_do_not_turn_a_page(tmp_path: Path) -> None:
    source = make_pdf([TURNED_TABLE], tmp_path / "labels.pdf")
    with pymupdf.open(source) as doc:
        doc[0].insert_text((40, 400), "合计栏", fontname="china-s", fontsize=10, rotate=90)
        doc.save(tmp_path / "with_labels.pdf")
    (page,) = ingest_pdf(tmp_path / "with_labels.pdf")
    assert (page.width, page.height) == (595.0, 842.0)
    assert "收入支出决算总表" in {ln.text.replace(" ", "") for ln in page.lines}


def test_the_text_direction_is_counted_by_characters_and_a_degenerate_one_is_skipped() -> None:
    def line(direction: tuple[float, float], chars: int) -> dict[str, object]:
        return {"dir": direction, "spans": [{"chars": [None] * chars}]}

    upward = {"blocks": [{"lines": [line((0.0, -1.0), 30), line((1.0, 0.0), 20)]}]}
    assert upright_turn(upward) == 90
    assert upright_turn({"blocks": [{"lines": [line((0.0, 1.0), 20), line((1.0, 0.0), 30)]}]}) == 0
    assert upright_turn({"blocks": [{"lines": [line((float("nan"), 0.0), 99), line((-1.0, 0.0), 5)]}]}) == 180
    assert upright_turn({"blocks": [{"type": 1}]}) == 0  # an image block: no text, no turn
