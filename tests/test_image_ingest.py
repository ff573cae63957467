"""Scanned pages to `Page`s: deskew, ruling detection, OCR lines split at column borders,
image loading. Logic runs on FakeOcrEngine; one test runs the real RapidOCR on a
rendered, rotated ruled table, and one on a scanned sample when samples/scan has any.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractor.core.errors import InputError
from extractor.core.types import Page
from extractor.ingest.image import page_from_image
from extractor.ingest.image_files import load_image
from extractor.ingest.ocr import FakeOcrEngine, OcrEngine, OcrLine, OcrResult, OcrWord
from extractor.ingest.raster import estimate_skew

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SCAN_DIR = Path(__file__).resolve().parent.parent / "samples" / "scan"
DPI = 200
PX = DPI / 72  # pixels per point

# A 4-row, 4-column ruled table (points): borders at these positions.
XS = [60, 230, 330, 430, 530]
YS = [90, 115, 140, 165, 190]
ROWS = [
    ["项目", "本年收入合计", "本年支出合计", "年末结转"],
    ["一般公共预算", "1,467.89", "1,234.56", "233.33"],
    ["政府性基金", "12,345.67", "10,000.00", "2,345.67"],
    ["合计", "13,813.56", "11,234.56", "2,579.00"],
]
WIDTH_PT, HEIGHT_PT = 595.0, 300.0


def _font(size_pt: float) -> ImageFont.FreeTypeFont:
    if not Path(FONT).exists():
        pytest.skip(f"{FONT} not installed (Debian: fonts-noto-cjk)")
    return ImageFont.truetype(FONT, round(size_pt * PX))


def render_table(with_text: bool = True, title: str = "收入支出决算总表") -> Image.Image:
    img = Image.new("L", (round(WIDTH_PT * PX), round(HEIGHT_PT * PX)), 255)
    draw = ImageDraw.Draw(img)
    for x in XS:
        draw.line([(x * PX, YS[0] * PX), (x * PX, YS[-1] * PX)], fill=0, width=2)
    for y in YS:
        draw.line([(XS[0] * PX, y * PX), (XS[-1] * PX, y * PX)], fill=0, width=2)
    if with_text:
        draw.text((150 * PX, 40 * PX), title, font=_font(16), fill=0)
        body = _font(10.5)
        for r, row in enumerate(ROWS):
            for c, text in enumerate(row):
                draw.text(((XS[c] + 5) * PX, (YS[r] + 5) * PX), text, font=body, fill=0)
    return img


def rotated(img: Image.Image, degrees: float) -> np.ndarray:
    return np.asarray(img.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255))


def _page(image: np.ndarray, engine: FakeOcrEngine) -> Page:
    return page_from_image(image, number=3, width_pt=WIDTH_PT, height_pt=HEIGHT_PT, engine=engine)


def _grid(page: Page) -> tuple[list[float], list[float]]:
    hs = sorted(r.y0 for r in page.rulings if r.horizontal)
    vs = sorted(r.x0 for r in page.rulings if not r.horizontal)
    return hs, vs


@pytest.mark.parametrize("degrees", [-4.6, -2.7, -1.2, -0.8, -0.3, 0.3, 0.8, 1.2, 3.5])
def test_skew_is_estimated_within_a_tenth_of_a_degree(degrees: float) -> None:
    assert estimate_skew(rotated(render_table(), degrees)) == pytest.approx(degrees, abs=0.1)


def test_blank_page_has_no_skew_and_no_lines() -> None:
    blank = np.full((400, 300), 255, dtype=np.uint8)
    page = _page(blank, FakeOcrEngine([OcrResult()]))
    assert estimate_skew(blank) == 0.0
    assert page.lines == () and page.rulings == ()
    assert page.text_source == "ocr" and page.ocr_engine == "fake"


@pytest.mark.parametrize("degrees", [0.8, 3.5])  # 3.5°: a sheet laid on a flatbed by hand
def test_rulings_of_a_rotated_table_come_back_straight_in_points(degrees: float) -> None:
    engine = FakeOcrEngine(lambda image: OcrResult())
    page = _page(rotated(render_table(with_text=False), degrees), engine)
    hs, vs = _grid(page)
    assert hs == pytest.approx(YS, abs=1.0)
    assert vs == pytest.approx(XS, abs=1.0)
    for r in page.rulings:  # each border spans the whole table
        if r.horizontal:
            assert (r.x0, r.x1) == pytest.approx((XS[0], XS[-1]), abs=1.5)
        else:
            assert (r.y0, r.y1) == pytest.approx((YS[0], YS[-1]), abs=1.5)
    # The engine saw the straightened image: its top border is level again.
    seen = engine.history[0] < 128
    top = [np.nonzero(seen[:, round(x * PX)])[0].min() for x in (100, 500)]
    assert abs(top[0] - top[1]) <= 2


def test_text_strokes_do_not_become_rulings() -> None:
    # Big CJK titles are full of long straight strokes (一, 二, 十); none is a border.
    img = Image.new("L", (round(WIDTH_PT * PX), round(HEIGHT_PT * PX)), 255)
    ImageDraw.Draw(img).text((60 * PX, 60 * PX), "一二三十王工", font=_font(28), fill=0)
    box = (55 * PX, 55 * PX, 260 * PX, 110 * PX)
    engine = FakeOcrEngine([OcrResult(lines=(OcrLine(text="一二三十王工", box=box, confidence=0.9),))])
    page = _page(np.asarray(img), engine)
    assert page.rulings == ()
    assert [ln.text for ln in page.lines] == ["一二三十王工"]


def _cell_line(words: tuple[OcrWord, ...], text: str) -> OcrLine:
    # One OCR box running from column 1 into column 2 of the second row (the border is at x=230pt).
    return OcrLine(text=text, box=(150 * PX, 120 * PX, 290 * PX, 135 * PX), confidence=0.9, words=words)


def test_a_box_across_a_column_border_is_split_with_word_boxes() -> None:
    words = (
        OcrWord(text="预", box=(150 * PX, 120 * PX, 162 * PX, 135 * PX), confidence=0.8),
        OcrWord(text="算", box=(162 * PX, 120 * PX, 174 * PX, 135 * PX), confidence=1.0),
        OcrWord(text="1,467.89", box=(235 * PX, 120 * PX, 280 * PX, 135 * PX), confidence=0.7),
    )
    engine = FakeOcrEngine([OcrResult(lines=(_cell_line(words, "预算 1,467.89"),))])
    page = _page(np.asarray(render_table(with_text=False)), engine)
    assert [ln.text for ln in page.lines] == ["预算", "1,467.89"]
    left, right = page.lines
    assert left.bbox[2] < 230 < right.bbox[0]
    assert left.confidence == pytest.approx(0.9) and right.confidence == pytest.approx(0.7)
    assert [w.text for w in left.words] == ["预算"]  # adjacent characters make one word
    assert left.words[0].confidence == pytest.approx(0.9)
    assert all(ln.page == 3 for ln in page.lines)


def test_a_box_across_a_column_border_is_split_without_word_boxes() -> None:
    engine = FakeOcrEngine([OcrResult(lines=(_cell_line((), "一般公共预算合计"),))])
    page = _page(np.asarray(render_table(with_text=False)), engine)
    assert len(page.lines) == 2
    left, right = page.lines
    assert left.text + right.text == "一般公共预算合计"
    assert left.bbox[2] <= 230.5 <= right.bbox[0]
    assert left.confidence == right.confidence == pytest.approx(0.9)


def test_an_engine_with_two_threads_reads_while_the_rulings_are_found() -> None:
    # Same page either way: only the order of two independent steps changes.
    result = OcrResult(lines=(_cell_line((), "一般公共预算合计"),))
    image = rotated(render_table(with_text=False), 0.7)
    alone = _page(image, FakeOcrEngine([result]))
    engine = FakeOcrEngine([result])
    engine.page_threads = 2  # type: ignore[attr-defined]  # what RapidOcrEngine exposes
    together = _page(image, engine)
    assert together == alone and len(together.lines) == 2 and len(together.rulings) == 10


def test_lines_inside_cells_keep_text_and_scale_to_points() -> None:
    words = (
        OcrWord(text="本年收入", box=(235 * PX, 95 * PX, 270 * PX, 110 * PX), confidence=0.99),
        OcrWord(text="合计", box=(270 * PX, 95 * PX, 290 * PX, 110 * PX), confidence=0.95),
    )
    line = OcrLine(
        text="本年收入合计 ", box=(234 * PX, 94 * PX, 292 * PX, 111 * PX), confidence=0.97, words=words
    )
    rgb = np.repeat(np.asarray(render_table(with_text=False))[:, :, None], 3, axis=2)
    engine = FakeOcrEngine([OcrResult(lines=(line,))])
    page = _page(rgb, engine)
    assert engine.history[0].shape == rgb.shape  # the engine gets the colour image, same size
    (out,) = page.lines
    assert out.text == "本年收入合计 "  # kept as recognised
    assert out.bbox == pytest.approx((234, 94, 292, 111), abs=0.1)
    assert out.confidence == pytest.approx(0.97)
    assert [(w.text, w.confidence) for w in out.words] == [("本年收入合计", pytest.approx(0.97))]


def test_load_image_formats(tmp_path: Path) -> None:
    gray = render_table(with_text=False).resize((300, 150))
    gray.save(tmp_path / "page.png")
    gray.convert("RGB").save(tmp_path / "page.jpg")
    rgba = gray.convert("RGBA")
    rgba.putalpha(0)
    rgba.save(tmp_path / "clear.png")
    frames = [gray, gray.convert("1"), gray]
    frames[0].save(tmp_path / "scan.tiff", save_all=True, append_images=frames[1:])

    png = load_image(tmp_path / "page.png")
    assert isinstance(png, np.ndarray) and png.shape == (150, 300) and png.dtype == np.uint8
    jpg = load_image(tmp_path / "page.jpg")
    assert isinstance(jpg, np.ndarray) and jpg.shape == (150, 300, 3)
    clear = load_image(tmp_path / "clear.png")
    assert isinstance(clear, np.ndarray) and clear.min() == 255  # transparent is paper
    tiff = load_image(tmp_path / "scan.tiff")
    assert isinstance(tiff, list) and [f.shape for f in tiff] == [(150, 300)] * 3


def test_load_image_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_image(tmp_path / "missing.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(InputError) as info:
        load_image(bad)
    assert info.value.path == str(bad) and "not a readable image" in info.value.reason


@pytest.fixture(scope="module")
def rapidocr() -> OcrEngine:
    from extractor.ingest.ocr import get_engine

    return get_engine("rapidocr")


def test_rapidocr_reads_a_rotated_ruled_table(rapidocr: OcrEngine, capfd: pytest.CaptureFixture[str]) -> None:
    page = _page(rotated(render_table(), 0.8), rapidocr)
    hs, vs = _grid(page)
    assert hs == pytest.approx(YS, abs=1.0) and vs == pytest.approx(XS, abs=1.0)
    texts = [ln.text for ln in page.lines]
    for row in ROWS[1:]:
        for number in row[1:]:
            assert number in texts  # exactly, thousands separators included
    assert "收入支出决算总表" in texts and "本年收入合计" in texts
    assert all(ln.confidence is not None and 0.5 <= ln.confidence <= 1.0 for ln in page.lines)
    assert all(w.confidence is not None for ln in page.lines for w in ln.words)
    # Every number sits inside its own cell (no text merged across a border).
    for ln in page.lines:
        cx = (ln.bbox[0] + ln.bbox[2]) / 2
        column = sum(1 for x in XS if x < cx) - 1
        assert ln.bbox[1] < YS[0] or XS[column] - 1 <= ln.bbox[0] <= ln.bbox[2] <= XS[column + 1] + 1
    title = next(ln for ln in page.lines if ln.text == "收入支出决算总表")
    body = next(ln for ln in page.lines if ln.text == "本年收入合计")
    assert title.size >= body.size * 1.25  # sizes estimated from ink height: headings stand out
    assert rapidocr.read(np.full((120, 200), 255, dtype=np.uint8)).lines == ()  # a blank page is no error
    err = capfd.readouterr().err
    assert "[INFO]" not in err and "[WARNING]" not in err  # RapidOCR's own logging is silenced


def test_two_threads_read_a_page_exactly_as_one_does() -> None:
    # Recognition shares a page's lines over threads (widest first, a width budget in flight):
    # every line is still recognised alone, so the page must come out identical.
    from extractor.ingest.ocr import get_engine

    image = rotated(render_table(title="2022年度一般公共预算财政拨款支出决算表（续）"), -0.6)
    one = _page(image, get_engine("rapidocr", threads=1))  # type: ignore[arg-type]
    two_engine = get_engine("rapidocr", threads=2)
    staged = two_engine._load()  # type: ignore[attr-defined]
    emptied = []
    empty = staged.after_recognition
    staged.after_recognition = lambda: emptied.append(empty())
    two = _page(image, two_engine)  # type: ignore[arg-type]
    assert len(one.lines) >= 16 and one == two
    assert set(two_engine.stage_seconds) >= {"detect", "recognise", "word boxes"}  # type: ignore[attr-defined]
    # Detection's idle threads sleep (spinning burned ~0.15 s/page of a shared core), with the page's threads;
    # recognition reuses memory through onnxruntime's arena, emptied once per page read.
    det_options = staged.detector.text_det.session.session.get_session_options()
    assert det_options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert det_options.intra_op_num_threads == 2
    rec_options = staged.recogniser.text_rec.session.session.get_session_options()
    assert rec_options.enable_cpu_mem_arena and rec_options.intra_op_num_threads == 1
    assert len(emptied) == 1
    two_engine.read(np.full((120, 200), 255, dtype=np.uint8))
    assert len(emptied) == 1  # nothing recognised on a blank image: nothing to empty


def _resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_recognition_memory_is_kept_within_a_page_and_handed_back_after() -> None:
    # A long line's run leaves its blocks in onnxruntime's arena (reused by the page's next
    # runs instead of faulting in fresh memory); emptying after the page gives them back.
    from extractor.ingest.ocr import get_engine
    from extractor.ingest.ocr.rapid_stages import release_freed_memory

    staged = get_engine("rapidocr", threads=1)._load()  # type: ignore[attr-defined]
    line = np.full((48, 4000, 3), 255, dtype=np.uint8)
    line[10:38, ::40] = 0
    staged.recogniser.recognize_txt([line])
    release_freed_memory()
    held = _resident_mb()
    staged.after_recognition()
    release_freed_memory()
    assert held - _resident_mb() > 40  # ~90 MB measured


def _first_scan() -> Path | None:
    scans = sorted(SCAN_DIR.glob("*.pdf"))
    return scans[0] if scans else None


@pytest.mark.skipif(_first_scan() is None, reason="no scanned samples in samples/scan yet")
def test_scanned_sample_title_is_recognised(rapidocr: OcrEngine) -> None:
    # The scan was printed from samples/pdf/<same name>: its text layer says what the title is.
    import pymupdf

    from extractor.ingest.pdf import render_page, text_lines

    scan = _first_scan()
    assert scan is not None
    with pymupdf.open(scan.parent.parent / "pdf" / scan.name) as born:
        title = text_lines(born[0], 1)[0].text.replace(" ", "")
    with pymupdf.open(scan) as doc:
        pdf_page = doc[0]
        page = page_from_image(
            render_page(pdf_page, dpi=DPI),
            number=1,
            width_pt=pdf_page.rect.width,
            height_pt=pdf_page.rect.height,
            engine=rapidocr,
        )
    assert title in "".join(ln.text for ln in page.lines).replace(" ", "")
    first = page.lines[0]
    assert first.text.replace(" ", "") in title and first.confidence is not None and first.confidence > 0.9


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("般公共预算支出预算表", "一般公共预算支出预算表"),
        ("、财政拨款", "一、财政拨款"),
        ("二、财政拨款", "二、财政拨款"),
        ("一般公共预算支出预算表", "一般公共预算支出预算表"),
        # On a black-and-white scan the thin stroke breaks up and is read as a mark.
        ("·般公共预算基本支出", "一般公共预算基本支出"),
        ("-、财政拨款", "一、财政拨款"),
        ("其中：—般性转移支付", "其中：一般性转移支付"),
        ("·其他支出", "·其他支出"),
        ("合计-、", "合计-、"),
    ],
)
def test_a_one_ocr_left_off_the_start_of_a_line_is_put_back(read: str, expected: str) -> None:
    # 一 is one thin stroke, which the detector leaves out of a line's box when it starts it.
    box = (300 * PX, 30 * PX, (300 + 12 * len(read)) * PX, 46 * PX)
    words = (OcrWord(text=read[0], box=(box[0], box[1], box[0] + 12 * PX, box[3]), confidence=0.9),)
    words += tuple(
        OcrWord(
            text=ch, box=(box[0] + 12 * i * PX, box[1], box[0] + 12 * (i + 1) * PX, box[3]), confidence=0.9
        )
        for i, ch in enumerate(read)
        if i
    )
    engine = FakeOcrEngine([OcrResult(lines=(OcrLine(text=read, box=box, confidence=0.9, words=words),))])
    (line,) = _page(np.asarray(render_table(with_text=False)), engine).lines
    assert line.text == expected
    grown = 12 if expected == "一" + read else 0  # put back in front, or in place of a mark
    assert line.bbox[0] == pytest.approx(300 - grown, abs=1.5)
    assert "".join(w.text for w in line.words) == expected
    assert line.words[0].text.startswith(expected[0]) and line.words[0].bbox[0] == pytest.approx(line.bbox[0])


def test_a_heading_stroke_just_past_its_text_box_is_no_border() -> None:
    from extractor.ingest.image import _inside_text
    from extractor.ingest.raster import Segment

    title = (621.0, 128.0, 1847.0, 195.0)  # a 24-pt title's box (px); its strokes reach 3 px below
    assert _inside_text(Segment(719.0, 137.0, 198.0, 6.0), [title], vertical=True)
    cell_text = (300.0, 200.0, 500.0, 230.0)  # OCR joined two cells: the border runs on past the box
    assert not _inside_text(Segment(400.0, 185.0, 245.0, 2.0), [cell_text], vertical=True)


def test_an_underlined_blank_ocr_reads_as_underscores_is_spaces() -> None:
    # `增长 0.06 %` with the number in an underlined blank: the text layer gives spaces, OCR `_`.
    text = "相比增加21.8万元，增长_0.06_%。"
    box = (100 * PX, 30 * PX, 300 * PX, 46 * PX)
    words = (OcrWord(text=text, box=box, confidence=0.9),)
    engine = FakeOcrEngine([OcrResult(lines=(OcrLine(text=text, box=box, confidence=0.9, words=words),))])
    (line,) = _page(np.asarray(render_table(with_text=False)), engine).lines
    assert line.text == "相比增加21.8万元，增长 0.06 %。" and line.words[0].text == line.text


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (["2,388.", "04"], "2,388.04"),  # a space after the decimal point (an archive scan)
        (["12", ".5"], "12.5"),
        (["1,", "234.50"], "1,234.50"),
        (["3.", "5%"], "3.5%"),
        (["1.", "2023年预算"], "1. 2023年预算"),  # a list item: prose keeps its space
        (["2.", "30%以上"], "2. 30%以上"),
        (["2019,", "2020"], "2019, 2020"),  # not a thousands group
    ],
)
def test_a_space_ocr_reads_inside_an_amount_is_taken_out(read: list[str], expected: str) -> None:
    text = " ".join(read)
    x, words = 100.0, []
    for part in read:
        words.append(OcrWord(text=part, box=(x * PX, 30 * PX, (x + 20) * PX, 42 * PX), confidence=0.9))
        x += 24
    box = (100 * PX, 30 * PX, x * PX, 42 * PX)
    engine = FakeOcrEngine(
        [OcrResult(lines=(OcrLine(text=text, box=box, confidence=0.9, words=tuple(words)),))]
    )
    page = _page(np.asarray(render_table(with_text=False)), engine)
    assert [line.text for line in page.lines] == [expected]
    if " " not in expected:  # joined: one word over both boxes
        (word,) = page.lines[0].words
        assert word.text == expected and word.bbox[0] == pytest.approx(100, abs=0.1) and word.bbox[2] > 140


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2,144", ".60", ["2,144.60"]),  # the decimals crossed the border on a deskewed scan
        ("2,144.", "60", ["2,144.60"]),
        ("1,234", "567", ["1,234", "567"]),  # two amounts in neighbouring cells
        ("合计", ".60", ["合计", ".60"]),  # not one amount
    ],
)
def test_a_border_never_cuts_an_amount_in_two(left: str, right: str, expected: list[str]) -> None:
    border = XS[2]  # 330 pt
    # The engine's word box for the right part reaches well past its text, as RapidOCR's can.
    words = (
        OcrWord(text=left, box=((border - 40) * PX, 120 * PX, (border - 6) * PX, 132 * PX), confidence=0.9),
        OcrWord(text=right, box=((border + 1) * PX, 120 * PX, (border + 60) * PX, 132 * PX), confidence=0.9),
    )
    box = ((border - 40) * PX, 120 * PX, (border + 60) * PX, 132 * PX)
    line = OcrLine(text=left + right, box=box, confidence=0.9, words=words)
    page = _page(np.asarray(render_table(with_text=False)), FakeOcrEngine([OcrResult(lines=(line,))]))
    assert [ln.text for ln in page.lines] == expected
    if len(expected) == 1:  # the amount's word stays inside its cell
        assert page.lines[0].words[0].bbox[2] <= border + 0.5


def test_a_word_box_reaching_past_its_line_is_kept_to_the_line() -> None:
    # RapidOCR gave `2,144.60` (a right-aligned amount ending just past a border on a deskewed
    # scan) a word box three times the line's width; its centre fell in the next column.
    border = XS[2]  # 330 pt
    word = OcrWord(
        text="2,144.60", box=((border - 40) * PX, 120 * PX, (border + 120) * PX, 132 * PX), confidence=0.9
    )
    box = ((border - 40) * PX, 120 * PX, (border + 3) * PX, 132 * PX)
    line = OcrLine(text="2,144.60", box=box, confidence=0.9, words=(word,))
    page = _page(np.asarray(render_table(with_text=False)), FakeOcrEngine([OcrResult(lines=(line,))]))
    (out,) = page.lines
    assert out.text == "2,144.60" and out.words[0].bbox[2] <= border + 0.5


def test_a_long_lines_size_is_its_characters_height_not_its_tilt() -> None:
    from extractor.ingest.image import _ink_size

    # 40 characters 30 px tall, each 1 px lower than the last: a line left tilted by a
    # deskew a little off. The whole line spans 69 rows; a character, 30.
    dark = np.zeros((120, 40 * 34 + 20), dtype=bool)
    for k in range(40):
        dark[20 + k : 50 + k, 10 + 34 * k : 10 + 34 * k + 28] = True
    box = (0, 15, dark.shape[1], 95)  # the detector's box around the tilted line
    assert _ink_size(dark, box) == pytest.approx(30, abs=1.5)
    # Short characters (digits, punctuation) do not pull a mostly CJK line's size down.
    dark[:, : 34 * 5] = False
    dark[30:45, 10 : 34 * 5] = True
    assert _ink_size(dark, box) == pytest.approx(30, abs=1.5)
