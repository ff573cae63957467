"""The checker framework: a check is a small named rule over one report (or all of them)
that returns findings with status pass / fail / skipped, never a guess.

One rounding policy for every check:

- every printed number is exact to half a unit of its last digit, so a sum may differ
  from its printed total by the sum of those half units;
- a sum whose printed total differs from its parts by a nonzero amount that rounding
  can explain (the 0.01-level slip of a table computed in 元 and printed in 万元) is a
  *warning* that prints both numbers, never an error;
- a printed rate or share passes when it is the rounded **or the truncated** form of the
  exact quotient (9746.50 / 10210.34 = 95.457…: `95.46%` and `95.45%` both pass), widened
  by the rounding of its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context as DecimalContext
from decimal import Decimal
from typing import Literal

from extractor.check.source import SourceText
from extractor.core.types import SourceSpan
from extractor.schemas import Evidence, Finding, Report

Severity = Literal["error", "warning", "info"]
Term = tuple[str, Decimal]
"""(field path inside the report, value)."""


def half_unit(value: Decimal, *, exact_integers: bool = False) -> Decimal:
    """Half a unit of the last printed digit: 971.50 → 0.005, 98 → 0.5.

    With `exact_integers`, a whole number has no rounding: scores, weights and the
    whole-万元 amounts of performance forms are set, not computed.
    """
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exact_integers and exponent >= 0:
        return Decimal(0)
    return Decimal(5) * Decimal(10) ** (exponent - 1)


def rounded(value: Decimal, exponent: Decimal) -> Decimal:
    """`value.quantize(exponent)` that never raises: a 28+-digit amount would exceed the default precision."""
    digits = max(value.adjusted(), 0) - exponent.as_tuple().exponent + 2  # type: ignore[operator]
    return value.quantize(exponent, context=DecimalContext(prec=max(28, digits)))


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


@dataclass(frozen=True)
class Context:
    """What a check sees: the report, its index, and every report of the document (for cross checks)."""

    report: Report
    index: int
    reports: Sequence[Report]
    paragraphs: Sequence[SourceSpan] = ()
    """The report's narrative (one span per paragraph), when the source is at hand; prose checks need it."""
    source: SourceText | None = None
    """Headings, paragraphs and printed lines of the report's pages, when the source is at hand."""

    def evidence(self, paths: Iterable[str]) -> dict[str, Evidence]:
        """Where each field was read; `reports[N].<path>` names a field of another report."""
        out: dict[str, Evidence] = {}
        for path in paths:
            other = _OTHER_REPORT.match(path)
            report = self.reports[int(other.group(1))] if other else self.report
            inner = other.group(2) if other else path
            if inner in report.evidence:
                out[path] = report.evidence[inner]
        return out

    def finding(
        self,
        check_id: str,
        severity: Severity,
        status: Literal["pass", "fail", "skipped"],
        message: str,
        expected: str | None = None,
        actual: str | None = None,
        tolerance: str | None = None,
        fields: Sequence[str] = (),
    ) -> Finding:
        """A finding about this report, carrying the evidence of every field involved."""
        return Finding(
            check=check_id,
            severity=severity,
            report=self.index,
            status=status,
            message=message,
            expected=expected,
            actual=actual,
            tolerance=tolerance,
            fields=list(fields),
            evidence=self.evidence(fields),
        )


@dataclass(frozen=True)
class Check:
    id: str
    kinds: tuple[str, ...]
    severity: Severity
    description: str
    run: Callable[[Context], Iterable[Finding]] = field(compare=False)
    needs_source: bool = False
    """Reads the source document (narrative, headings, lines): runs only when it is at hand."""


REGISTRY: list[Check] = []
_OTHER_REPORT = re.compile(r"^reports\[(\d+)\]\.(.+)$")


def check(
    id: str, kinds: tuple[str, ...], severity: Severity, description: str, *, needs_source: bool = False
) -> Callable[[Callable[[Context], Iterable[Finding]]], Callable[[Context], Iterable[Finding]]]:
    """Register a check function (the registry is filled once, at import, and never changes)."""

    def register(fn: Callable[[Context], Iterable[Finding]]) -> Callable[[Context], Iterable[Finding]]:
        REGISTRY.append(
            Check(
                id=id,
                kinds=kinds,
                severity=severity,
                description=description,
                run=fn,
                needs_source=needs_source,
            )
        )
        return fn

    return register


