"""Text inside ruled table cells that the OCR engine's detector did not find.

A detector misses a lone small glyph, most often a `0` printed against a cell's border
(a budget's empty 因公出国(境)费 is `0`, right-aligned): on the real corpus scanned,
five such cells went missing on two 三公 tables, and the detector found them neither at a
higher resolution nor with the rulings erased. The rulings are known here, and so is the
ink: ink inside a ruled cell that no OCR box covers is cut out with a margin and read
on its own, where the detector finds it. Only cells are searched, so a seal, a logo or a
signature on the page around a table is never read as text.

The detector also leaves off the start of a line: a thin `一` with its `、` (`一、一般公共预算
财政拨款` read as `一般公共预算财政拨款`), which made a table's first body row look like
part of its header on an archive-quality scan. Ink between a cell's left border and the
OCR box in it is such a start: the line is read again from the border (`lost_starts`,
`reread_from`), and the new reading stands only when it ends with the old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from extractor.ingest.ocr.base import OcrEngine, OcrLine, PixelBox
from extractor.ingest.raster import Segment
from extractor.vocab.common import OCR_LOST_START


@dataclass(frozen=True)
class MissedTextSettings:
    """Tolerances, in points (converted with the page's pixels per point).

    covered_margin: ink this close to an OCR box belongs to it (a stroke past the box's
      edge, a character's tail), as a share of the box's height.
    border_clear: ink this close to a cell's left border is what is left of the ruling.
    start_margin/start_min_ink: ink before a line in its cell counts from this far left of
      its box (a share of the box's height) and from this many dark pixels: a faint `一、`
      on a 150-dpi archive scan had 37.
    band_inset: that ink is looked for in the box's rows less this share of its height at
      the top and the bottom, clear of a horizontal border the box may touch.
    join: ink blobs this close are one region (the digits of one number).
    min_height/max_height: a region's height; smaller is a speck, taller is no text line.
    min_ink: fewer dark pixels than this is noise (an 8-pt digit at 200 dpi has ~60).
    pad: margin around a region cut out for the engine (the detector needs context).
    max_regions: more regions than this on a page is not a glyph or two the detector
      missed (an engine that read nothing, a page of hand-filled cells): none is read, so
      a page never turns into hundreds of small reads.
    """

    covered_margin: float = 0.3
    border_clear: float = 1.5
    start_margin: float = 0.1
    band_inset: float = 0.15
    start_min_ink: int = 20
    join: float = 4.0
    min_height: float = 4.0
    max_height: float = 30.0
    min_ink: int = 30
    pad: float = 8.0
    max_regions: int = 40


DEFAULT = MissedTextSettings()


def missed_regions(
    ink: np.ndarray,
    boxes: list[PixelBox],
    horizontal: list[Segment],
    vertical: list[Segment],
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> list[PixelBox]:
    """Boxes (px) of ink inside ruled cells that no OCR box covers; `ink` is the dark mask
    with the rulings erased."""
    import cv2

    if not horizontal or not vertical:
        return []
    uncovered = ink.copy()
    h, w = ink.shape
    for x0, y0, x1, y1 in boxes:
        m = (y1 - y0) * settings.covered_margin
        uncovered[
            max(int(y0 - m), 0) : min(int(y1 + m) + 1, h), max(int(x0 - m), 0) : min(int(x1 + m) + 1, w)
        ] = False
    if int(np.count_nonzero(uncovered)) < settings.min_ink:
        return []
    join = max(1, round(settings.join * px_per_pt))
    joined = cv2.dilate(uncovered.astype(np.uint8), np.ones((join, join), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    regions: list[PixelBox] = []
    for label in range(1, count):
        x, y, bw, bh, _ = (int(v) for v in stats[label])
        # The blob's own ink (not the dilation) decides its size and whether it is noise.
        own = uncovered[y : y + bh, x : x + bw] & (labels[y : y + bh, x : x + bw] == label)
        ys, xs = np.nonzero(own)
        if len(ys) < settings.min_ink:
            continue
        box = (float(x + xs.min()), float(y + ys.min()), float(x + xs.max() + 1), float(y + ys.max() + 1))
        height = (box[3] - box[1]) / px_per_pt
        if not settings.min_height <= height <= settings.max_height:
            continue
        if _in_a_cell(box, horizontal, vertical):
            regions.append(box)
    return regions if len(regions) <= settings.max_regions else []


def _in_a_cell(box: PixelBox, horizontal: list[Segment], vertical: list[Segment]) -> bool:
    """Whether rulings bound the box on all four sides (each ruling spanning the box's middle)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    left = any(v.pos <= box[0] and v.lo <= cy <= v.hi for v in vertical)
    right = any(v.pos >= box[2] and v.lo <= cy <= v.hi for v in vertical)
    above = any(s.pos <= box[1] and s.lo <= cx <= s.hi for s in horizontal)
    below = any(s.pos >= box[3] and s.lo <= cx <= s.hi for s in horizontal)
    return left and right and above and below


def read_regions(
    image: np.ndarray,
    regions: list[PixelBox],
    engine: OcrEngine,
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> list[OcrLine]:
    """What the engine reads in each region cut out on its own (a margin of the crop's paper
    tone around it), in page pixels; a line whose centre falls outside its region (a
    neighbour's edge) is dropped."""
    pad = round(settings.pad * px_per_pt)
    out: list[OcrLine] = []
    for x0, y0, x1, y1 in regions:
        top, left = int(y0), int(x0)
        crop = image[top : int(y1) + 1, left : int(x1) + 1]
        # The margin is the crop's own paper tone (a scan's paper is grey): no edge to detect.
        paper = np.percentile(crop.reshape(-1, *crop.shape[2:]), 90, axis=0).astype(np.uint8)
        padded = np.empty((crop.shape[0] + 2 * pad, crop.shape[1] + 2 * pad, *crop.shape[2:]), np.uint8)
        padded[...] = paper
        padded[pad : pad + crop.shape[0], pad : pad + crop.shape[1]] = crop
        dx, dy = left - pad, top - pad
        for line in engine.read(padded).lines:
            moved = _moved(line, dx, dy)
            cx, cy = (moved.box[0] + moved.box[2]) / 2, (moved.box[1] + moved.box[3]) / 2
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                out.append(moved)
    return out


def _moved(line: OcrLine, dx: float, dy: float) -> OcrLine:
    def shift(box: PixelBox) -> PixelBox:
        return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)

    words = tuple(w.model_copy(update={"box": shift(w.box)}) for w in line.words)
    return line.model_copy(update={"box": shift(line.box), "words": words})


def lost_starts(
    dark: np.ndarray,
    boxes: list[PixelBox],
    vertical: list[Segment],
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> list[tuple[int, PixelBox]]:
    """(index, widened box) for each OCR box in a ruled cell with ink between the cell's left
    border and the box, in the box's rows, that no other box covers: the line reaching back
    to that ink. `dark` is the dark mask with the rulings in it: a thin 一 before a line is
    long enough to pass for a ruling on a small page, and the band keeps clear of the
    cell's borders (`border_clear` from the left one, `band_inset` of the box's height from
    the top and bottom)."""
    h, w = dark.shape
    clear = settings.border_clear * px_per_pt
    out: list[tuple[int, PixelBox]] = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        cy = (y0 + y1) / 2
        borders = [v.pos for v in vertical if v.pos < x0 and v.lo <= cy <= v.hi]
        if not borders:
            continue  # not in a ruled cell: prose is left as read
        left = int(max(borders) + clear)
        right = int(x0 - (y1 - y0) * settings.start_margin)
        inset = (y1 - y0) * settings.band_inset
        top, bottom = max(int(y0 + inset), 0), min(int(y1 - inset) + 1, h)
        if right <= left or bottom <= top:
            continue
        if any(
            j != i and b[0] < right and b[2] > left and b[1] < bottom and b[3] > top
            for j, b in enumerate(boxes)
        ):
            continue  # another line's text is there
        band = dark[top:bottom, left : min(right, w)]
        if int(np.count_nonzero(band)) < settings.start_min_ink:
            continue
        columns = np.nonzero(band.any(axis=0))[0]
        out.append((i, (float(left + columns.min()), y0, x1, y1)))
    return out


def reread_from(
    image: np.ndarray,
    line: OcrLine,
    box: PixelBox,
    engine: OcrEngine,
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> OcrLine:
    """`line` read again over `box` (it and the ink before it); the new reading when it is one
    line that is the old text with a list number before it (OCR_LOST_START), else `line`."""
    again = read_regions(image, [box], engine, px_per_pt, settings)
    if len(again) != 1:
        return line
    new, old = again[0].text.replace(" ", ""), line.text.replace(" ", "")
    if len(new) > len(old) and new.endswith(old) and re.match(OCR_LOST_START, new[: len(new) - len(old)]):
        return again[0]
    return line
