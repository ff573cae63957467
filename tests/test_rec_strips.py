"""Short text lines recognised several to a run (extractor/ingest/ocr/rec_strips.py): how
they are laid out, how the model's output is split back, and that the real model reads
table cells in strips as it reads them alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidocr.ch_ppocr_rec.typings import WordInfo
from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

from extractor.ingest.ocr.rec_strips import (
    REC_MIN_WIDTH,
    REC_STEP,
    Placed,
    Strip,
    StripSettings,
    natural_width,
    plan_strips,
    scaled_width,
    split_predictions,
    sure,
)

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _blank(width: int, height: int = 48) -> np.ndarray:
    return np.full((height, width, 3), 255, dtype=np.uint8)


def test_lines_are_laid_on_steps_in_order_within_the_width() -> None:
    settings = StripSettings(gap=48, width=640)
    crops = [
        _blank(w, 24) for w in (50, 130, 20, 90, 100, 60, 150)
    ]  # 100, 260, 40, 180, 200, 120, 300 px at 48
    strips = plan_strips(crops, [0, 1, 2, 3, 4, 5, 6], settings)
    assert [line.crop for s in strips for line in s.lines] == list(range(7))
    for strip in strips:
        assert strip.width >= REC_MIN_WIDTH
        for line in strip.lines:
            assert line.left % REC_STEP == 0 and line.width == natural_width(crops[line.crop])
        for a, b in zip(strip.lines, strip.lines[1:], strict=False):
            assert b.left - (a.left + a.width) >= settings.gap
        assert strip.lines[-1].left + strip.lines[-1].width <= max(settings.width, strip.lines[0].width)
    assert len(strips) == 3
    assert plan_strips(crops, [], settings) == []


def _decoder() -> CTCLabelDecode:
    return CTCLabelDecode(character=list("12合计"))  # classes: blank, 1, 2, 合, 计, " "


def _preds(steps: int, reads: dict[int, int]) -> np.ndarray:
    """Model output with class `reads[t]` at step t and the blank elsewhere."""
    out = np.zeros((1, steps, 6), dtype=np.float32)
    out[0, :, 0] = 0.9
    for t, cls in reads.items():
        out[0, t, :] = 0.0
        out[0, t, cls] = 0.8
    return out


def test_each_line_gets_what_was_read_over_its_part_of_the_strip() -> None:
    # Line A over steps 0..4 (40 px), gap to step 11, line B over steps 11..16, padding to 40 steps.
    strip = Strip((Placed(0, 0, 40, 39.5), Placed(1, 88, 48, 48.0)), 320)
    reads = {
        1: 1,  # "1" inside A
        3: 2,  # "2" inside A
        6: 5,  # a space read in the gap: dropped
        10: 3,  # "合" in the gap, nearer B: B's
        13: 4,  # "计" inside B
        30: 5,  # a space in the padding: dropped
    }
    (a_text, a_score, a_words), (b_text, _, b_words) = split_predictions(_preds(40, reads), strip, _decoder())
    assert (a_text, b_text) == ("12", "合计")
    assert a_score == pytest.approx(0.8)
    # Word columns count from each line's own left edge; its length is its own width in steps.
    assert a_words.word_cols == [[1, 3]] and a_words.line_txt_len == pytest.approx(39.5 / 8)
    assert b_words.word_cols == [[0, 2]] and b_words.line_txt_len == pytest.approx(6)


def test_a_reading_stands_only_when_every_character_is_sure() -> None:
    settings = StripSettings(alone_below=0.98)
    assert sure(WordInfo(confs=[0.999, 0.99]), settings)
    assert not sure(WordInfo(confs=[0.999, 0.97]), settings)  # e.g. `80.00` read `80.` beside other cells
    assert not sure(WordInfo(confs=[]), settings)  # read as nothing


def _cell(text: str, size: int = 22) -> np.ndarray:
    """A table cell's text as a detector crops it: the text with a margin of paper around it."""
    if not Path(FONT).exists():
        pytest.skip(f"{FONT} not installed (Debian: fonts-noto-cjk)")
    font = ImageFont.truetype(FONT, size)
    x0, y0, x1, y1 = font.getbbox(text)
    pad = size // 2
    img = Image.new("RGB", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), (235, 235, 235))
    ImageDraw.Draw(img).text((pad - x0, pad - y0), text, font=font, fill=(30, 30, 30))
    return np.asarray(img)[:, :, ::-1].copy()  # BGR, as RapidOCR crops


def test_the_model_reads_table_cells_in_strips_as_it_reads_them_alone() -> None:
    from extractor.ingest.ocr import get_engine

    cells = ["1,467.89", "0.00", "合计", "233.33", "12,345.67", "基本支出", "-", "2,579.00", "项目", "10.5"]
    crops = [_cell(t) for t in cells] + [_cell("一般公共预算财政拨款支出决算表（续）")]
    staged = get_engine("rapidocr", threads=2)._load()  # type: ignore[attr-defined]
    assert staged.strips is not None  # packing is the default
    together = staged.recognise(crops)
    staged.strips = None
    alone = staged.recognise(crops)
    assert list(together.txts) == list(alone.txts) == [*cells, "一般公共预算财政拨款支出决算表（续）"]
    for crop, words in zip(crops, together.word_results, strict=True):
        assert words.line_txt_len == pytest.approx(scaled_width(crop) / REC_STEP)
        assert all(0 <= c <= words.line_txt_len for cols in words.word_cols for c in cols)
    # A line whose reading in a strip is not sure is read again alone: when none is sure,
    # the page comes out exactly as read one line per run, scores included.
    staged.strips = StripSettings(alone_below=1.01)
    doubted = staged.recognise(crops)
    assert doubted.txts == alone.txts and list(doubted.scores) == list(alone.scores)
    staged.strips = StripSettings(alone_below=0.0)
    assert list(staged.recognise(crops).scores) != list(alone.scores)  # strips read, scores their own
