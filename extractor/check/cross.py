"""Attachments against the main report: a 整体支出绩效自评报告 bound into a 部门决算
states the same totals as the 决算's tables (warnings: scopes can legitimately differ)."""

from __future__ import annotations

from collections.abc import Iterator

from extractor.check.base import Context, check, fmt, half_unit
from extractor.schemas import FinalAccount, Finding, OverallSelfEval

_PAIRS = [
    ("total_expenditure", "expenditure_total", "总支出"),
    ("basic_expenditure", "basic_expenditure", "基本支出"),
    ("project_expenditure", "project_expenditure", "项目支出"),
    ("personnel_expenditure", "personnel_expenses", "人员经费"),
    ("public_expenditure", "public_expenses", "公用经费"),
    ("three_public_total", "three_public_actual", "“三公”经费"),
    ("initial_budget", "initial_budget", "年初预算"),
]


@check(
    "cross.attachment",
    ("overall_self_eval",),
    "warning",
    "an overall self-evaluation bound into a 部门决算 agrees with the 决算's key figures",
)
def attachment_vs_final_account(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, OverallSelfEval)
    accounts = [(i, r) for i, r in enumerate(ctx.reports) if isinstance(r, FinalAccount)]
    if not accounts or report.department is None:
        return
    fa_index, fa = accounts[0]
    # Only the department-wide report: a form for one unit (…本级, …中心) covers part of the department.
    if fa.department and report.department != fa.department:
        return
    for own, theirs, label in _PAIRS:
        mine, other = getattr(report, own), getattr(fa.key_figures, theirs)
        if mine is None or other is None:
            continue
        tolerance = half_unit(mine) + half_unit(other)
        ok = abs(mine - other) <= tolerance
        yield ctx.finding(
            "cross.attachment",
            "warning",
            "pass" if ok else "fail",
            f"{label}: the self-evaluation states {fmt(mine)}, the 决算 tables {fmt(other)}",
            expected=fmt(other),
            actual=fmt(mine),
            tolerance=fmt(tolerance),
            fields=[own, f"reports[{fa_index}].key_figures.{theirs}"],
        )
