"""Value types of REPORT_FORMAT v1: decimal strings that keep their printed precision.

Amounts, percentages, scores and counts are all `Decimal` in memory and decimal
strings on the wire (``"1467.16"``, ``"0.00"``, ``"98"``). Floats are refused:
they cannot carry ``0.00`` versus ``0`` and silently round.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")


def parse_decimal_string(value: Any) -> Decimal:
    """Accept a plain decimal string (or int / Decimal); refuse floats and formatted text."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError('expected a decimal string such as "1467.16", got a boolean')
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise ValueError(
            f'expected a decimal string such as "1467.16", got the JSON number {value!r}: '
            "write it as a string so its printed precision is kept"
        )
    if isinstance(value, str):
        if not _DECIMAL_RE.match(value):
            raise ValueError(
                f'expected a plain decimal string such as "1467.16" (no separators, units or %), got {value!r}'
            )
        try:
            return Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise ValueError(f"not a decimal: {value!r}") from exc
    raise ValueError(f"expected a decimal string, got {type(value).__name__}")


def _decimal_to_string(value: Decimal) -> str:
    # format(..., "f") never produces exponent notation, so "1E+1" cannot leak out.
    return format(value, "f")


DecimalString = Annotated[
    Decimal,
    BeforeValidator(parse_decimal_string),
    PlainSerializer(_decimal_to_string, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _DECIMAL_RE.pattern}),
]
"""A decimal kept exactly as printed; serialised as a string."""

Amount = DecimalString
"""An amount in 万元 (ten-thousand yuan)."""

Percent = DecimalString
"""A percentage as the number before the % sign (``93.77%`` -> ``93.77``)."""

Score = DecimalString
"""A score, weight or count."""
