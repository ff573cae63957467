"""Arithmetic claims in the narrative, recomputed: completion rates, year-on-year changes,
shares (占 X%), and amounts whose printed unit contradicts the sentence around them.

These need the report's paragraphs (`Context.paragraphs`); on a saved result without
its source they do not run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt, half_unit, ratio_finding, skipped
from extractor.core.types import SourceSpan
from extractor.schemas import Evidence, FinalAccount, Finding, OverallSelfEval

NUM = r"(\d[\d,，]*(?:\.\d+)?)"
PROSE_KINDS = ("final_account", "overall_self_eval", "project_self_eval", "transfer_self_eval", "budget")

_COMPLETION = [
    re.compile(
        rf"(年初|全年|调整后?)?预算(?:数)?为\s*{NUM}\s*万元[^。；]{{0,30}}?决算(?:数)?为\s*{NUM}\s*万元[^。；]{{0,12}}?"
        rf"完成(年初|全年|调整后?)?预算的\s*{NUM}\s*%"
    ),
    re.compile(
        rf"支出预算\s*{NUM}\s*万元[^。；]{{0,20}}?决算支出\s*{NUM}\s*万元[^。；]{{0,6}}?完成(?:支出)?预算的\s*{NUM}\s*%"
    ),
]
_PLAN_ACTUAL = re.compile(
    rf"(?:合同|计划)[^，。；\d]{{0,6}}?{NUM}\s*(万元|根|人|个|次)?[，,]\s*实际[^，。；\d]{{0,6}}?{NUM}\s*(?:万元|根|人|个|次)?"
    rf"[，,]\s*完成(?:进度|率)为?\s*{NUM}\s*%"
)
_SHARE = re.compile(
    # `_` as well as spaces before the share: an underlined blank filled in (`占_0.06%`, as OCR
    # reads a printed underline).
    rf"{NUM}\s*万元[，,]?\s*(?:\S{{0,2}})?占(?:比)?\s*(?:([^的，。；\d_]{{1,10}})的)?[\s_]*{NUM}\s*%"
)
_AMOUNT = re.compile(rf"{NUM}\s*(万元|元)")

# Names a share can be "of", and the key figure that states them when the sentence does not.
_BASES_FA = {
    "本年支出合计": "expenditure_total",
    "本年收入合计": "income_total",
    "支出合计": "expenditure_total",
    "收入合计": "income_total",
    "基本支出": "basic_expenditure",
    "项目支出": "project_expenditure",
}
_BASES_OVERALL = {
    "总支出": "total_expenditure",
    "基本支出": "basic_expenditure",
    "项目支出": "project_expenditure",
}


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _evidence(span: SourceSpan, text: str) -> dict[str, Evidence]:
    return {"(narrative)": Evidence(page=span.page, bbox=span.bbox, text=text)}


def _with_text(finding: Finding, span: SourceSpan, text: str) -> Finding:
    return finding.model_copy(update={"evidence": {**finding.evidence, **_evidence(span, text)}})


@check(
    "prose.completion_rate",
    PROSE_KINDS,
    "error",
    "完成预算的 X% = 决算 / 预算, and 完成进度 = 实际 / 计划",
    needs_source=True,
)
def completion_rate(ctx: Context) -> Iterator[Finding]:
    # (pattern, groups of planned, actual, printed rate)
    claims = [(_COMPLETION[0], (2, 3, 5)), (_COMPLETION[1], (1, 2, 3)), (_PLAN_ACTUAL, (1, 3, 4))]
    for para in ctx.paragraphs:
        for pattern, (gp, ga, gr) in claims:
            for m in pattern.finditer(para.text):
                planned, actual, rate = _d(m.group(gp)), _d(m.group(ga)), _d(m.group(gr))
                label = f"“{m.group(0)[:40]}…”"
                if pattern is _COMPLETION[0] and _labels_differ(m.group(1), m.group(4)):
                    yield _with_text(
                        ctx.finding(
                            "prose.completion_rate",
                            "error",
                            "fail",
                            f"{label}: the rate claims to be of the {m.group(4)}预算 but divides by the {m.group(1)}预算",
                            expected=f"{m.group(1)}预算",
                            actual=f"{m.group(4)}预算",
                            fields=["(narrative)"],
                        ),
                        para,
                        m.group(0),
                    )
                    continue
                if planned == 0:
                    yield _with_text(_zero_budget(ctx, label, actual, rate), para, m.group(0))
                    continue
                f = ratio_finding(
                    ctx,
                    "prose.completion_rate",
                    "error",
                    label,
                    ("(narrative)", rate),
                    ("(narrative)", actual),
                    ("(narrative)", planned),
                )
                yield _with_text(f, para, m.group(0))


def _labels_differ(budget: str | None, claim: str | None) -> bool:
    """年初预算 and 全年/调整预算 are different budgets; an unlabelled one can be either."""
    if not budget or not claim:
        return False
    return (budget == "年初") != (claim == "年初")


def _zero_budget(ctx: Context, label: str, actual: Decimal, rate: Decimal) -> Finding:
    """A rate of a budget printed as 0: only 0/0 printed as 0% (or 100%) is not an error."""
    if actual == 0 and rate in (0, 100):
        return ctx.finding(
            "prose.completion_rate",
            "error",
            "skipped",
            f"{label}: 预算 and 决算 are both 0, the rate is undefined",
            fields=["(narrative)"],
        )
    return ctx.finding(
        "prose.completion_rate",
        "error",
        "fail",
        f"{label}: a completion rate of {fmt(rate)}% of a budget printed as 0 (with 决算 {fmt(actual)}): "
        "the rate was computed against some other budget",
        expected="no rate (budget 0)",
        actual=fmt(rate),
        fields=["(narrative)"],
    )


def _base_from_text(before: str, name: str | None) -> Decimal | None:
    """The amount a share is 'of', from the text before it.

    Named (占基本支出的 X%): the last '基本支出 N 万元'. Unnamed (占 X% / 占比 X%): in the same
    sentence, the whole stated before 其中, else the first amount that is not itself a share;
    when every amount of the sentence is a share, the whole is not stated and the check skips.
    """
    if name:
        hits = list(re.finditer(rf"{re.escape(name)}[^\d，。；]{{0,6}}?{NUM}\s*万元", before))
        return _d(hits[-1].group(1)) if hits else None
    sentence = before[before.rfind("。") + 1 :]
    head = sentence.split("其中", 1)
    if len(head) == 2:
        wholes = [m for m in _AMOUNT.finditer(head[0]) if m.group(2) == "万元"]
        return _d(wholes[-1].group(1)) if wholes else None
    for m in _AMOUNT.finditer(sentence):
        if m.group(2) == "万元" and not re.match(r"\s*[，,]?\s*占", sentence[m.end() : m.end() + 4]):
            return _d(m.group(1))
    return None


def _base_from_report(ctx: Context, name: str | None) -> Decimal | None:
    if name is None:
        return None
    report = ctx.report
    if isinstance(report, FinalAccount) and name in _BASES_FA:
        value: Decimal | None = getattr(report.key_figures, _BASES_FA[name])
        return value
    if isinstance(report, OverallSelfEval) and name in _BASES_OVERALL:
        value = getattr(report, _BASES_OVERALL[name])
        return value
    return None


# Words of the sentence → key figures a share in it may be of, when the sentence names no whole.
_SHARE_WORDS_FA = (
    ("支出", ("expenditure_total", "basic_expenditure", "project_expenditure")),
    ("收入", ("income_total", "general_budget_appropriation_income")),
    ("财政拨款", ("general_budget_appropriation_income",)),
    ("三公", ("three_public_actual", "three_public_budget")),
    ("人员经费", ("personnel_expenses",)),
    ("公用经费", ("public_expenses",)),
)


def _candidate_bases(ctx: Context, before: str, name: str | None) -> list[Decimal]:
    """Every whole the sentence allows, most likely first: the one it names or states, then the
    report's totals its words point to (a 支出 share is of 支出, not of 收入)."""
    out: list[Decimal] = []
    for base in (_base_from_text(before, name), _base_from_report(ctx, name)):
        if base is not None and base not in out:
            out.append(base)
    report = ctx.report
    if isinstance(report, FinalAccount) and name is None:
        sentence = before[before.rfind("。") + 1 :]
        for word, figures in _SHARE_WORDS_FA:
            if word in sentence:
                for figure in figures:
                    value: Decimal | None = getattr(report.key_figures, figure)
                    if value is not None and value not in out:
                        out.append(value)
    return out


