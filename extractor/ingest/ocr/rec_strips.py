"""Short text lines recognised several to a run, side by side in one strip.

The recognition model reads a line scaled to 48 px high and padded to at least 320 px
wide (RapidOCR pads with the model's zero, a mid grey), and its cost grows with that
width. A table cell (`0.00`, `1,467.89`, `合计`) is 60–250 px wide at that height, so most
of its run is padding: on 30 ruled-table pages of the real corpus rendered as scans,
1,024 of 1,275 lines were that short and their padding was a third of all the width
recognised. Here short lines are laid side by side, in reading order, with a gap of
the same grey between them, and the strip is recognised once. CTC gives every decoded
character the step (8 px of width) it was read at, so each line gets back the
characters read over its own part of the strip, with word columns counted from its own
left edge — what RapidOCR's word boxes need.

The model sees neighbours it would not see alone, so a few readings differ; measured
on the sample and real-table scans in `StripSettings`'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

REC_HEIGHT = 48
"""Text lines are scaled to this height for recognition (PP-OCR rec models)."""
REC_MIN_WIDTH = 320
"""…and padded to at least this width, so a short cell costs a 320-px run."""
REC_STEP = 8
"""Pixels of width per CTC step (the model's output has width/8 steps)."""


@dataclass(frozen=True)
class StripSettings:
    """How short lines are packed; one object, so the tolerances are not bare numbers.

    gap: grey pixels between two lines (a multiple of REC_STEP, so every line starts on a
      step). Measured on 287 short lines of the sample scans and 1,024 of the real-table
      scans, readings that differ from one line per run: 24 px 18 and 15, 32 px 14 and
      18, 48 px 10 and 12. The differences are half-width/full-width brackets, spaces, a
      page number's trailing `-` read as `一`, and, at 24–32 px, a neighbour's last
      character read into the next line; 48 px keeps the lines apart.
    width: a strip holds lines up to this many pixels (gaps included). Past 320 the cost
      only adds up; a longer strip gives more neighbours to each line.
    alone_below: a line's reading in a strip stands only when every character was read
      with at least this confidence; otherwise the line is read again alone (`sure`).
      Strip readings that differed from reading alone (`30102` as `301012`, `80.00` as
      `80.`) each had a character under 0.98; with the check, the 5 of 1,674 short lines
      that still read differently all read better (`邯电费` → `邮电费`).
    """

    gap: int = 48
    width: int = 640
    alone_below: float = 0.98


def scaled_width(crop: np.ndarray) -> float:
    """Width of a line crop scaled to the model's height, in (fractional) pixels."""
    h, w = (int(v) for v in crop.shape[:2])
    return REC_HEIGHT * w / max(h, 1)


def natural_width(crop: np.ndarray) -> int:
    """Width in px of a line crop scaled to the model's height (as RapidOCR scales it)."""
    return math.ceil(scaled_width(crop))


def is_short(crop: np.ndarray) -> bool:
    return natural_width(crop) < REC_MIN_WIDTH


class Placed(NamedTuple):
    """A line in a strip: which of the page's crops, its left edge and width in px."""

    crop: int
    left: int
    width: int
    scaled: float
    """The unrounded width (scaled_width): RapidOCR's word boxes measure the line by it."""


class Strip(NamedTuple):
    lines: tuple[Placed, ...]
    width: int
    """Pixels the model reads (the lines, the gaps, and padding up to REC_MIN_WIDTH)."""


def plan_strips(crops: list[np.ndarray], indices: list[int], settings: StripSettings) -> list[Strip]:
    """The crops at `indices` (short lines, in reading order) laid into strips."""
    strips: list[Strip] = []
    placed: list[Placed] = []
    cursor = 0
    for i in indices:
        width = natural_width(crops[i])
        if placed and cursor + width > settings.width:
            strips.append(_strip(placed))
            placed, cursor = [], 0
        placed.append(Placed(i, cursor, width, scaled_width(crops[i])))
        cursor += _on_step(width + settings.gap)
    if placed:
        strips.append(_strip(placed))
    return strips


def _on_step(px: int) -> int:
    return -(-px // REC_STEP) * REC_STEP


def _strip(placed: list[Placed]) -> Strip:
    last = placed[-1]
    return Strip(tuple(placed), max(REC_MIN_WIDTH, last.left + last.width))


def compose(crops: list[np.ndarray], strip: Strip) -> np.ndarray:
    """The model's input for a strip: 1×3×48×width, normalised as RapidOCR normalises a line."""
    import cv2

    out = np.zeros((1, 3, REC_HEIGHT, strip.width), dtype=np.float32)
    for line in strip.lines:
        resized = cv2.resize(crops[line.crop], (line.width, REC_HEIGHT)).astype(np.float32)
        out[0, :, :, line.left : line.left + line.width] = resized.transpose(2, 0, 1) / 127.5 - 1.0
    return out


def split_predictions(preds: np.ndarray, strip: Strip, decoder: Any) -> list[tuple[str, float, Any]]:
    """(text, score, word info) per line of the strip, from the model's output (1×steps×classes).

    A character read in a gap belongs to the nearer line (the gap is split at its middle);
    a space read in a gap is dropped, as it would be read in padding. Word columns are
    counted from the line's own left edge, and its length in steps is its own width, so
    RapidOCR's word boxes land on the line as if it had been read alone."""
    tokens = preds.argmax(axis=2)[0]
    probs = preds.max(axis=2)[0]
    steps = len(tokens)
    space = len(decoder.character) - 1  # RapidOCR appends " " as the last class
    out = []
    lines = strip.lines
    for k, line in enumerate(lines):
        first = line.left // REC_STEP
        end = min(steps, math.ceil((line.left + line.width) / REC_STEP))
        lo = first if k == 0 else _middle(lines[k - 1], line, steps)
        hi = steps if k == len(lines) - 1 else _middle(line, lines[k + 1], steps)
        window = tokens[lo:hi].copy()
        outside = np.ones(hi - lo, dtype=bool)
        outside[max(first - lo, 0) : max(end - lo, 0)] = False
        window[outside & (window == space)] = 0  # 0: the CTC blank
        (result,), (words,) = decoder.decode(
            window[None],
            probs[lo:hi][None],
            True,
            wh_ratio_list=[line.scaled / REC_STEP],
            max_wh_ratio=hi - lo,
            remove_duplicate=True,
        )
        shift = first - lo
        words.word_cols = [[max(c - shift, 0) for c in cols] for cols in words.word_cols]
        out.append((str(result[0]), float(result[1]), words))
    return out


def _middle(left: Placed, right: Placed, steps: int) -> int:
    """The step that splits the gap between two neighbouring lines."""
    left_end = math.ceil((left.left + left.width) / REC_STEP)
    return min(steps, (left_end + right.left // REC_STEP + 1) // 2)


def sure(words: Any, settings: StripSettings) -> bool:
    """Whether a line's reading in a strip stands: every character read with at least
    `alone_below` confidence (a line read as nothing is not sure either)."""
    confs = list(getattr(words, "confs", None) or ())
    return bool(confs) and min(confs) >= settings.alone_below