def skipped(
    ctx: Context, check_id: str, severity: Severity, reason: str, fields: Sequence[str] = ()
) -> Finding:
    return ctx.finding(check_id, severity, "skipped", reason, fields=fields)


def sum_finding(
    ctx: Context,
    check_id: str,
    severity: Severity,
    label: str,
    total: Term,
    parts: Sequence[Term],
    *,
    relation: str = "Σ",
    exact_integers: bool = False,
) -> Finding:
    """total = Σ parts, within the rounding of every printed number involved.

    A nonzero difference inside that rounding is reported as a warning with both numbers
    (a rounding slip an auditor may want to see), not as an error.
    """
    expected = sum((v for _, v in parts), Decimal(0))
    tolerance = half_unit(total[1], exact_integers=exact_integers) + sum(
        (half_unit(v, exact_integers=exact_integers) for _, v in parts), Decimal(0)
    )
    diff = abs(expected - total[1])
    fields = [total[0], *(p for p, _ in parts)]
    terms = " + ".join(fmt(v) for _, v in parts) if len(parts) <= 8 else f"{len(parts)} parts"
    message = f"{label}: printed {fmt(total[1])}, {relation} {terms} = {fmt(expected)}"
    status: Literal["pass", "fail"] = "pass"
    if diff > tolerance:
        status = "fail"
        message += f" (off by {fmt(diff)}, more than rounding allows: {fmt(tolerance)})"
    elif diff and severity != "info":
        status, severity = "fail", "warning"
        message += (
            f" (a rounding-level slip of {fmt(diff)}: printed {fmt(total[1])}, parts give {fmt(expected)})"
        )
    return ctx.finding(
        check_id, severity, status, message, fmt(expected), fmt(total[1]), fmt(tolerance), fields
    )


def rate_fits(printed: Decimal, exact: Decimal, slack: Decimal) -> str | None:
    """How `printed` shows `exact` ("rounded" or "truncated"), or None when it shows neither.

    `slack` widens both by the rounding of the quotient's inputs.
    """
    if abs(exact - printed) <= half_unit(printed) + slack:
        return "rounded"
    unit = half_unit(printed) * 2
    if printed - slack <= exact < printed + unit + slack and exact >= 0 <= printed:
        return "truncated"
    if printed - unit - slack < exact <= printed + slack and exact < 0:
        return "truncated"
    return None


def ratio_finding(
    ctx: Context,
    check_id: str,
    severity: Severity,
    label: str,
    printed: Term,
    numerator: Term,
    denominator: Term,
    *,
    scale: Decimal = Decimal(100),
    exact_integers: bool = False,
) -> Finding:
    """printed ≈ numerator / denominator × scale, at the printed precision widened by the inputs' rounding."""
    n, d, p = numerator[1], denominator[1], printed[1]
    fields = [printed[0], numerator[0], denominator[0]]
    if d == 0:
        return skipped(
            ctx, check_id, severity, f"{label}: denominator {denominator[0]} is 0, no ratio to check", fields
        )
    expected = n / d * scale
    hn, hd = half_unit(n, exact_integers=exact_integers), half_unit(d, exact_integers=exact_integers)
    slack = scale * (hn / abs(d) + abs(n) * hd / (d * d))
    tolerance = half_unit(p) + slack
    how = rate_fits(p, expected, slack)
    status: Literal["pass", "fail"] = "pass" if how else "fail"
    shown = rounded(expected, Decimal("0.01"))
    if status == "fail":
        message = f"{label}: printed {fmt(p)}, but {fmt(n)} / {fmt(d)} = {fmt(shown)}"
    else:
        message = f"{label}: printed {fmt(p)} = {fmt(n)} / {fmt(d)} ({fmt(shown)})"
        if how == "truncated":
            message += f", truncated rather than rounded ({fmt(rounded(expected, Decimal('0.0001')))})"
    return ctx.finding(
        check_id,
        severity,
        status,
        message,
        fmt(shown),
        fmt(p),
        fmt(rounded(tolerance, Decimal("0.0001"))),
        fields,
    )