@check("prose.share", PROSE_KINDS, "warning", "A 万元，占 B 的 X%: X = A / B", needs_source=True)
def shares(ctx: Context) -> Iterator[Finding]:
    for n, para in enumerate(ctx.paragraphs):
        # A sentence may open in an earlier paragraph ("…基本支出 970.13 万元，其中：" then the items).
        context = "".join(p.text for p in ctx.paragraphs[max(0, n - 2) : n])
        for m in _SHARE.finditer(para.text):
            part, name, pct = _d(m.group(1)), (m.group(2) or None), _d(m.group(3))
            name = name.strip() if name else None
            bases = _candidate_bases(ctx, context + para.text[: m.start()], name)
            if not bases:
                yield skipped(
                    ctx, "prose.share", "warning", f"“{m.group(0)}”: cannot tell what the share is of"
                )
                continue
            tried = [
                ratio_finding(
                    ctx,
                    "prose.share",
                    "warning",
                    f"“{m.group(0)}” (of {fmt(base)})",
                    ("(narrative)", pct),
                    ("(narrative)", part),
                    ("(narrative)", base),
                )
                for base in bases
            ]
            fits = [f for f in tried if f.status != "fail"]
            if fits:
                yield _with_text(fits[0], para, m.group(0))
                continue
            first = tried[0]
            if len(tried) > 1:
                wholes = ", ".join(fmt(b) for b in bases)
                first = first.model_copy(
                    update={"message": f"{first.message}; no whole the sentence allows fits ({wholes})"}
                )
            yield _with_text(first, para, m.group(0))


