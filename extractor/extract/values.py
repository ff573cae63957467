"""Reading printed numbers: thousands separators, full-width digits, 元 → 万元, percentages."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

AMOUNT_RE = re.compile(r"[-－]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|[-－]?\d+(?:\.\d+)?")
_FULL_AMOUNT = re.compile(r"^\s*[-－]?(\d{1,3}(?:[,，]\d{3})+|\d+)(\.\d+)?\s*(万元|元|%|％|分|人)?\s*$")


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def compact(text: str) -> str:
    """Text as REPORT_FORMAT wants it: spaces between Chinese characters removed,
    one space kept between Latin words/digits."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def parse_amount(text: str, *, unit: str = "万元") -> Decimal | None:
    """The decimal a cell or match prints (`1,467.16` → 1467.16), converted to 万元; None if not a number."""
    cleaned = normalize(text).replace("，", ",")
    match = _FULL_AMOUNT.match(cleaned)
    if not match:
        return None
    suffix = match.group(3)
    number = Decimal(
        cleaned[: match.start(3)].strip().replace(",", "") if suffix else cleaned.strip().replace(",", "")
    )
    if (suffix == "元" or (suffix is None and unit == "元")) and suffix != "万元":
        number = yuan_to_wan(number)
    return number


def yuan_to_wan(value: Decimal) -> Decimal:
    """Move the decimal point four places; keep every printed digit (123456.00 元 → 12.345600 → 12.3456)."""
    shifted = value.scaleb(-4)
    text = format(shifted, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") if value == value.to_integral_value() else text
    return Decimal(text)


def parse_percent(text: str) -> Decimal | None:
    cleaned = normalize(text).replace("％", "%").replace(" ", "")
    match = re.fullmatch(r"([-]?\d+(?:\.\d+)?)%?", cleaned)
    return Decimal(match.group(1)) if match else None


def parse_count(text: str) -> Decimal | None:
    cleaned = normalize(text).replace(" ", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(人|分|个|项)?", cleaned)
    return Decimal(match.group(1)) if match else None


def is_amount(text: str) -> bool:
    return parse_amount(text) is not None
