"""Completeness: the standard tables a 部门决算 should carry, and a 自评报告's text against
its own 自评表 (the same project printed twice in one file)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt, half_unit
from extractor.check.contents import contents_pages
from extractor.check.text import squeeze
from extractor.schemas import Evidence, FinalAccount, Finding, ProjectSelfEval
from extractor.schemas.final_account import TableBase
from extractor.vocab.common import EMPTY_TABLE_CLAIM
from extractor.vocab.final_account import STANDARD_TABLES, TABLE_NUMBER, TITLE_END
from extractor.vocab.final_account_checks import STANDARD_TITLES

STANDARD_IDS = [f"{n:02d}" for n in range(1, 10)]


def _table_id(title: str) -> str | None:
    """The standard table a printed title names, by its words (numbered `公开0X表` or not)."""
    number = re.search(TABLE_NUMBER, title)
    if number:
        return number.group(1)
    for table_id, must, must_not in STANDARD_TABLES:
        if all(w in title for w in must) and not any(w in title for w in must_not):
            return table_id
    return None


def _printed_titles(ctx: Context) -> dict[str, int]:
    """Standard tables whose title is printed in the body (outside the 目录): id → page."""
    source = ctx.source
    if source is None:
        return {}
    toc = contents_pages(source)
    out: dict[str, int] = {}
    for line in source.lines:
        text = squeeze(line.text)
        if line.page in toc or len(text) > 60 or not re.search(TITLE_END, text):
            continue
        table_id = _table_id(text)
        if table_id is not None:
            out.setdefault(table_id, line.page)
    return out


@check(
    "complete.standard_tables",
    ("final_account",),
    "warning",
    "a 部门决算 carries the nine standard tables (by title, numbered 公开0X表 or not), each with rows or its empty-table note",
)
def standard_tables(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    present = {t.id for t in report.tables} | set(_printed_titles(ctx))
    missing = [i for i in STANDARD_IDS if i not in present]
    names = "、".join(STANDARD_TITLES[i] for i in missing)
    yield ctx.finding(
        "complete.standard_tables",
        "warning",
        "fail" if missing else "pass",
        f"no table titled {names}" if missing else "all nine standard tables found (by title)",
        "01–09",
        ",".join(sorted(present)) or "none",
        None,
        [],
    )
    for ti, table in enumerate(report.tables):
        if not table.rows and not table.empty_note:
            yield ctx.finding(
                "complete.standard_tables",
                "warning",
                "fail",
                f"{table.title or STANDARD_TITLES.get(table.id, table.id)} is printed without rows and without the note "
                "that says why it is empty",
                "rows or an empty-table note",
                "neither",
                None,
                [f"tables[{ti}].title"],
            )


@check(
    "complete.empty_note",
    ("final_account", "budget"),
    "warning",
    "a table whose note says it is empty prints no amount",
)
def empty_note_with_amounts(ctx: Context) -> Iterator[Finding]:
    for ti, table in enumerate(getattr(ctx.report, "tables", [])):
        if not table.empty_note:
            continue
        amounts = _amounts(table)
        if amounts:
            ri, column, value = amounts[0]
            yield ctx.finding(
                "complete.empty_note",
                "warning",
                "fail",
                f"{table.title}: the note says “{table.empty_note[:40]}”, yet the table prints {len(amounts)} "
                f"amounts (e.g. {column} {fmt(value)})",
                expected="no amounts",
                actual=fmt(value),
                fields=[f"tables[{ti}].empty_note", f"tables[{ti}].rows[{ri}].values.{column}"],
            )


_EMPTY_CLAIM = re.compile(EMPTY_TABLE_CLAIM)


def _amounts(table: TableBase) -> list[tuple[int, str, Decimal]]:
    """(row, column, value) of every non-zero amount the table prints."""
    return [
        (ri, column, value)
        for ri, row in enumerate(table.rows)
        for column, value in row.values.items()
        if value
    ]


@check(
    "complete.empty_note_printed",
    ("final_account", "budget"),
    "warning",
    "a note printed with a table saying the table is empty, under a table that prints amounts",
    needs_source=True,
)
def printed_empty_note_with_amounts(ctx: Context) -> Iterator[Finding]:
    """The extraction keeps a table's amounts and drops an empty-table note printed under them
    (it cannot be both); the note is still a false statement in the document. A page holding
    one table only, so that the note is that table's, and no empty table claiming it."""
    source = ctx.source
    if source is None:
        return
    tables = getattr(ctx.report, "tables", [])
    grids = Counter(block.span.page for block in source.blocks if block.kind == "table")
    noted = {page for table in tables if table.empty_note for page in table.pages}
    # The claims, once: on a page with one table, that no empty table claims.
    claims = [
        line
        for line in source.lines
        if grids[line.page] <= 1 and line.page not in noted and _EMPTY_CLAIM.search(squeeze(line.text))
    ]
    for ti, table in enumerate(tables):
        amounts = _amounts(table)
        for line in (line for line in claims if amounts and line.page in table.pages):
            ri, column, value = amounts[0]
            f = ctx.finding(
                "complete.empty_note_printed",
                "warning",
                "fail",
                f"{table.title}: the note “{squeeze(line.text)[:50]}” says the table is empty, yet it "
                f"prints {len(amounts)} amounts (e.g. {column} {fmt(value)})",
                expected="no empty-table note",
                actual=fmt(value),
                fields=[f"tables[{ti}].rows[{ri}].values.{column}"],
            )
            note = Evidence(page=line.page, bbox=line.bbox, text=line.text)
            yield f.model_copy(update={"evidence": {**f.evidence, "(note)": note}})
            break


def _is_form(report: ProjectSelfEval) -> bool:
    return bool(report.indicators)


@check(
    "cross.project_text_vs_form",
    ("project_self_eval",),
    "warning",
    "a 项目支出绩效自评报告 states the same funds as the 自评表 of the same project",
)
def text_vs_form(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, ProjectSelfEval)
    if _is_form(report) or not report.project_name or report.funds is None or report.funds.total is None:
        return
    forms = [
        (i, r)
        for i, r in enumerate(ctx.reports)
        if isinstance(r, ProjectSelfEval) and _is_form(r) and r.project_name == report.project_name
    ]
    if len(forms) != 1:
        return  # no form, or several with this name: nothing to pair with certainty
    form_index, form = forms[0]
    if form.funds is None or form.funds.total is None:
        return
    for column, label in (
        ("initial_budget", "年初预算"),
        ("adjusted_budget", "全年预算"),
        ("executed", "执行数"),
    ):
        mine, theirs = getattr(report.funds.total, column), getattr(form.funds.total, column)
        if mine is None or theirs is None:
            continue
        # Forms print whole 万元 amounts as set, not rounded (as in funds.sources).
        tolerance = half_unit(mine, exact_integers=True) + half_unit(theirs, exact_integers=True)

        ok = abs(mine - theirs) <= tolerance
        yield ctx.finding(
            "cross.project_text_vs_form",
            "warning",
            "pass" if ok else "fail",
            f"{report.project_name}: {label} {fmt(mine)} in the 自评报告, {fmt(theirs)} in its 自评表 (report {form_index})",
            fmt(theirs),
            fmt(mine),
            fmt(tolerance),
            [f"funds.total.{column}", f"reports[{form_index}].funds.total.{column}"],
        )
