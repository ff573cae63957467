"""Which way up a page image is, judged from what the OCR engine read on it.

Scanners deliver landscape tables as portrait images with the content turned a
quarter (either way), and now and then a sheet upside down; the PDF often says
nothing (/Rotate 0). Read as it lies, such a page gives tall text boxes (sideways)
or garbage read at low confidence (upside down), and no table.

Nothing here is run for a page read well: the first read is judged, and only a
page that reads badly is turned and read again, keeping the best reading. The
judgement uses only what every `OcrEngine` returns (boxes and confidences).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from extractor.ingest.ocr.base import OcrResult, PixelBox


@dataclass(frozen=True)
class OrientationSettings:
    """Tolerances for judging a page's reading.

    Measured on 316 upright scanned pages (the 97 sample scan pages and every other page
    of the real corpus as scans, benchmarks/real_scans.py): the share of text in tall
    boxes is at most 0.09, the median line confidence at least 0.82 (a four-line cover;
    95% of pages ≥ 0.994), so one page scored under `good_score` and costs one more read.
    Turned a quarter, the tall share is ~1.0; upside down, the median confidence 0.58–0.73.
    """

    good_score: float = 0.85
    """A reading scoring this much (see `upright_score`) is kept as it is."""
    better_by: float = 0.1
    """A turned reading replaces the first only when it scores this much higher."""
    tall: float = 1.5
    """A box whose height is this many times its width holds sideways text."""
    text_ink: float = 0.002
    """Share of dark pixels, rulings aside, above which a page with nothing read is worth
    turning: a cover's one title line has ~0.5%; a blank back's specks, a lone page number or
    an empty ruled form far less."""
    sure_line: float = 0.9
    """Median confidence of the tall boxes above which they were read the right way round."""


DEFAULT_ORIENTATION = OrientationSettings()


def _is_tall(box: PixelBox, settings: OrientationSettings) -> bool:
    return box[3] - box[1] > settings.tall * (box[2] - box[0])


def _areas(result: OcrResult, settings: OrientationSettings) -> tuple[float, float]:
    """Area of the boxes that are wide and of those that are tall (squarish ones count in neither)."""
    wide = tall = 0.0
    for line in result.lines:
        x0, y0, x1, y1 = line.box
        w, h = x1 - x0, y1 - y0
        if _is_tall(line.box, settings):
            tall += w * h
        elif w > settings.tall * h:
            wide += w * h
    return wide, tall


def upright_score(
    result: OcrResult, settings: OrientationSettings = DEFAULT_ORIENTATION, ink: float = 0.0
) -> float:
    """0..1: the share of text in wide boxes times the median line confidence.

    An upright page scores near 1; sideways ~0 (its lines are tall); upside down ~0.6
    (its lines are wide but read as garbage at low confidence). A page with nothing read
    scores 0 when its share of dark pixels other than rulings (`ink`) reaches `text_ink`
    (the engine drops what it reads at low confidence, so an upside-down or sideways cover
    can come back empty), else 1: rulings, specks or a stamp are no reason to read a page
    again.
    """
    if not result.lines:
        return 0.0 if ink >= settings.text_ink else 1.0
    wide, tall = _areas(result, settings)
    share = wide / (wide + tall) if wide + tall > 0 else 1.0
    return share * statistics.median(line.confidence for line in result.lines)


def turns_to_try(result: OcrResult, settings: OrientationSettings = DEFAULT_ORIENTATION) -> list[int]:
    """Quarter turns (numpy.rot90's k, counter-clockwise) worth reading the page at, likeliest first.

    Sideways text (mostly tall boxes) is turned a quarter; the engine may already have
    read the tall boxes turned one way (RapidOCR turns a tall crop counter-clockwise),
    and if they read well that is the way the page goes. Otherwise the page is tried
    upside down, and so is a page with nothing read.
    """
    if not result.lines:
        # Upside down (a cover fed the wrong way round) only: a page of large ink read as nothing
        # is more often a photo or a chart than a sideways cover, and each try is a full read.
        return [2]
    wide, tall = _areas(result, settings)
    if tall > wide:
        tall_lines = [ln for ln in result.lines if _is_tall(ln.box, settings)]
        read_well = statistics.median(ln.confidence for ln in tall_lines) >= settings.sure_line
        return [1, 3] if read_well else [3, 1]
    return [2]
