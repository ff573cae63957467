"""Words against the numbers they describe, and the narrative's typography: comparison and
direction words (大于/小于/等于/持平/增加/减少/增长/下降) agree with the two amounts they relate;
no doubled punctuation or doubled function words, brackets balance, a rate has its % sign."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise

from extractor.check.base import Context, check, fmt
from extractor.check.text import NUM, dec, evidence, narrative_blocks, sentences, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Finding
from extractor.vocab.wording import DOUBLED_PUNCTUATION, DOUBLED_WORDS, DOWN, SAME, UP

ALL_KINDS = ("final_account", "overall_self_eval", "project_self_eval", "transfer_self_eval", "budget")
_BUDGET = re.compile(rf"(?:年初|全年|调整后?)?预算(?:数)?(?:为|是)?{NUM}万元")
_ACTUAL = re.compile(rf"决算(?:数)?(?:为|是)?{NUM}万元")
_VERDICT = re.compile(
    r"决算数?(?:比预算数?|较预算数?)?(大于|小于|等于|高于|低于|超过|同预算数?持平|与预算数?持平|与预算数?相等|与预算数?一致)"
)
_CHANGE = re.compile(rf"(增加|减少|增长|下降|上升|降低)了?{NUM}(万元|%|％)")
_PERCENT_WORD = re.compile(
    rf"(?:增长|下降|上升|降低|增加|减少|降幅|增幅|占比?|完成[^，。；\d]{{0,8}}的)({NUM})(?=[。，；、）)])"
)


def _direction(word: str) -> int:
    if any(w in word for w in UP):
        return 1
    if any(w in word for w in DOWN):
        return -1
    if any(w in word for w in SAME):
        return 0
    raise ValueError(word)


def _paragraphs(ctx: Context) -> list[SourceSpan]:
    return [span for kind, span in narrative_blocks(ctx.source, list(ctx.paragraphs)) if kind == "paragraph"]


def _result(
    ctx: Context, ok: bool, message: str, span: SourceSpan, phrase: str, expected: str, actual: str
) -> Finding:
    f = ctx.finding(
        "wording.direction", "error", "pass" if ok else "fail", message, expected=expected, actual=actual
    )
    return f.model_copy(update={"evidence": evidence(ctx.source, span, phrase)})


@check(
    "wording.direction",
    ALL_KINDS,
    "error",
    "大于/小于/等于/持平/增加/减少 agree with the amounts they relate",
    needs_source=True,
)
def directions(ctx: Context) -> Iterator[Finding]:
    for span in _paragraphs(ctx):
        text = squeeze(span.text)
        # 决算数大于/小于/等于预算数: against the last 预算 and 决算 amounts stated before it.
        for m in _VERDICT.finditer(text):
            before = text[: m.start()]
            budgets, actuals = list(_BUDGET.finditer(before)), list(_ACTUAL.finditer(before))
            if not budgets or not actuals:
                continue
            budget, actual = dec(budgets[-1].group(1)), dec(actuals[-1].group(1))
            said = _direction(m.group(1))
            real = (actual > budget) - (actual < budget)
            words = {1: "大于", -1: "小于", 0: "等于"}
            yield _result(
                ctx,
                said == real,
                f"“{m.group(0)}”: 决算 {fmt(actual)} vs 预算 {fmt(budget)} (决算数{words[real]}预算数)",
                span,
                m.group(0),
                words[real],
                m.group(1),
            )
        # Two direction words for one change: 减少 X 万元，增长 Y%.
        for sentence in sentences(text):
            changes = list(_CHANGE.finditer(sentence.text))
            for a, b in pairwise(changes):
                if a.group(3) == "万元" and b.group(3) in "%％" and b.start() - a.end() <= 3:
                    da, db = _direction(a.group(1)), _direction(b.group(1))
                    zero = dec(a.group(2)) == 0 or dec(b.group(2)) == 0
                    yield _result(
                        ctx,
                        da == db or zero,
                        f"“{sentence.text[a.start() : b.end()]}”: one change described as {a.group(1)} and {b.group(1)}",
                        span,
                        sentence.text[a.start() : b.end()],
                        a.group(1),
                        b.group(1),
                    )
            # 与上年持平 / 等于 in the clause that states a nonzero change.
            for clause in re.split(r"[，,；;]|其中", sentence.text):
                same = re.search(r"持平|等于|相等", clause)
                moved = [c for c in _CHANGE.finditer(clause) if dec(c.group(2)) != 0]
                if same and moved:
                    yield _result(
                        ctx,
                        False,
                        f"“{clause[:60]}”: {same.group(0)} with a change of {moved[0].group(0)}",
                        span,
                        clause,
                        same.group(0),
                        moved[0].group(1),
                    )


@check(
    "wording.typography",
    ALL_KINDS,
    "warning",
    "no doubled punctuation or words, balanced brackets, rates with their % sign",
    needs_source=True,
)
def typography(ctx: Context) -> Iterator[Finding]:
    paragraphs = _paragraphs(ctx)
    balance = [_bracket_balance(squeeze(p.text)) for p in paragraphs]
    for n, span in enumerate(paragraphs):
        text = squeeze(span.text)
        for m in re.finditer(DOUBLED_PUNCTUATION, text):
            yield _typo(
                ctx,
                "info",
                f"doubled punctuation: “{text[max(0, m.start() - 8) : m.end() + 2]}”",
                span,
                text[max(0, m.start() - 8) : m.end()],
            )
        for m in re.finditer(DOUBLED_WORDS, text):
            if m.start() >= 2 and text[m.start() - 1] == text[m.start() - 2]:
                continue  # an AABB reduplication (实实在在), not a doubled word
            yield _typo(
                ctx,
                "info",
                f"doubled word: “{text[max(0, m.start() - 6) : m.end() + 6]}”",
                span,
                text[max(0, m.start() - 6) : m.end() + 6],
            )
        for m in re.finditer(r"([\u4e00-\u9fff]{2,6})\1", text):
            if len(set(m.group(1))) > 1:
                yield _typo(ctx, "info", f"repeated words: “{m.group(0)}”", span, m.group(0))
        # （ and ( close each other: producers mix full- and half-width brackets.
        folded = text.replace("(", "（").replace(")", "）")
        for b, (opening, closing) in enumerate(_BRACKETS):
            mine = balance[n][b]
            # A paragraph the layout split in two balances with its neighbour: not a defect.
            split = any(
                sum(balance[i][b] for i in range(lo, lo + width)) == 0
                for width in (2, 3)
                for lo in range(max(0, n - width + 1), min(n, len(balance) - width) + 1)
            )
            if mine and not split:
                at = (
                    folded.find(opening)
                    if folded.count(opening) > folded.count(closing)
                    else folded.find(closing)
                )
                yield _typo(
                    ctx,
                    "warning",
                    f"unbalanced {opening}{closing}: {folded.count(opening)} opening, {folded.count(closing)} closing "
                    f"in “{text[max(0, at - 10) : at + 30]}…”",
                    span,
                    text[max(0, at - 4) : at + 20],
                )
        for m in _PERCENT_WORD.finditer(text):
            if Decimal(0) < dec(m.group(1)) and "." in m.group(1):
                yield _typo(
                    ctx,
                    "warning",
                    f"a rate without its % sign: “{text[max(0, m.start() - 10) : m.end() + 1]}”",
                    span,
                    m.group(0),
                )


_BRACKETS = (("（", "）"), ("“", "”"), ("《", "》"), ("【", "】"))


def _bracket_balance(text: str) -> list[int]:
    folded = text.replace("(", "（").replace(")", "）")
    return [folded.count(o) - folded.count(c) for o, c in _BRACKETS]


def _typo(
    ctx: Context,
    severity: str,
    message: str,
    span: SourceSpan,
    phrase: str,
    check_id: str = "wording.typography",
) -> Finding:
    assert severity in ("info", "warning")
    f = ctx.finding(check_id, "warning" if severity == "warning" else "info", "fail", message, actual=phrase)
    return f.model_copy(update={"evidence": evidence(ctx.source, span, phrase)})


_REASON = re.compile(
    r"(?:主要)?原因(?:是|为|主要是)?[：:]?([^。；]{2,60}?)(增加|减少|增长|下降|上升|降低)[。；]"
)


@check(
    "wording.reason_direction",
    ALL_KINDS,
    "warning",
    "a change's stated reason does not move the other way (减少 X%。主要原因是：…经费增加。)",
    needs_source=True,
)
def reason_direction(ctx: Context) -> Iterator[Finding]:
    for span in _paragraphs(ctx):
        text = squeeze(span.text)
        for sentence in sentences(text):
            changes = list(_CHANGE.finditer(sentence.text))
            if not changes:
                continue
            said = _direction(changes[-1].group(1))
            rest = text[sentence.start + len(sentence.text) :]
            reason = _REASON.match(rest) or _REASON.search(rest[:80])
            if reason is None or reason.start() > 4 or dec(changes[-1].group(2)) == 0:
                continue
            if _direction(reason.group(2)) == -said:
                yield _typo(
                    ctx,
                    "warning",
                    f"“{changes[-1].group(0)}” is explained by “{reason.group(0)}”: the reason moves the other way",
                    span,
                    reason.group(0),
                    check_id="wording.reason_direction",
                )
