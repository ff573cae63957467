"""Running every registered check over a document's reports."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.check import (  # noqa: F401 - registers the checks
    budget,
    budget_prose,
    completeness,
    contents,
    cross,
    forms,
    narrative_tables,
    prose,
    prose_change,
    prose_sums,
    rows,
    tables,
    template,
    wording,
)
from extractor.check.base import REGISTRY, Check, Context
from extractor.check.source import SourceText, source_text
from extractor.check.text import continuous
from extractor.core.types import LayoutDocument, SourceSpan
from extractor.schemas import Finding, Report


def checks_for(kind: str) -> list[Check]:
    return [c for c in REGISTRY if kind in c.kinds]


def needs_source(check_id: str) -> bool:
    """Whether a check id (as found in a result) reads the source document."""
    return any(c.needs_source for c in REGISTRY if c.id == check_id)


def run_checks(
    reports: Sequence[Report],
    narratives: Sequence[Sequence[SourceSpan]] | None = None,
    layout: LayoutDocument | None = None,
) -> list[Finding]:
    """Findings of every check that applies to each report, in report order.

    `narratives` holds each report's paragraphs and `layout` the laid-out source; without
    them (a saved result) the checks that read the source do not run.
    """
    findings: list[Finding] = []
    have_source = narratives is not None or layout is not None
    for index, report in enumerate(reports):
        # Paragraphs the layout cut mid-sentence are joined again: a claim is read whole.
        paragraphs = continuous(narratives[index]) if narratives and index < len(narratives) else ()
        source: SourceText | None = source_text(layout, report.pages) if layout is not None else None
        ctx = Context(report=report, index=index, reports=reports, paragraphs=paragraphs, source=source)
        for chk in checks_for(report.kind):
            if chk.needs_source and not have_source:
                continue
            findings.extend(_guarded(chk, ctx))
    return findings


def _guarded(chk: Check, ctx: Context) -> list[Finding]:
    """A check's findings; a check that breaks on an unforeseen document says so in one skipped
    finding instead of taking the whole extraction down with it."""
    try:
        return list(chk.run(ctx))
    except Exception as exc:  # a bug in one check must not lose the other checks' findings
        return [
            ctx.finding(
                chk.id,
                chk.severity,
                "skipped",
                f"this check broke on this report ({type(exc).__name__}: {exc}); please report the file",
            )
        ]


def summary_line(name: str, findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.status == s) for s in ("pass", "fail", "skipped")}
    errors = sum(1 for f in findings if f.status == "fail" and f.severity == "error")
    warnings = sum(1 for f in findings if f.status == "fail" and f.severity == "warning")
    return (
        f"{name}: {len(findings)} checks, {counts['fail']} failed ({errors} errors, {warnings} warnings), "
        f"{counts['skipped']} skipped"
    )
