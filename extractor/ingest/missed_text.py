"""Text inside ruled table cells that the OCR engine's detector did not find.

A detector misses a lone small glyph, most often a `0` printed against a cell's border
(a budget's empty 因公出国(境)费 is `0`, right-aligned): on the real corpus scanned,
five such cells went missing on two 三公 tables, and the detector found them neither at a
higher resolution nor with the rulings erased. The rulings are known here, and so is the
ink: ink inside a ruled cell that no OCR box covers is cut out with a margin and read
on its own, where the detector finds it. Only cells are searched, so a seal, a logo or a
signature on the page around a table is never read as text.

The detector also leaves off a line's edge in a cell: a thin `一` with its `、` at the
start (`一、一般公共预算财政拨款` read as `一般公共预算财政拨款`, which made a table's first
body row look like part of its header on an archive-quality scan), or an amount's last
digit against the cell's right border (`6.4` read `6.`). Ink between the OCR box and the
cell's border is such an edge: the line is read again over it (`lost_edges`,
`reread_over`), and the new reading stands only when it adds a list number before the old
text or digits after an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from extractor.ingest.ocr.base import OcrEngine, OcrLine, PixelBox
from extractor.ingest.raster import Segment
from extractor.vocab.common import AMOUNT_CELL, OCR_LOST_END, OCR_LOST_START


@dataclass(frozen=True)
class MissedTextSettings:
    """Tolerances, in points (converted with the page's pixels per point).

    covered_margin: ink this close to an OCR box belongs to it (a stroke past the box's
      edge, a character's tail), as a share of the box's height.
    border_clear: ink this close to a cell's left border is what is left of the ruling.
    edge_margin/edge_min_ink: ink before or after a line in its cell counts from this far
      past its box (a share of the box's height) and from this many dark pixels: a faint
      `一、` on a 150-dpi archive scan had 37.
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
    edge_margin: float = 0.1
    band_inset: float = 0.15
    edge_min_ink: int = 20
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


class LostEdge(NamedTuple):
    """A line whose start or end the detector left off: ink in its cell beyond its box."""

    line: int
    """Which of the page's lines."""
    box: PixelBox
    """The line's box reaching over that ink."""
    end: bool
    """The ink is after the line (a last digit), not before it (a list number)."""


def lost_edges(
    dark: np.ndarray,
    boxes: list[PixelBox],
    vertical: list[Segment],
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> list[LostEdge]:
    """The OCR boxes in a ruled cell with ink between the box and the cell's left or right
    border, in the box's rows, that no other box covers. `dark` is the dark mask with the
    rulings in it (a thin 一 is long enough to pass for a ruling on a small page); the band
    keeps clear of the cell's borders (`border_clear` from the side one, `band_inset` of the
    box's height from the top and bottom)."""
    out: list[LostEdge] = []
    for i, box in enumerate(boxes):
        for end in (False, True):
            widened = _beyond(dark, boxes, i, box, vertical, end, px_per_pt, settings)
            if widened is not None:
                out.append(LostEdge(i, widened, end))
    return out


def _beyond(
    dark: np.ndarray,
    boxes: list[PixelBox],
    i: int,
    box: PixelBox,
    vertical: list[Segment],
    end: bool,
    px_per_pt: float,
    settings: MissedTextSettings,
) -> PixelBox | None:
    """`box` reaching to the ink on one side of it in its cell, or None (no cell, no ink)."""
    x0, y0, x1, y1 = box
    h, w = dark.shape
    cy = (y0 + y1) / 2
    clear = settings.border_clear * px_per_pt
    margin = (y1 - y0) * settings.edge_margin
    if end:
        borders = [v.pos for v in vertical if v.pos > x1 and v.lo <= cy <= v.hi]
        left, right = (int(x1 + margin), int(min(borders) - clear)) if borders else (0, 0)
    else:
        borders = [v.pos for v in vertical if v.pos < x0 and v.lo <= cy <= v.hi]
        left, right = (int(max(borders) + clear), int(x0 - margin)) if borders else (0, 0)
    inset = (y1 - y0) * settings.band_inset
    top, bottom = max(int(y0 + inset), 0), min(int(y1 - inset) + 1, h)
    left, right = max(left, 0), min(right, w)
    if not borders or right <= left or bottom <= top:
        return None  # not in a ruled cell (prose is left as read), or no room
    if any(
        j != i and b[0] < right and b[2] > left and b[1] < bottom and b[3] > top for j, b in enumerate(boxes)
    ):
        return None  # another line's text is there
    band = dark[top:bottom, left:right]
    if int(np.count_nonzero(band)) < settings.edge_min_ink:
        return None
    columns = np.nonzero(band.any(axis=0))[0]
    if end:
        return (x0, y0, float(left + columns.max() + 1), y1)
    return (float(left + columns.min()), y0, x1, y1)


def reread_over(
    image: np.ndarray,
    line: OcrLine,
    edge: LostEdge,
    engine: OcrEngine,
    px_per_pt: float,
    settings: MissedTextSettings = DEFAULT,
) -> OcrLine:
    """`line` read again over `edge.box` (it and the ink beyond it); the new reading when it
    is one line that is the old text with a list number before it (OCR_LOST_START), or an
    amount's last digits after it (OCR_LOST_END); else `line` as it was. The box stops
    `border_clear` short of the cell's border, so a border is never read as a `1`."""
    again = read_regions(image, [edge.box], engine, px_per_pt, settings)
    if len(again) != 1:
        return line
    new, old = again[0].text.replace(" ", ""), line.text.replace(" ", "")
    if len(new) <= len(old):
        return line
    if edge.end and new.startswith(old) and re.match(OCR_LOST_END, old + "|" + new[len(old) :]):
        return again[0] if re.fullmatch(AMOUNT_CELL, new) else line
    if not edge.end and new.endswith(old) and re.match(OCR_LOST_START, new[: len(new) - len(old)]):
        return again[0]
    return line
