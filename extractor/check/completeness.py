"""Completeness: the standard tables a 部门决算 should carry, and a 自评报告's text against
its own 自评表 (the same project printed twice in one file)."""

from __future__ import annotations

from collections.abc import Iterator

from extractor.check.base import Context, check, fmt, half_unit
from extractor.schemas import FinalAccount, Finding, ProjectSelfEval

STANDARD_IDS = [f"{n:02d}" for n in range(1, 10)]


@check(
    "complete.standard_tables",
    ("final_account",),
    "warning",
    "a 部门决算 carries all nine tables 公开01–09表",
)
def standard_tables(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    present = {t.id for t in report.tables}
    missing = [i for i in STANDARD_IDS if i not in present]
    yield ctx.finding(
        "complete.standard_tables",
        "warning",
        "fail" if missing else "pass",
        f"missing 公开{'、'.join(missing)}表" if missing else "all nine standard tables found",
        "01–09",
        ",".join(sorted(present)) or "none",
        None,
        [],
    )


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
