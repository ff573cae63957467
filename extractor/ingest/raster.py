"""Pixel-level analysis of page scans: binarising, skew, and ruling lines.

Plain numpy, and OpenCV (a dependency of RapidOCR, which we require) for the rotation:
these run before OCR on every scanned page, whatever the OCR engine.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from extractor.core.disjoint import DisjointSet

MAX_SKEW = 5.0
"""Degrees; scans are searched for a skew in [-MAX_SKEW, MAX_SKEW]. A sheet laid on a flatbed
by hand is often 2–4° off; left at 3.5° a table's borders break into pieces, and it is lost."""
MIN_SKEW = 0.05
"""Degrees; a smaller skew is left alone (rotating costs sharpness for nothing)."""
COARSE_SAMPLE = 4
"""The coarse skew search reads one dark pixel in this many (see estimate_skew)."""
RULING_MIN_FRACTION = 0.03
"""A ruling is at least this fraction of the page's shorter side long (longer than any glyph
stroke of body text). The shorter side, not the width: a stroke's length follows the font
size, and on a landscape page 3% of the width (25 pt) is more than a one-row header cell's
border (~23 pt), which was lost and the header's two cells read as one."""
RULING_MAX_THICK_PT = 3.0
"""Thicker dark bars are fills or blocks, not borders."""
RULING_BRIDGE_PT = 0.8
"""Gaps up to this along a line (scan dropouts) are bridged."""


class Segment(NamedTuple):
    """A ruling candidate in pixels: a horizontal one at y=pos from x=lo to x=hi, a vertical
    one at x=pos from y=lo to y=hi; `thick` is its mean thickness."""

    pos: float
    lo: float
    hi: float
    thick: float


def to_gray(image: np.ndarray) -> np.ndarray:
    """uint8 H×W from a grayscale, RGB or RGBA uint8 image (or a boolean mask, True = white)."""
    if image.dtype == np.bool_:
        image = np.where(image, 255, 0).astype(np.uint8)
    if image.dtype != np.uint8:
        raise ValueError(f"page image must be uint8 (got {image.dtype})")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] in (3, 4):
        rgb = image[:, :, :3].astype(np.float32)
        return np.asarray(rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32), dtype=np.uint8)
    raise ValueError(f"page image must be H×W, H×W×3 or H×W×4 (got shape {image.shape})")


