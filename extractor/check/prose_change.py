"""Year-on-year statements recomputed: `本年 A 万元，比上年增加 B 万元，增长 X%` means
X = B / (A − B); a stated prior-year figure P means B = A − P; growth from a prior year of 0
has no percentage. The current amount is the last amount stated before the change in the
same paragraph that is itself neither a change nor a share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt, ratio_finding, sum_finding
from extractor.check.text import NUM, dec, evidence, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Finding

PROSE_KINDS = ("final_account", "overall_self_eval", "project_self_eval", "transfer_self_eval", "budget")
_CHANGE = re.compile(
    rf"(增加|减少|增长|下降|上升|降低|减小)了?\s*{NUM}\s*万元[，,、]?\s*"
    rf"(?:同比)?(增长|下降|上升|降低|减少|增加|增幅|降幅)(?:[（(][^）)]{{0,4}}[）)])?(?:为|了)?\s*{NUM}\s*[%％]"
)
_WAN = re.compile(rf"{NUM}\s*万元")
_PRIOR = re.compile(
    rf"(上年|上一年度?|上年度|(?:19|20)\d{{2}}年度?)(?:决算|预算|同期|执行|部门|单位|支出|收入|安排|数|总额|合计)*"
    rf"(?:为|是)?\s*{NUM}\s*万元"
)
_NOT_A_LEVEL = re.compile(r"(增加|减少|增长|下降|上升|降低|减小|占|比|较)[了为]?\s*$")


def _names_prior_year(clause: str, before: str) -> bool:
    """The clause names a year earlier than the latest year the text names (`2016年度…安排为`)."""
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", before)]
    named = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", clause)]
    return bool(named and years and max(named) < max(years))


def _prior(before: str) -> Decimal | None:
    """A prior-year amount the text states (`上年决算数为 P 万元`, `2016年度部门支出预算安排为 P 万元`)."""
    latest = max((int(y) for y in re.findall(r"((?:19|20)\d{2})年", before)), default=None)
    for m in _PRIOR.finditer(before):
        year = re.match(r"(?:19|20)\d{2}", m.group(1))
        if year is None or (latest is not None and int(year.group(0)) < latest):
            return dec(m.group(2))
    return None


def _current(before: str) -> tuple[Decimal, str] | None:
    """The last amount before the change that states a level (not a change, not compared)."""
    for m in reversed(list(_WAN.finditer(before))):
        ahead = before[max(0, m.start() - 6) : m.start()]
        after = before[m.end() : m.end() + 3]
        if _NOT_A_LEVEL.search(ahead) or re.match(r"\s*[，,]?\s*占", after):
            continue
        clause = re.split(r"[，,；（(]", before[: m.start()])[-1]
        if re.search(r"上年|上一年|上年度", clause) or _names_prior_year(clause, before):
            continue
        return dec(m.group(1)), m.group(0)
    return None


@check(
    "prose.change",
    PROSE_KINDS,
    "error",
    "增加 A 万元、增长 X%: X = A / (本年 − A); 上年 P: A = 本年 − P",
    needs_source=True,
)
def year_on_year(ctx: Context) -> Iterator[Finding]:
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        for m in _CHANGE.finditer(text):
            word, delta, pct = m.group(1), dec(m.group(2)), dec(m.group(4))
            start = max(text.rfind("。", 0, m.start()), 0)
            start = max(text.rfind("。", 0, start), 0) if start else 0  # this sentence and the one before
            before = text[start : m.start()]
            current = _current(before)
            if current is None:
                continue
            now = current[0]
            down = word in ("减少", "下降", "降低", "减小")
            previous = now + delta if down else now - delta
            label = f"“{text[max(start, m.start() - 30) : m.end()]}”"
            if previous == 0 and not down:
                yield _with(
                    ctx,
                    ctx.finding(
                        "prose.change",
                        "error",
                        "fail",
                        f"{label}: growth from a prior year of 0 ({fmt(now)} − {fmt(delta)}): no percentage exists, "
                        f"yet {fmt(pct)}% is printed",
                        expected="no percentage (prior year 0)",
                        actual=fmt(pct),
                        fields=["(narrative)"],
                    ),
                    para,
                    m.group(0),
                )
                continue
            prior = _prior(before)
            if prior is not None:
                stated = prior
                yield _with(
                    ctx,
                    sum_finding(
                        ctx,
                        "prose.change",
                        "error",
                        f"{label}: 本年 {fmt(now)} vs 上年 {fmt(stated)}",
                        ("(narrative)", delta),
                        [("(narrative)", abs(now - stated))],
                        relation="|本年 − 上年| =",
                    ),
                    para,
                    m.group(0),
                )
                previous = stated
            yield _with(
                ctx,
                ratio_finding(
                    ctx,
                    "prose.change",
                    "error",
                    f"{label} (上年 = {fmt(previous)})",
                    ("(narrative)", pct),
                    ("(narrative)", delta),
                    ("(narrative)", previous),
                ),
                para,
                m.group(0),
            )


def _with(ctx: Context, finding: Finding, para: SourceSpan, phrase: str) -> Finding:
    return finding.model_copy(update={"evidence": {**finding.evidence, **evidence(ctx.source, para, phrase)}})


@check(
    "prose.change_consistency",
    PROSE_KINDS,
    "error",
    "one total stated with one change: the same amount is never said to have changed by two amounts",
    needs_source=True,
)
def one_change_per_total(ctx: Context) -> Iterator[Finding]:
    stated: dict[tuple[str, Decimal], list[tuple[Decimal, SourceSpan, str]]] = {}
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        for m in _CHANGE.finditer(text):
            start = max(text.rfind("。", 0, m.start()), 0)
            start = max(text.rfind("。", 0, start), 0) if start else 0
            before = text[start : m.start()]
            current = _current(before)
            if current is None:
                continue
            at = before.rfind(current[1])
            subject = re.sub(r"[\d.,年度月日]", "", before[max(0, at - 12) : at])[-6:]
            signed = -dec(m.group(2)) if m.group(1) in ("减少", "下降", "降低", "减小") else dec(m.group(2))
            stated.setdefault((subject, current[0]), []).append((signed, para, m.group(0)))
    for (subject, amount), changes in stated.items():
        deltas = sorted({d for d, _, _ in changes})
        if len(deltas) < 2 or len(subject) < 2:
            continue
        _, para, phrase = changes[-1]
        shown = " and ".join(fmt(d) for d in deltas)
        yield _with(
            ctx,
            ctx.finding(
                "prose.change_consistency",
                "error",
                "fail",
                f"{subject} {fmt(amount)} 万元 is said to have changed by {shown} 万元 from the year before",
                expected=fmt(deltas[0]),
                actual=fmt(deltas[-1]),
                fields=["(narrative)"],
            ),
            para,
            phrase,
        )
