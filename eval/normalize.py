"""Normalising values before they are compared: numbers as Decimals, text as NFKC without spaces."""

from __future__ import annotations

import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER_RE = re.compile(r"^[-+]?\d+(\.\d+)?$")
LONG_TEXT = 30
"""Texts longer than this many characters compare by similarity, not equality."""
LONG_TEXT_SIMILARITY = 0.9


def normalize_text(value: str) -> str:
    """Full-width to half-width (NFKC), whitespace removed, Latin lower-cased."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", text).lower()


def parse_number(value: object) -> Decimal | None:
    """A Decimal for values that are numbers once separators, % and 万元 are dropped; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    text = normalize_text(value).replace(",", "")
    for suffix in ("%", "万元"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if not _NUMBER_RE.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised texts in [0, 1]."""
    na, nb = normalize_text(a), normalize_text(b)
    if na == nb:
        return 1.0
    if not na or not nb:
        return 0.0
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


def values_equal(gold: object, pred: object) -> tuple[bool, str]:
    """Compare two leaf values; returns (equal, how they were compared)."""
    gold_num, pred_num = parse_number(gold), parse_number(pred)
    if gold_num is not None and pred_num is not None:
        return gold_num == pred_num, "decimal"
    if isinstance(gold, str) and isinstance(pred, str):
        ng, np_ = normalize_text(gold), normalize_text(pred)
        if ng == np_:
            return True, "text"
        if max(len(ng), len(np_)) > LONG_TEXT:
            ratio = similarity(gold, pred)
            return ratio >= LONG_TEXT_SIMILARITY, f"similarity {ratio:.2f}"
        return False, "text"
    return gold == pred, "exact"