def binarise(gray: np.ndarray) -> np.ndarray:
    """Dark pixels (True) by Otsu's threshold; scans vary too much in exposure for a fixed one."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    p = hist / max(hist.sum(), 1.0)
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * omega - mu) ** 2 / (omega * (1.0 - omega))
    threshold = int(np.nanargmax(between)) if np.isfinite(between).any() else 127
    # Capped: on a blank, noisy page Otsu splits the paper's own noise and would call half of it ink.
    return gray <= min(threshold, 200)


def estimate_skew(gray: np.ndarray) -> float:
    """Degrees the content is rotated counter-clockwise (PIL's sense); 0.0 when unsure.

    Projection profile: shear the dark pixels' rows by x·tan(a) and keep the angle
    whose row histogram is sharpest (text lines and rulings collapse onto few rows).
    """
    dark = binarise(gray)
    factor = max(1, min(dark.shape) // 1000)  # ~1000 px is enough; "any dark" pooling keeps thin lines
    if factor > 1:
        h, w = (dark.shape[0] // factor) * factor, (dark.shape[1] // factor) * factor
        dark = np.asarray(dark[:h, :w].reshape(h // factor, factor, w // factor, factor).any(axis=(1, 3)))
    ys, xs = np.nonzero(dark)
    if len(ys) < 500:
        return 0.0
    xc = xs.astype(np.float32) - np.float32(dark.shape[1] / 2.0)
    # Rows offset to stay positive at any angle searched, plus 0.5 so truncation rounds.
    yf = ys.astype(np.float32) + np.float32(dark.shape[1] * np.tan(np.radians(MAX_SKEW + 0.5)) + 0.5)

    def sharpness(angle: float, every: int = 1) -> float:
        shear = np.float32(np.tan(np.radians(angle)))
        rows = np.bincount((yf[::every] + xc[::every] * shear).astype(np.intp))
        return float(np.dot(rows, rows))

    # The coarse step reads every COARSE_SAMPLE-th dark pixel: a page has 10⁵–10⁶ of them, and a
    # 0.1° step only has to land next to the peak, which the fine step then finds on all of them.
    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.1), key=lambda a: sharpness(a, COARSE_SAMPLE))
    fine = max(np.arange(coarse - 0.1, coarse + 0.1 + 1e-9, 0.01), key=sharpness)
    return round(float(fine), 2)


def deskew(image: np.ndarray, skew: float) -> np.ndarray:
    """Rotate back by `skew` degrees about the centre, same size, white where nothing was.

    OpenCV's bicubic warp (RapidOCR installs OpenCV): PIL's bicubic rotate gives the same
    pixels within a few grey levels but took ~80 ms of a 200-dpi A4 page against ~12 ms,
    and it runs before OCR can start."""
    if abs(skew) < MIN_SKEW:
        return image
    import cv2

    h, w = image.shape[:2]
    # Centre in OpenCV's pixel-centre coordinates, so the page turns about the same point as PIL's.
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), -skew, 1.0)
    fill = (255,) * (1 if image.ndim == 2 else image.shape[2])
    rotated = cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )
    return np.asarray(rotated)


def _long_runs(dark: np.ndarray, min_len: int, bridge: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, start, end) of dark runs along rows at least `min_len` long, gaps ≤ `bridge` bridged."""
    padded = np.zeros((dark.shape[0], dark.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # exclusive; row-major order pairs them with the starts
    if len(starts) == 0:
        return rows, starts, ends
    joined = (rows[1:] == rows[:-1]) & (starts[1:] - ends[:-1] <= bridge)
    first = np.concatenate([[True], ~joined])
    last = np.concatenate([~joined, [True]])
    rows, starts, ends = rows[first], starts[first], ends[last]
    keep = ends - starts >= min_len
    return rows[keep], starts[keep], ends[keep]


def _segments(dark: np.ndarray, min_len: int, bridge: int, max_thick: float) -> list[Segment]:
    """Long thin dark bars along rows, runs in adjacent rows merged into one bar."""
    rows, starts, ends = _long_runs(dark, min_len, bridge)
    sets = DisjointSet(len(rows))
    by_row: dict[int, list[int]] = {}
    for i, r in enumerate(rows.tolist()):
        by_row.setdefault(r, []).append(i)
    for r, here in by_row.items():
        for i in here:
            for j in by_row.get(r + 1, ()):
                if starts[j] < ends[i] and starts[i] < ends[j]:
                    sets.union(i, j)
    found = []
    for members in sets.groups():
        idx = np.array(members)
        lengths = ends[idx] - starts[idx]
        x0, x1 = int(starts[idx].min()), int(ends[idx].max())
        # Mean thickness (ink / length) rather than row extent, so a slightly tilted line still counts as thin.
        if lengths.sum() / (x1 - x0) > max_thick:
            continue
        y = float(np.average(rows[idx] + 0.5, weights=lengths))
        found.append(Segment(y, float(x0), float(x1), float(lengths.sum() / (x1 - x0))))
    return found


def find_rulings(dark: np.ndarray, width_pt: float) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical border candidates, in pixels."""
    px_per_pt = dark.shape[1] / width_pt
    min_len = max(8, round(min(dark.shape) * RULING_MIN_FRACTION))
    bridge = max(1, round(RULING_BRIDGE_PT * px_per_pt))
    max_thick = max(2.0, RULING_MAX_THICK_PT * px_per_pt)
    horizontal = _segments(dark, min_len, bridge, max_thick)
    vertical = _segments(np.ascontiguousarray(dark.T), min_len, bridge, max_thick)
    return horizontal, vertical


def erase(dark: np.ndarray, horizontal: list[Segment], vertical: list[Segment]) -> np.ndarray:
    """A copy of the dark mask without the given rulings (text measured without its borders)."""
    out = dark.copy()
    for seg in horizontal:
        half = seg.thick / 2 + 1
        out[max(round(seg.pos - half), 0) : round(seg.pos + half) + 1, round(seg.lo) : round(seg.hi) + 1] = (
            False
        )
    for seg in vertical:
        half = seg.thick / 2 + 1
        out[round(seg.lo) : round(seg.hi) + 1, max(round(seg.pos - half), 0) : round(seg.pos + half) + 1] = (
            False
        )
    return out