@check(
    "prose.unit",
    PROSE_KINDS,
    "warning",
    "an amount printed in 元 among 万元 amounts that only adds up in 万元",
    needs_source=True,
)
def unit_mix(ctx: Context) -> Iterator[Finding]:
    for para in ctx.paragraphs:
        for sentence in re.split(r"[。；]", para.text):
            amounts = [(_d(m.group(1)), m.group(2), m.group(0)) for m in _AMOUNT.finditer(sentence)]
            wan = [a for a, unit, _ in amounts if unit == "万元"]
            for value, unit, text in amounts:
                if unit != "元" or not wan or value >= 10000:
                    continue
                # Read as 万元, does it complete a sum with the sentence's other amounts?
                adds_up = any(
                    abs(value + b - c) <= half_unit(value) + half_unit(b) + half_unit(c)
                    for b in wan
                    for c in wan
                    if c != b
                )
                severity = "error" if adds_up else "warning"
                why = (
                    "read as 万元 it completes a sum in the same sentence"
                    if adds_up
                    else "every other amount is in 万元"
                )
                yield Finding(
                    check="prose.unit",
                    severity=severity,
                    report=ctx.index,
                    status="fail",
                    message=f"“{text}” is printed in 元 but {why}: probably {fmt(value)} 万元",
                    expected=f"{fmt(value)} 万元",
                    actual=text,
                    fields=["(narrative)"],
                    evidence=_evidence(para, sentence),
                )
