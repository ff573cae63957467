"""The OCR engine protocol and the engine-neutral result types.

An engine turns one page image into lines of text with pixel boxes and
confidences; everything about pages, points and rulings happens later in
`extractor.ingest.image`, so an engine stays one small method over our own types.

Images are uint8 numpy arrays, H×W (grayscale) or H×W×3 (RGB, not BGR).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict

PixelBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in pixels of the image given to `read`, top-left origin."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class OcrWord(_Frozen):
    """A word (Latin/digits) or a single character (CJK) inside a line, as the engine boxes it."""

    text: str
    box: PixelBox
    confidence: float


class OcrLine(_Frozen):
    """One detected text box and its recognised text.

    `words` is empty when the engine gives no per-word boxes; when present the
    words are in reading order and their texts appear in `text` in that order.
    """

    text: str
    box: PixelBox
    confidence: float
    words: tuple[OcrWord, ...] = ()


class OcrResult(_Frozen):
    lines: tuple[OcrLine, ...] = ()


@runtime_checkable
class OcrEngine(Protocol):
    """What `page_from_image` needs from an OCR backend.

    Implementations are built once and reused for many pages (model load is
    slow), and must survive pickling for process pools: load models lazily on
    the first `read` and drop them in `__getstate__`.
    """

    name: str

    def read(self, image: np.ndarray) -> OcrResult:
        """Recognise the text of one page image; raise EngineError when the engine fails."""
        ...


def quad_to_box(quad: object) -> PixelBox:
    """Axis-aligned box around an engine's 4-point polygon (pages are deskewed before OCR)."""
    points = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def to_bgr(image: np.ndarray) -> np.ndarray:
    """RGB → BGR for engines built on OpenCV conventions; grayscale passes through."""
    if image.ndim == 3 and image.shape[2] == 3:
        return np.ascontiguousarray(image[:, :, ::-1])
    return image
