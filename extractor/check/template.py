"""What a blank template leaves behind, and the report year: placeholders (`XX局`,
`（单位名称）`), instruction text, alternatives left unchosen (`下降（增长）`), reasons announced
and not given, and years in titles, headings, `截至…` dates and `…年度` phrases that are not
the report's year (a year before the previous one only as history, never as the year compared with)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher

from extractor.check.base import Context, Severity, check
from extractor.check.text import evidence, narrative_blocks, sentences, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Finding
from extractor.vocab.wording import (
    ALTERNATIVES,
    COMPARES,
    EMPTY_REASON,
    INSTRUCTIONS,
    LEVEL_IN_DEFINITION,
    LEVEL_OF_REPORT,
    PLACEHOLDERS,
    RENAMED,
)

ALL_KINDS = ("final_account", "overall_self_eval", "project_self_eval", "transfer_self_eval", "budget")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _texts(ctx: Context) -> list[tuple[str, SourceSpan]]:
    return narrative_blocks(ctx.source, list(ctx.paragraphs))


def _fail(
    ctx: Context,
    check_id: str,
    severity: Severity,
    message: str,
    span: SourceSpan,
    phrase: str,
    expected: str | None = None,
) -> Finding:
    f = ctx.finding(check_id, severity, "fail", message, expected=expected, actual=phrase)
    return f.model_copy(update={"evidence": evidence(ctx.source, span, phrase)})


@check(
    "template.leftover",
    ALL_KINDS,
    "error",
    "no placeholder or instruction text of the blank template is left in",
    needs_source=True,
)
def leftovers(ctx: Context) -> Iterator[Finding]:
    # One finding per heading or paragraph and kind of leftover, quoting the first few.
    blank = bool(getattr(ctx.report, "template", False))
    count = 0
    first: tuple[SourceSpan, str] | None = None
    for _, span in _texts(ctx):
        text = squeeze(span.text)
        found: dict[tuple[str, Severity], list[str]] = {}
        for pattern, what in PLACEHOLDERS:
            for m in re.finditer(pattern, text):
                found.setdefault((what, "error"), []).append(text[max(0, m.start() - 8) : m.end() + 8])
        for pattern in INSTRUCTIONS:
            for m in re.finditer(pattern, text):
                found.setdefault(("template instruction", "error"), []).append(text[m.start() : m.end() + 12])
        for m in re.finditer(ALTERNATIVES, text):
            if m.group(1) != m.group(2):
                found.setdefault(("the template's alternatives left unchosen", "warning"), []).append(
                    m.group(0)
                )
        for m in re.finditer(EMPTY_REASON, text):
            found.setdefault(("a reason announced and not given", "warning"), []).append(
                text[max(0, m.start() - 12) : m.end()]
            )
        for (what, severity), quotes in found.items():
            shown = "”, “".join(quotes[:3]) + ("" if len(quotes) <= 3 else f"” and {len(quotes) - 3} more“")
            if blank:
                # The blank template itself: one error says so (below), each place is listed as info.
                count += 1
                first = first or (span, quotes[0])
                severity = "info"
            yield _fail(
                ctx, "template.leftover", severity, f"template leftover, {what}: “{shown}”", span, quotes[0]
            )
    if blank and first is not None:
        yield _fail(
            ctx,
            "template.leftover",
            "error",
            f"this report is the blank template (its title is a placeholder): {count} paragraphs keep its "
            "placeholders or instructions, each listed as info",
            first[0],
            first[1],
        )


@check(
    "template.department_name",
    ALL_KINDS,
    "warning",
    "the department is named as on the cover everywhere (no dropped or changed character)",
    needs_source=True,
)
def department_name(ctx: Context) -> Iterator[Finding]:
    name = squeeze(ctx.report.department or "")
    if len(name) < 6:
        return
    tail = name[-1:]
    seen: set[str] = set()  # each variant once, where it is first printed
    for _, span in _texts(ctx):
        text = squeeze(span.text)
        for m in re.finditer(re.escape(tail), text):
            if text[max(0, m.end() - len(name)) : m.end()] == name:
                continue
            candidates = [
                text[start : m.end()] for start in range(max(0, m.end() - len(name) - 3), m.end() - len(tail))
            ]
            if not candidates:
                continue
            best = max(candidates, key=lambda cand: SequenceMatcher(None, cand, name).ratio())
            ratio = SequenceMatcher(None, best, name).ratio()
            if ratio >= 0.8 and best not in seen and best[:2] == name[:2]:
                seen.add(best)
                yield _fail(
                    ctx,
                    "template.department_name",
                    "warning",
                    f"“{best}” where the report's department is “{name}”",
                    span,
                    best,
                    name,
                )


def report_year(ctx: Context) -> int | None:
    """The report's year: its fiscal_year, else the year most printed in its headings."""
    if ctx.report.fiscal_year:
        return ctx.report.fiscal_year
    years = Counter(
        int(y) for kind, span in _texts(ctx) if kind == "heading" for y in _YEAR.findall(span.text)
    )
    return years.most_common(1)[0][0] if years else None


def _is_title(kind: str, text: str) -> bool:
    return kind == "heading" or (len(text) <= 40 and not re.search(r"[，。；]", text))


