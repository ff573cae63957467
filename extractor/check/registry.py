"""Running every registered check over a document's reports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractor.check import (  # noqa: F401 - registers the checks
    budget,
    budget_prose,
    completeness,
    contents,
    cross,
    forms,
    goal_forms,
    narrative_tables,
    prose,
    prose_change,
    prose_items,
    prose_sums,
    rows,
    tables,
    template,
    within,
    wording,
)
from extractor.check.base import REGISTRY, Check, Context
from extractor.check.source import SourceText, source_text
from extractor.check.text import continuous
from extractor.core.types import LayoutDocument, SourceSpan
from extractor.extract.draft import DraftReport
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
        own: list[Finding] = []
        for chk in checks_for(report.kind):
            if chk.needs_source and not have_source:
                continue
            own.extend(_guarded(chk, ctx))
        findings.extend(one_per_statement(own))
    return findings


_QUOTE = re.compile(r"“(.+?)”(?=[:： (（]|$)")


def one_per_statement(findings: list[Finding]) -> list[Finding]:
    """One finding per printed statement: the general prose checks and a kind's own checks may
    both read a sentence. A finding repeating an earlier one's check, status, expected and
    actual values for the same quoted statement on the same page goes (a failure also when
    another check raised it), and a `skipped` (could not tell) goes when another check of the
    same id decided that statement."""
    decided = {(f.check, q) for f in findings if f.status != "skipped" for q in _quotes(f)}
    said: list[tuple[tuple[str, str, str | None, str | None], set[str], set[int]]] = []
    out = []
    for f in findings:
        quotes, pages = _quotes(f), {ev.page for ev in f.evidence.values()}
        if f.status == "skipped" and any((f.check, q) in decided for q in quotes):
            continue
        if quotes and any(_repeats(f, quotes, pages, key, others, where) for key, others, where in said):
            continue
        if quotes:
            said.append(((f.check, f.status, f.expected, f.actual), quotes, pages))
        out.append(f)
    return out


def _repeats(
    f: Finding,
    quotes: set[str],
    pages: set[int],
    key: tuple[str, str, str | None, str | None],
    others: set[str],
    where: set[int],
) -> bool:
    check, status, expected, actual = key
    same_claim = (f.expected, f.actual) == (expected, actual) and (
        (f.check == check and f.status == status) or f.status == status == "fail"
    )
    same_place = not pages or not where or bool(pages & where)
    return same_claim and same_place and any(_same(q, o) for q in quotes for o in others)


def _quotes(finding: Finding) -> set[str]:
    return {re.sub(r"[\s,，…]", "", q) for q in _QUOTE.findall(finding.message)}


def _same(a: str, b: str) -> bool:
    """Two quotes of one statement: one holds the other's last dozen characters (quotes are cut
    at different starts)."""
    tail = min(len(a), len(b), 12)
    return bool(tail) and (a[-tail:] in b or b[-tail:] in a)


def check_drafts(drafts: Sequence[DraftReport], layout: LayoutDocument | None = None) -> list[Finding]:
    """`run_checks` on the drafts of an extraction: each report with its own narrative."""
    return run_checks([d.report for d in drafts], [d.narrative for d in drafts], layout=layout)


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
