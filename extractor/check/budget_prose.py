"""A budget's narrative (编制说明 / 情况说明) recomputed: year-on-year statements against their own
arithmetic, and the amounts it states against the tables.

Narrative amounts are in 万元 and rounded or truncated from the tables' figures, so a
narrative amount agrees with a table figure within one unit of its last printed digit.
Needs the report's paragraphs (`Context.paragraphs`): on a saved result these do not run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Literal

from extractor.check import prose
from extractor.check.base import Context, check, fmt, ratio_finding
from extractor.check.budget import unit_of_last_digit
from extractor.check.source import SourceText
from extractor.check.text import evidence
from extractor.core.types import SourceSpan
from extractor.schemas import Budget, BudgetTable, Finding, TableRow
from extractor.vocab import budget as vocab

BUDGET = ("budget",)
_CHANGE = re.compile(vocab.CHANGE_CLAIM)
_PREVIOUS = re.compile(vocab.PREVIOUS_CLAIM)
_CHANGE_NEXT = re.compile(vocab.CHANGE_NEXT_SENTENCE)
_ITEM = re.compile(
    r"([\u4e00-\u9fff]{2,20})（款）\s*([\u4e00-\u9fff、（）()]{2,30}?)（项）[”\"]?\s*(?:支出)?\s*"
    + vocab.NUM
    + r"\s*万元"
)


_ITEM_JOINED = re.compile(
    r"(?:^|[\d][.、．]\s*|[“\"])([\u4e00-\u9fff]{4,40}?)（项）[”\"]?\s*(?:支出)?\s*" + vocab.NUM + r"\s*万元"
)
"""An item named without its 款 label: `1. 人大事务行政运行（项）支出10528.33 万元`."""

_SENTENCE_END = re.compile(r"[。；！？：:]\s*$")


def sentences(paragraphs: Sequence[SourceSpan]) -> list[SourceSpan]:
    """Paragraphs with the ones a layout broke mid-sentence joined again (`…增加309.03 万元，增长2.31`
    / `%。主要原因…`): a paragraph that ends without sentence punctuation runs on into the next."""
    out: list[SourceSpan] = []
    for para in paragraphs:
        if out and not _SENTENCE_END.search(out[-1].text):
            out[-1] = out[-1].model_copy(update={"text": out[-1].text + para.text})
        else:
            out.append(para)
    return out


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _with_text(finding: Finding, para: SourceSpan, text: str, source: SourceText | None = None) -> Finding:
    """The statement as evidence, on the printed line that holds it (a joined paragraph's own
    page is where the joining began, which may be pages earlier)."""
    return finding.model_copy(update={"evidence": {**finding.evidence, **evidence(source, para, text)}})


def _sign(word: str) -> int:
    return vocab.CHANGE_WORDS.get(word, 1)


@check(
    "budget.prose_change",
    BUDGET,
    "error",
    "比上年增加 A 万元，增长 P%: P = A / (本年 ∓ A); 执行数 → 预算 change",
)
def year_on_year(ctx: Context) -> Iterator[Finding]:
    for para in sentences(ctx.paragraphs):
        covered: list[tuple[int, int]] = []
        for m in _PREVIOUS.finditer(para.text):
            covered.append(m.span())
            previous, current, pct = _d(m.group(1)), _d(m.group(2)), _d(m.group(5))
            delta = abs(current - previous)
            if m.group(4):
                yield _with_text(
                    _delta_finding(ctx, m.group(0), previous, current, _d(m.group(4))),
                    para,
                    m.group(0),
                    ctx.source,
                )
            f = ratio_finding(
                ctx,
                "budget.prose_change",
                "error",
                f"“{m.group(0)[:50]}…”",
                ("(narrative)", pct),
                ("(narrative)", delta),
                ("(narrative)", previous),
            )
            yield _with_text(f, para, m.group(0), ctx.source)
        claims = [
            (m, _d(m.group(1)), m.group(2), m.group(3), m.group(4)) for m in _CHANGE.finditer(para.text)
        ]
        claims += [
            (m, _d(m.group(1)), m.group(2), m.group(3), m.group(4)) for m in _CHANGE_NEXT.finditer(para.text)
        ]
        for m, current, word, delta_text, pct_text in claims:
            if any(a <= m.end() - 1 < b for a, b in covered) or not delta_text:
                continue
            covered.append(m.span())
            delta, pct = _d(delta_text), _d(pct_text)
            previous = current - _sign(word) * delta
            if previous <= 0:
                continue
            f = ratio_finding(
                ctx,
                "budget.prose_change",
                "error",
                f"“{m.group(0)[:50]}…” (上年 = {fmt(previous)})",
                ("(narrative)", pct),
                ("(narrative)", delta),
                ("(narrative)", previous),
            )
            yield _with_text(f, para, m.group(0), ctx.source)


def _delta_finding(ctx: Context, text: str, previous: Decimal, current: Decimal, delta: Decimal) -> Finding:
    expected = abs(current - previous)
    tolerance = unit_of_last_digit(previous) + unit_of_last_digit(current)
    ok = abs(expected - delta) <= tolerance
    status: Literal["pass", "fail"] = "pass" if ok else "fail"
    return ctx.finding(
        "budget.prose_change",
        "error",
        status,
        f"“{text[:50]}…”: {fmt(current)} − {fmt(previous)} = {fmt(expected)}, printed {fmt(delta)}",
        fmt(expected),
        fmt(delta),
        fmt(tolerance),
        ["(narrative)"],
    )


def _narrative_vs(
    ctx: Context,
    label: str,
    stated: Decimal,
    path: str,
    value: Decimal,
    para: SourceSpan,
    text: str,
    severity: Literal["error", "warning"] = "error",
) -> Finding:
    # The narrative rounds or truncates the table's printed value when it prints fewer digits;
    # at the same precision the two must agree exactly.
    coarser = unit_of_last_digit(stated) > unit_of_last_digit(value)
    tolerance = unit_of_last_digit(stated) if coarser else Decimal(0)
    diff = abs(stated - value)
    status: Literal["pass", "fail"] = "pass" if diff <= tolerance else "fail"
    message = f"{label}: the narrative states {fmt(stated)} 万元, the tables {fmt(value)}"
    f = ctx.finding(
        "budget.prose_vs_table",
        severity,
        status,
        message,
        fmt(value),
        fmt(stated),
        fmt(tolerance),
        [path, "(narrative)"],
    )
    return _with_text(f, para, text, ctx.source)


@check("budget.prose_vs_table", BUDGET, "error", "an amount the narrative states agrees with the tables")
def prose_vs_table(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, Budget)
    for key, pattern in vocab.NARRATIVE_VS_TABLE:
        value = getattr(report.key_figures, key)
        if value is None:
            continue
        for para in sentences(ctx.paragraphs):
            for m in re.finditer(vocab.NARRATIVE_SUBJECT_BEFORE + pattern, para.text):
                before = para.text[max(0, m.start() - 10) : m.start()]
                if re.search(r"(?:比|较|与)(?:上年|\d{4}年)|执行数|增加|减少", before):
                    continue
                yield _narrative_vs(
                    ctx, key, _d(m.group(1)), f"key_figures.{key}", value, para, m.group(0), "warning"
                )
    # 款/项 items (`法院（款）行政运行（项）支出11786.92万元`) against the 功能分类 tables' rows;
    # also the 款 written into the 项's name without its label (`人大事务行政运行（项）`).
    tables = [(ti, t) for ti, t in enumerate(report.tables) if t.id == "general_budget_expenditure"]
    for para in sentences(ctx.paragraphs):
        said = [(m, m.group(1), m.group(2), _d(m.group(3))) for m in _ITEM.finditer(para.text)]
        for m in _ITEM_JOINED.finditer(para.text):
            said += [(m, kuan, xiang, _d(m.group(2))) for kuan, xiang in _kuan_prefixed(tables, m.group(1))]
        for m, kuan, xiang, stated in said:
            for ti, table in tables:
                parents = [r.code for r in table.rows if r.code and len(r.code) == 5 and r.name == kuan]
                children = [
                    (ri, r)
                    for ri, r in enumerate(table.rows)
                    if r.code and len(r.code) == 7 and any(r.code.startswith(p or "") for p in parents)
                ]
                rows = [(ri, r) for ri, r in children if _same_name(r.name, xiang)]
                if not rows:
                    yield from _name_differs(ctx, ti, children, kuan, xiang, stated, para, m.group(0))
                    continue
                if len(rows) != 1 or not rows[0][1].values:
                    continue
                ri, row = rows[0]
                column = next(iter(row.values))
                value = row.values[column]
                if value is not None:
                    path = f"tables[{ti}].rows[{ri}].values.{column}"
                    label = f"{kuan}（款）{xiang}（项） {row.code}"
                    yield _narrative_vs(ctx, label, stated, path, value, para, m.group(0))


def _kuan_prefixed(tables: list[tuple[int, BudgetTable]], name: str) -> list[tuple[str, str]]:
    """`人大事务行政运行` read as 款 `人大事务` + 项 `行政运行` when the tables print that 款 with
    that 项 under it (the whole name is no 项 of its own)."""
    out = []
    for _, table in tables:
        if any(r.name == name for r in table.rows):
            return []
        for kuan in (r.name for r in table.rows if r.code and len(r.code) == 5 and r.name):
            rest = name[len(kuan) :]
            if len(rest) >= 2 and name.startswith(kuan) and (kuan, rest) not in out:
                out.append((kuan, rest))
    return out


def _same_name(printed: str | None, said: str) -> bool:
    """A 项 name as the narrative says it: `其他人大事务` for the printed `其他人大事务支出`."""
    strip = re.compile(r"(?:支出)$")
    return printed is not None and strip.sub("", printed) == strip.sub("", said)


def _name_differs(
    ctx: Context,
    ti: int,
    children: list[tuple[int, TableRow]],
    kuan: str,
    xiang: str,
    stated: Decimal,
    para: SourceSpan,
    text: str,
) -> Iterator[Finding]:
    """A 项 the narrative names under a 款 that prints no such 项, while exactly one 项 of that 款
    carries the stated amount: the narrative misnames it (`一般行政事务管理` for `一般行政管理事务`)."""
    same = [
        (ri, r)
        for ri, r in children
        if r.values
        and (v := next(iter(r.values.values()))) is not None
        and abs(v - stated) <= unit_of_last_digit(stated)
    ]
    if len(same) != 1:
        return
    ri, row = same[0]
    column = next(iter(row.values))
    f = ctx.finding(
        "budget.prose_vs_table",
        "warning",
        "fail",
        f"{kuan}（款）{xiang}（项）: the tables print no such 项 under {kuan}; {row.code} {row.name} carries the "
        f"stated {fmt(stated)} 万元",
        row.name,
        xiang,
        None,
        [f"tables[{ti}].rows[{ri}].values.{column}", "(narrative)"],
    )
    yield _with_text(f, para, text, ctx.source)


_NAMED_SHARE = re.compile(vocab.NAMED_SHARE_CLAIM)


def _share_base(report: Budget, key: str) -> Decimal | None:
    """The whole a named share is of; 三公 not stated as a total is the sum of its three parts."""
    value: Decimal | None = getattr(report.key_figures, key)
    if value is None and key == "three_public_budget":
        kf = report.key_figures
        parts = [kf.overseas_budget, kf.reception_budget, kf.vehicle_budget]
        if all(p is not None for p in parts):
            value = sum((p for p in parts if p is not None), Decimal(0))
    return value


@check(
    "budget.prose_share",
    BUDGET,
    "warning",
    "A 万元，占 B 的 X%: X = A / B (the 决算 share check, on budgets)",
)
def shares(ctx: Context) -> Iterator[Finding]:
    """The 决算 share check, with two more ways to know the whole: a named budget total
    (占“三公”经费的 X%) from the key figures, and a list under `…合计N万元，其中：` whose items
    (`基本支出…万元，占X%；`) stand in paragraphs of their own."""
    report = ctx.report
    assert isinstance(report, Budget)
    ctx = dataclasses.replace(ctx, paragraphs=sentences(ctx.paragraphs))
    resolved: list[tuple[SourceSpan, str, Decimal, Decimal, Decimal]] = []
    for para in ctx.paragraphs:
        for m in _NAMED_SHARE.finditer(para.text):
            key = vocab.SHARE_BASES.get(re.sub(r"[“”\"\s]", "", m.group(2)))
            base = _share_base(report, key) if key else None
            if base is not None:
                resolved.append((para, m.group(0), _d(m.group(1)), _d(m.group(3)), base))
    resolved += _listed_shares(ctx.paragraphs)
    texts = {f"“{text}”" for _, text, _, _, _ in resolved}
    for f in prose.shares(ctx):
        if not any(f.message.startswith(text) for text in texts):
            yield f
    for para, text, part, pct, base in resolved:
        f = ratio_finding(
            ctx,
            "prose.share",
            "warning",
            f"“{text}” (of {fmt(base)})",
            ("(narrative)", pct),
            ("(narrative)", part),
            ("(narrative)", base),
            exact_integers=True,  # whole-万元 amounts in a budget's narrative are set, not rounded
        )
        yield _with_text(f, para, text, ctx.source)


_LIST_WHOLE = re.compile(vocab.SHARE_LIST_INTRO)
_LISTED_SHARE = re.compile(vocab.SHARE_LIST_ITEM)


def _listed_shares(
    paragraphs: Sequence[SourceSpan],
) -> list[tuple[SourceSpan, str, Decimal, Decimal, Decimal]]:
    out: list[tuple[SourceSpan, str, Decimal, Decimal, Decimal]] = []
    base: Decimal | None = None
    for para in paragraphs:
        intro = _LIST_WHOLE.search(para.text)
        if intro is not None:
            base = _d(intro.group(1))
            continue
        m = _LISTED_SHARE.search(para.text) if base is not None else None
        if m is None or base is None:
            base = None
            continue
        out.append((para, m.group("claim"), _d(m.group(2)), _d(m.group(3)), base))
    return out


_LIST_INTRO = re.compile(vocab.LIST_INTRO)
_LIST_ITEM = re.compile(vocab.LIST_ITEM)
_ITEM_NUMBER = re.compile(r"^\s*(\d+)\s*[.．、](?!\d)")


@check(
    "budget.prose_item_list",
    BUDGET,
    "warning",
    "the items listed under 财政拨款支出主要内容如下 add up to the 财政拨款 total",
)
def item_list(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, Budget)
    total = report.key_figures.fiscal_appropriation_income
    paragraphs = list(ctx.paragraphs)
    for n, para in enumerate(paragraphs):
        if total is None or not _LIST_INTRO.search(para.text):
            continue
        items: list[tuple[Decimal, str]] = []
        misses = 0
        for nxt in paragraphs[n + 1 :]:
            number = _ITEM_NUMBER.match(nxt.text)
            m = _LIST_ITEM.match(nxt.text)
            if m is not None and number is not None and int(number.group(1)) == len(items) + 1:
                items.append((_d(m.group(1)), m.group(0)))
                misses = 0
                continue
            # The rest of an item a layout set as its own paragraph (`28.89%。主要原因是…`) is skipped;
            # another numbered line, or several lines of other text, ends the list.
            misses += 1
            if number is not None or misses > 2:
                break
        if len(items) < 2:
            continue
        listed = sum((v for v, _ in items), Decimal(0))
        tolerance = sum((unit_of_last_digit(v) for v, _ in items), Decimal(0)) + unit_of_last_digit(total)
        ok = abs(listed - total) <= tolerance
        f = ctx.finding(
            "budget.prose_item_list",
            "warning",
            "pass" if ok else "fail",
            f"{len(items)} listed 财政拨款 items add up to {fmt(listed)} 万元; the 财政拨款 total is {fmt(total)}",
            fmt(total),
            fmt(listed),
            fmt(tolerance),
            ["key_figures.fiscal_appropriation_income", "(narrative)"],
        )
        yield _with_text(f, para, para.text, ctx.source)
