"""Image files (PNG, JPEG, TIFF, BMP) to page arrays, one frame at a time, within the limits.

Every decoding failure Pillow can raise becomes one InputError naming the file.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractor.core.errors import InputError
from extractor.core.limits import DEFAULT_LIMITS, Limits, too_big

_MIN_SIDE = 16
"""Pixels: a smaller image cannot hold a line of text, and OCR models refuse it."""

_PILLOW_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    Image.DecompressionBombError,
)
"""What Pillow's decoders raise on damaged files (its own fuzzers accept these as "bad input")."""


def load_image(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> np.ndarray | list[np.ndarray]:
    """Read a PNG/JPEG/TIFF/BMP as uint8 (H×W grayscale or H×W×3 RGB); a multi-page TIFF gives a list."""
    frames = list(iter_frames(path, limits))
    return frames if len(frames) > 1 else frames[0]


def iter_frames(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[np.ndarray]:
    """The frames of an image as arrays, decoded one at a time, within the pixel and frame limits."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file not found")
    # Our own pixel limit (checked per frame before it is decoded) replaces Pillow's global
    # bomb check, so the user sees our message and the --max-pixels flag.
    Image.MAX_IMAGE_PIXELS = None
    count = 0
    try:
        with Image.open(path) as img:
            for frame in ImageSequence.Iterator(img):
                count += 1
                if count > limits.max_pages:
                    raise InputError(
                        str(path),
                        too_big(
                            "the image",
                            f"more than {limits.max_pages} frames",
                            f"{limits.max_pages} pages or frames",
                            "--max-pages",
                        ),
                    )
                width, height = frame.size
                if width * height > limits.max_pixels:
                    raise InputError(
                        str(path),
                        too_big(
                            f"frame {count}",
                            f"{width}×{height} pixels",
                            f"{limits.max_pixels / 1e6:g} million pixels",
                            "--max-pixels",
                        ),
                    )
                if min(width, height) < _MIN_SIDE:
                    raise InputError(
                        str(path),
                        f"frame {count} is {width}×{height} pixels: too small to hold readable text",
                    )
                yield _to_array(frame)
    except InputError:
        raise
    except _PILLOW_ERRORS as exc:
        raise InputError(str(path), f"not a readable image ({exc}); give a PNG, JPEG or TIFF") from exc
    if count == 0:
        raise InputError(str(path), "image has no frames")


def _to_array(img: Image.Image) -> np.ndarray:
    img = ImageOps.exif_transpose(img) or img
    if img.mode in ("1", "L"):
        return np.asarray(img.convert("L"))
    if img.mode.startswith("I") or img.mode == "F":
        # 16-bit and float scans: stretch to 0..255 rather than clip.
        arr = np.asarray(img, dtype=np.float64)
        top = float(arr.max()) or 1.0
        return np.asarray(arr * (255.0 / top), dtype=np.uint8)
    if "A" in img.mode or "transparency" in img.info:
        # Transparent regions are paper: composite onto white.
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return np.asarray(img.convert("RGB"))
