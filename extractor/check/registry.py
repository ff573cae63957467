"""Running every registered check over a document's reports."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.check import budget as _budget  # noqa: F401 - registers the budget checks
from extractor.check import budget_prose as _budget_prose  # noqa: F401 - registers the budget prose checks
from extractor.check import completeness, cross, forms, prose, tables  # noqa: F401 - registers the checks
from extractor.check.base import REGISTRY, Check, Context
from extractor.core.types import SourceSpan
from extractor.schemas import Finding, Report


def checks_for(kind: str) -> list[Check]:
    return [c for c in REGISTRY if kind in c.kinds]


def run_checks(
    reports: Sequence[Report], narratives: Sequence[Sequence[SourceSpan]] | None = None
) -> list[Finding]:
    """Findings of every check that applies to each report, in report order.

    `narratives` holds each report's paragraphs; without them (a saved result) prose checks do not run.
    """
    findings: list[Finding] = []
    for index, report in enumerate(reports):
        paragraphs = narratives[index] if narratives else ()
        ctx = Context(report=report, index=index, reports=reports, paragraphs=paragraphs)
        for chk in checks_for(report.kind):
            findings.extend(chk.run(ctx))
    return findings


def summary_line(name: str, findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.status == s) for s in ("pass", "fail", "skipped")}
    errors = sum(1 for f in findings if f.status == "fail" and f.severity == "error")
    warnings = sum(1 for f in findings if f.status == "fail" and f.severity == "warning")
    return (
        f"{name}: {len(findings)} checks, {counts['fail']} failed ({errors} errors, {warnings} warnings), "
        f"{counts['skipped']} skipped"
    )
