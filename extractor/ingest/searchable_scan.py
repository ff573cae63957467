"""Scans that carry a text layer of their own (a "searchable" or OCR'd PDF).

A scanner's software, or Acrobat's and ABBYY's "make searchable", puts the page image on
the page and its own OCR text with it: invisible over the image (text render mode 3),
or drawn beneath it. A reader sees the image. The text layer holds no table rulings
(they are pixels of the image) and reads whatever that OCR read, so taken as a
born-digital page, every ruled table on it is lost: the real corpus built this way
(`benchmarks/real_scans.py --searchable`, 424 pages) scored field F1 0.079 and table
cells 0.002 from the hidden layer, and scores 0.999 and 0.994 read as scans.

So with `--ocr auto` such a page is read as the scan it is (pdf.needs_ocr); `--ocr
never` still takes the hidden layer, for a user who trusts it over the rulings.

The test is on what MuPDF's bbox log says was drawn, in order: images covering most of
the page, and most of the text either invisible or under one of those images. A
born-digital page on a full-page background (a letterhead, a watermark) draws its text
after the image, visibly, and is not a scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Rect = tuple[float, float, float, float]

_IMAGES = ("fill-image", "fill-imgmask")
_TEXT = ("fill-text", "stroke-text", "ignore-text")
_INVISIBLE = "ignore-text"


@dataclass(frozen=True)
class SearchableScanSettings:
    """When a page is a scan with a text layer; one object, so the tolerances are not bare numbers.

    covered: the images drawn on the page cover at least this share of it. A scan is one
      image of the whole sheet, or a few strips of it; a scanner may leave a margin.
    hidden: more than this share of the page's text is invisible or under an image.
    """

    covered: float = 0.8
    hidden: float = 0.5


DEFAULT_SEARCHABLE_SCAN = SearchableScanSettings()


def is_searchable_scan(
    log: Sequence[tuple[str, Rect]],
    width: float,
    height: float,
    settings: SearchableScanSettings = DEFAULT_SEARCHABLE_SCAN,
) -> bool:
    """Whether a page, by its bbox log (`pymupdf.Page.get_bboxlog()`: what was drawn, in
    order, with its box), is a scanned image whose text is hidden."""
    area = width * height
    if area <= 0:
        return False
    images = [(i, rect) for i, (kind, rect) in enumerate(log) if kind in _IMAGES]
    shown = sum(_area(_clip(rect, width, height)) for _, rect in images)
    if shown < settings.covered * area:
        return False
    texts = [(i, kind, rect) for i, (kind, rect) in enumerate(log) if kind in _TEXT]
    if not texts:
        return False
    hidden = sum(
        1
        for i, kind, rect in texts
        if kind == _INVISIBLE or any(j > i and _holds(image, _centre(rect)) for j, image in images)
    )
    return hidden > settings.hidden * len(texts)


def _clip(rect: Rect, width: float, height: float) -> Rect:
    x0, y0, x1, y1 = rect
    return (max(x0, 0.0), max(y0, 0.0), min(x1, width), min(y1, height))


def _area(rect: Rect) -> float:
    x0, y0, x1, y1 = rect
    return max(0.0, x1 - x0) * max(0.0, y1 - y0)


def _centre(rect: Rect) -> tuple[float, float]:
    x0, y0, x1, y1 = rect
    return ((x0 + x1) / 2, (y0 + y1) / 2)


def _holds(rect: Rect, point: tuple[float, float]) -> bool:
    x0, y0, x1, y1 = rect
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1