@check(
    "template.year",
    ALL_KINDS,
    "error",
    "every year in titles, headings, 截至 dates and …年度 phrases is the report year",
    needs_source=True,
)
def years(ctx: Context) -> Iterator[Finding]:
    year = report_year(ctx)
    if year is None:
        return
    for kind, span in _texts(ctx):
        text = squeeze(span.text)
        title = _is_title(kind, text)
        for m in re.finditer(r"((?:19|20)\d{2})年度?(?:部门|单位)?(?:决算|预算)", text):
            named = int(m.group(1))
            if named == year:
                continue
            if title:
                yield _fail(
                    ctx,
                    "template.year",
                    "error",
                    f"title or heading names {named}, the report is of {year}: “{text[:40]}”",
                    span,
                    m.group(0),
                    str(year),
                )
            elif not (named == year - 1 and re.search(COMPARES, text)):
                yield _fail(
                    ctx,
                    "template.year",
                    "warning",
                    f"“{m.group(0)}” in a report of {year}: “{text[max(0, m.start() - 20) : m.end() + 20]}”",
                    span,
                    m.group(0),
                    str(year),
                )
        if title:
            continue
        # A 截至 date: a budget is drawn up in the year before its own and states dates of either;
        # a final account states its year's end, and other dates of its year or of the next
        # (when it was published).
        budget = ctx.report.kind == "budget"
        for m in re.finditer(r"截[至止]((?:19|20)\d{2})年(\d{1,2})月(?:\d{1,2}日|底|末)?", text):
            year_end = m.group(2) == "12"
            allowed = (year - 1, year) if budget else ((year,) if year_end else (year, year + 1))
            if int(m.group(1)) not in allowed:
                yield _fail(
                    ctx,
                    "template.year",
                    "error",
                    f"“{m.group(0)}” in a report of {year}",
                    span,
                    m.group(0),
                    str(year),
                )
        for sentence in sentences(text):
            compares = re.search(COMPARES, sentence.text)
            for m in re.finditer(r"((?:19|20)\d{2})年度", sentence.text):
                named = int(m.group(1))
                # The previous year is named for many reasons (a settlement, a carry-over, a
                # comparison); an earlier one is fine as history, not as the year compared with.
                if named in (year, year - 1) or (named < year - 1 and not compares):
                    continue
                yield _fail(
                    ctx,
                    "template.year",
                    "warning",
                    f"“{sentence.text[:50]}” names {named} in a report of {year}"
                    + (f" and compares with it (the previous year is {year - 1})" if compares else ""),
                    span,
                    m.group(0),
                    str(year),
                )


@check(
    "template.stale_name",
    ALL_KINDS,
    "warning",
    "no function class printed under the name it had before it was renamed (a stale template)",
    needs_source=True,
)
def stale_names(ctx: Context) -> Iterator[Finding]:
    year = report_year(ctx)
    if year is None or ctx.source is None:
        return
    seen: set[tuple[int, str]] = set()
    # Table cells too: a 收支总表 keeps the old class name as often as the narrative does.
    cells = [
        SourceSpan(page=table.pages[0] if table.pages else 1, text=row.name)
        for table in getattr(ctx.report, "tables", [])
        for row in table.rows
        if row.name
    ]
    for line in [*ctx.source.lines, *cells]:
        text = squeeze(line.text)
        for old, new, since in RENAMED:
            if year >= since and old in text and (line.page, old) not in seen:
                seen.add((line.page, old))
                yield _fail(
                    ctx,
                    "template.stale_name",
                    "warning",
                    f"“{old}” is printed (p. {line.page}); since {since} the class is named “{new}”",
                    line,
                    old,
                    new,
                )


_OWN_LEVEL = re.compile(LEVEL_OF_REPORT)
_DEFINED_LEVEL = re.compile(LEVEL_IN_DEFINITION)


@check(
    "template.level",
    ALL_KINDS,
    "warning",
    "definitions speak of the report's own level of government (区级 in a 区级 budget, not 市级)",
    needs_source=True,
)
def government_level(ctx: Context) -> Iterator[Finding]:
    """A 区 budget whose 名词解释 defines 基本支出 for `市级预算主管部门`: the text was copied from
    the level above. The report's level is the one its cover or title states (`区级部门预算`)."""
    source = ctx.source
    if source is None or not source.lines:
        return
    first_pages = set(source.pages()[:2])
    own = next(
        (
            m.group(1)
            for line in source.lines
            if line.page in first_pages
            for m in [_OWN_LEVEL.search(squeeze(line.text))]
            if m
        ),
        None,
    )
    if own is None:
        return
    for _, span in _texts(ctx):
        text = squeeze(span.text)
        other = next((m for m in _DEFINED_LEVEL.finditer(text) if m.group(1) != own), None)
        if other is None:
            continue
        yield _fail(
            ctx,
            "template.level",
            "warning",
            f"“{other.group(0)}” in a {own}级 report (its cover says {own}级): copied from another level's text?",
            span,
            other.group(0),
            f"{own}级",
        )
        return  # once: a copied glossary repeats the level in every definition
