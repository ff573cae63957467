"""Sums the narrative states: a whole and its parts after 其中 (货物 + 工程 + 服务 = 政府采购
总额; a part counted twice is named), and a numbered list of items whose 年初预算 / 决算 add
up to the amounts stated before the list."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from extractor.check.base import Context, Term, check, fmt, half_unit, sum_finding
from extractor.check.text import NUM, dec, evidence, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Finding
from extractor.vocab.final_account_checks import EXHAUSTIVE_SPLITS, LIST_ATTRIBUTES

PROSE_KINDS = ("final_account", "overall_self_eval", "budget")
_WAN = re.compile(rf"{NUM}\s*万元")
_ITEM = re.compile(r"^\s*(?:\d+[、.．]|[（(]\d+[）)])")


def _with(ctx: Context, finding: Finding, para: SourceSpan, phrase: str) -> Finding:
    return finding.model_copy(update={"evidence": {**finding.evidence, **evidence(ctx.source, para, phrase)}})


@check(
    "prose.split",
    PROSE_KINDS,
    "error",
    "a whole stated with all its parts after 其中 is their sum",
    needs_source=True,
)
def splits(ctx: Context) -> Iterator[Finding]:
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        for sentence in re.split(r"(?<=[。；])", text):
            head, sep, tail = sentence.partition("其中")
            if not sep:
                continue
            wholes = list(_WAN.finditer(head))
            if not wholes:
                continue
            whole = dec(wholes[-1].group(1))
            parts: list[tuple[str, Decimal]] = []
            for m in _WAN.finditer(tail):
                label = re.split(r"[，,、；：:\d]", tail[: m.start()])[-1]
                parts.append((label, dec(m.group(1))))
            for words, what in EXHAUSTIVE_SPLITS:
                chosen = [next(((lb, v) for lb, v in parts if w in lb), None) for w in words]
                if any(c is None for c in chosen):
                    continue
                terms: list[Term] = [("(narrative)", c[1]) for c in chosen if c is not None]
                f = sum_finding(
                    ctx, "prose.split", "error", f"{what} {fmt(whole)}", ("(narrative)", whole), terms
                )
                f = _double_counted(f, whole, terms, [c[0] for c in chosen if c is not None])
                yield _with(ctx, f, para, sentence[:80])
                break


def _double_counted(f: Finding, whole: Decimal, terms: Sequence[Term], labels: Sequence[str]) -> Finding:
    """Name the part whose amount is exactly the excess (a part counted twice into the whole)."""
    if f.status != "fail" or f.severity != "error":
        return f
    excess = whole - sum((v for _, v in terms), Decimal(0))
    for (_, value), label in zip(terms, labels, strict=True):
        if value and abs(abs(excess) - value) <= half_unit(value) * 2:
            return f.model_copy(
                update={
                    "message": f"{f.message}; the difference is exactly {label} {fmt(value)}: counted twice?"
                }
            )
    return f


@check(
    "prose.item_list",
    PROSE_KINDS,
    "warning",
    "the numbered items after a stated total add up to it (年初预算, 决算)",
    needs_source=True,
)
def item_lists(ctx: Context) -> Iterator[Finding]:
    paragraphs = [p.model_copy(update={"text": squeeze(p.text)}) for p in ctx.paragraphs]
    for n, head in enumerate(paragraphs):
        if not re.search(r"(?:其中|如下|以下方面)[：:]$", head.text):
            continue
        items: list[SourceSpan] = []
        for para in paragraphs[n + 1 :]:
            if not _ITEM.match(para.text):
                break
            items.append(para)
        if len(items) < 2:
            continue
        for regex, label in LIST_ATTRIBUTES:
            total = re.search(rf"{regex}\s*{NUM}\s*万元", head.text)
            values = [re.search(rf"{regex}\s*{NUM}\s*万元", item.text) for item in items]
            if total is None or any(v is None for v in values):
                continue
            terms: list[Term] = [("(narrative)", dec(v.group(1))) for v in values if v is not None]
            f = sum_finding(
                ctx,
                "prose.item_list",
                "warning",
                f"{label} of the {len(items)} items listed after “{head.text[:24]}…”",
                ("(narrative)", dec(total.group(1))),
                terms,
            )
            yield _with(ctx, f, head, total.group(0))
