"""Bounds on what one input may cost: a hostile or broken file gets one clear error, never the batch.

Every limit has a default that real fiscal reports stay far below (the longest
published 部门决算 we know has a few hundred pages), a command-line flag, and a
message naming the flag when it is hit.
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
    max_json_mb: float = Field(default=200.0, gt=0)
    """Size of a result or gold file read by check / eval / export."""
    max_json_depth: int = Field(default=64, ge=2)
    """Nesting of a result file (REPORT_FORMAT needs about 8)."""
    max_number_digits: int = Field(default=60, ge=10)
    """Digits of one number in a result file or a text input (a 万亿 amount in 元 has 17)."""
    timeout_s: float = Field(default=1800.0, ge=0)
    """Wall-clock seconds per file in a batch (an 82-page scan takes about 4 minutes on one core)."""
    max_memory_mb: int = Field(default=4096, ge=0)
    """Address space (MB) one file may add to its worker; OCR of a scan needs about 1 GB of it."""


DEFAULT_LIMITS = Limits()


def too_big(what: str, amount: str, limit: str, flag: str) -> str:
    """The reason text for a limit that was hit."""
    return f"{what} is {amount}, over the limit of {limit}; raise it with {flag} if the file is genuine"


__all__ = ["DEFAULT_LIMITS", "MB", "Limits", "too_big"]
