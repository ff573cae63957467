"""Performance-form checks: 执行率, the funds 得分, weights, scores, the funds sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import (
    Context,
    check,
    fmt,
    half_unit,
    ratio_finding,
    rounded,
    skipped,
    sum_finding,
)
from extractor.schemas import Finding, OverallSelfEval, ProjectSelfEval

FORM_KINDS = ("overall_self_eval", "project_self_eval")


def _funds(ctx: Context) -> tuple[tuple[str, Decimal | None], tuple[str, Decimal | None]]:
    """(executed, adjusted budget) with their paths, for either kind."""
    r = ctx.report
    if isinstance(r, ProjectSelfEval):
        total = r.funds.total if r.funds else None
        return (
            ("funds.total.executed", total.executed if total else None),
            ("funds.total.adjusted_budget", total.adjusted_budget if total else None),
        )
    assert isinstance(r, OverallSelfEval)
    return ("executed_amount", r.executed_amount), ("adjusted_budget", r.adjusted_budget)


@check("rate.execution", FORM_KINDS, "error", "执行率 = 全年执行数 / 全年预算数")
def execution_rate(ctx: Context) -> Iterator[Finding]:
    rate = getattr(ctx.report, "execution_rate", None)
    (e_path, executed), (b_path, budget) = _funds(ctx)
    if rate is None:
        return
    if executed is None or budget is None:
        yield skipped(
            ctx,
            "rate.execution",
            "error",
            "执行率 printed but 全年执行数 or 全年预算数 is not stated",
            ["execution_rate", e_path, b_path],
        )
        return
    yield ratio_finding(
        ctx,
        "rate.execution",
        "error",
        "执行率",
        ("execution_rate", rate),
        (e_path, executed),
        (b_path, budget),
        exact_integers=True,
    )


@check("score.funds", FORM_KINDS, "error", "资金得分 = 执行率 × 分值 (at most the 分值)")
def funds_score(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    rate, weight, score = (getattr(r, k, None) for k in ("execution_rate", "funds_weight", "funds_score"))
    fields = ["funds_score", "execution_rate", "funds_weight"]
    if score is None or weight is None:
        return
    if rate is None:
        yield skipped(ctx, "score.funds", "error", "资金得分 printed but no 执行率 to derive it from", fields)
        return
    expected = min(rate / 100, Decimal(1)) * weight
    tolerance = half_unit(score) + weight * half_unit(rate) / 100
    if score == score.to_integral_value() and expected != expected.to_integral_value():
        # A whole-number score for a fractional product was rounded to whole points.
        tolerance = max(tolerance, Decimal("0.5"))
    ok = abs(expected - score) <= tolerance
    message = (
        f"资金得分: printed {fmt(score)}, 执行率 {fmt(rate)}% × 分值 {fmt(weight)} = "
        f"{fmt(rounded(expected, Decimal('0.001')))}"
    )
    yield ctx.finding(
        "score.funds",
        "error",
        "pass" if ok else "fail",
        message,
        expected=fmt(rounded(expected, Decimal("0.001"))),
        actual=fmt(score),
        tolerance=fmt(tolerance),
        fields=fields,
    )


def _indicator_terms(ctx: Context, key: str) -> list[tuple[str, Decimal]] | None:
    terms = []
    for i, ind in enumerate(getattr(ctx.report, "indicators", [])):
        value = getattr(ind, key)
        if value is None:
            return None
        terms.append((f"indicators[{i}].{key}", value))
    return terms


@check("score.weights_total", FORM_KINDS, "error", "Σ 分值 (indicators + funds) = 100 or the printed total")
def weights_total(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if not getattr(r, "indicators", None):
        return
    terms = _indicator_terms(ctx, "weight")
    if terms is None:
        blank = [i for i, ind in enumerate(r.indicators) if ind.weight is None]  # type: ignore[union-attr]
        yield ctx.finding(
            "score.weights_total",
            "error",
            "fail",
            f"分值 blank for indicator(s) {blank}: the weights cannot add up to the basis",
            fields=[f"indicators[{i}].weight" for i in blank],
        )
        return
    funds_weight: Decimal | None = getattr(r, "funds_weight", None)
    if funds_weight is not None:
        terms.append(("funds_weight", funds_weight))
    yield sum_finding(
        ctx, "score.weights_total", "error", "Σ 分值", ("(basis)", Decimal(100)), terms, exact_integers=True
    )


@check("score.total", FORM_KINDS, "error", "Σ 得分 (indicators + funds) = printed 总分")
def scores_total(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    total_path = "total_score" if isinstance(r, ProjectSelfEval) else "self_score"
    total = getattr(r, total_path, None)
    if total is None or not getattr(r, "indicators", None):
        return
    terms = _indicator_terms(ctx, "score")
    if terms is None:
        yield skipped(
            ctx, "score.total", "error", "some 得分 cells are blank: cannot add them up", [total_path]
        )
        return
    funds_score_value: Decimal | None = getattr(r, "funds_score", None)
    if funds_score_value is not None:
        terms.append(("funds_score", funds_score_value))

    yield sum_finding(ctx, "score.total", "error", "总分", (total_path, total), terms, exact_integers=True)


@check("score.within_weight", FORM_KINDS, "error", "each 得分 ≤ its 分值")
def score_within_weight(ctx: Context) -> Iterator[Finding]:
    for i, ind in enumerate(getattr(ctx.report, "indicators", [])):
        if ind.score is None or ind.weight is None:
            continue
        fields = [f"indicators[{i}].score", f"indicators[{i}].weight"]
        ok = ind.score <= ind.weight
        yield ctx.finding(
            "score.within_weight",
            "error",
            "pass" if ok else "fail",
            f"{ind.name}: 得分 {fmt(ind.score)} {'≤' if ok else '>'} 分值 {fmt(ind.weight)}",
            expected=f"≤{fmt(ind.weight)}",
            actual=fmt(ind.score),
            fields=fields,
        )


@check("funds.sources", ("project_self_eval",), "error", "年度资金总额 = 当年财政拨款 + 上年结转 + 其他资金")
def funds_sources(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    assert isinstance(r, ProjectSelfEval)
    if r.funds is None or r.funds.total is None:
        return
    for column in ("initial_budget", "adjusted_budget", "executed"):
        total = getattr(r.funds.total, column)
        parts = [
            (f"funds.{row}.{column}", getattr(getattr(r.funds, row), column))
            for row in ("current_year", "carryover", "other")
            if getattr(r.funds, row) is not None and getattr(getattr(r.funds, row), column) is not None
        ]
        if total is None or not parts:
            continue
        yield sum_finding(
            ctx,
            "funds.sources",
            "error",
            f"年度资金总额 ({column})",
            (f"funds.total.{column}", total),
            parts,
            exact_integers=True,
        )


_HEADER_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


@check(
    "score.level1_weight",
    FORM_KINDS,
    "error",
    "a level-1 header's weight (产出指标 (40分)) = Σ its rows' 分值",
)
def level1_weights(ctx: Context) -> Iterator[Finding]:
    # The header's printed weight is in the level-1 cell's source text (the field itself drops it).
    indicators = getattr(ctx.report, "indicators", [])
    headers: dict[str, tuple[str, Decimal]] = {}
    rows: dict[str, list[tuple[str, Decimal]]] = {}
    for i, ind in enumerate(indicators):
        if ind.level1 is None:
            continue
        ev = ctx.report.evidence.get(f"indicators[{i}].level1")
        match = _HEADER_WEIGHT.search(ev.text) if ev else None
        if match and ind.level1 not in headers:
            headers[ind.level1] = (f"indicators[{i}].level1", Decimal(match.group(1)))
        if ind.weight is not None:
            rows.setdefault(ind.level1, []).append((f"indicators[{i}].weight", ind.weight))
    for level1, header in headers.items():
        yield sum_finding(
            ctx,
            "score.level1_weight",
            "error",
            f"{level1} ({fmt(header[1])}分)",
            header,
            rows.get(level1, []),
            exact_integers=True,
        )
