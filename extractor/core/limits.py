"""Bounds on what one input may cost: a hostile or broken file gets one clear error, never the batch.

Every limit has a default that real fiscal reports stay far below (the longest
published 部门决算 we know has a few hundred pages), a command-line flag, and a
message naming the flag when it is hit. Result files read by check / eval /
export are bounded in schemas/io.py (size, nesting depth, digits per number):
the report models stand alone, so those limits live beside the JSON reader.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MB = 1 << 20


class Limits(BaseModel):
    """Per-file limits; 0 turns a time or memory limit off."""

    model_config = ConfigDict(frozen=True)

    max_pages: int = Field(default=1000, ge=1)
    """Pages of a PDF or frames of a multi-page TIFF."""
    max_pixels: int = Field(default=100_000_000, ge=1)
    """Pixels of one image, or of one PDF page rendered for OCR (10,000 × 10,000)."""
    max_text_mb: float = Field(default=10.0, gt=0)
    """Size of a plain-text input (a 300-page report as text is about 1 MB)."""
    timeout_s: float = Field(default=1800.0, ge=0)
    """Wall-clock seconds per file in a batch (an 82-page scan takes about 4 minutes on one core)."""
    max_memory_mb: int = Field(default=4096, ge=0)
    """Address space (MB) one file may add to its worker; OCR of a scan needs about 1 GB of it."""


DEFAULT_LIMITS = Limits()


def too_big(what: str, amount: str, limit: str, flag: str) -> str:
    """The reason text for a limit that was hit."""
    return f"{what} is {amount}, over the limit of {limit}; raise it with {flag} if the file is genuine"


__all__ = ["DEFAULT_LIMITS", "MB", "Limits", "too_big"]
