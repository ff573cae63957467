"""kind = transfer_self_eval (转移支付绩效自评报告): a short prose report about one fund.

Amounts and the goal come from sentences; indicators from the form when one is printed,
else from prose: each target is a clause of the goal section (`数量指标：参保人数≥55万人`),
and its actual value is the same indicator's name in the completion section followed by
a number (`参保人数达到56.3万人`). Wording lives in vocab/transfer_self_eval.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractor.core.types import Block, Heading, Paragraph, SourceSpan, TableBlock
from extractor.extract.rules.evidence import Filled, span_of
from extractor.extract.rules.forms import labelled_value
from extractor.extract.rules.prose import NUM, first, section
from extractor.extract.values import compact, parse_amount, parse_percent
from extractor.schemas import Indicator, TransferSelfEval
from extractor.vocab import transfer_self_eval as vocab

_VALUE = r"\d+(?:\.\d+)?\s*[%‰]?[\u4e00-\u9fa5]{0,4}?"
_END = r"(?=[，。；;,、\s]|$)"
_STRONG = re.compile(r"≥|≤|＞|＜|>|<|=|＝|不低于|不少于|不高于|不超过|高于|低于")
_LEVEL1 = re.compile(rf"({vocab.LEVEL1})(?:方面)?[:：]?")
_LEVEL2 = re.compile(rf"({vocab.LEVEL2})(?:方面)?[:：]?")
_TARGET = re.compile(
    rf"^(?P<name>[^\d≥≤><=＝：:]{{2,40}}?)\s*(?P<op>{vocab.COMPARATORS})?\s*(?P<value>{_VALUE}){_END}"
)
_MARKER = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(]\s*\d+\s*[)）]|[①-⑳])\s*")


@dataclass(frozen=True)
class ProseTarget:
    level1: str | None
    level2: str | None
    name: str
    target: str
    span: SourceSpan


def _clauses(block: Paragraph | Heading) -> list[tuple[int, str]]:
    """(offset, text) of the clauses of a block, split at ；。， and line-level separators."""
    out = []
    for m in re.finditer(r"[^；;。，,\n]+", block.text):
        out.append((m.start(), m.group(0)))
    return out


def prose_targets(blocks: list[Block]) -> list[ProseTarget]:
    """Indicator targets listed in the goal section, with the level names set before them."""
    goal = section(blocks, vocab.GOAL_HEADINGS, vocab.COMPLETION_HEADINGS) or blocks
    out: list[ProseTarget] = []
    level1: str | None = None
    level2: str | None = None
    for block in goal:
        if not isinstance(block, Paragraph | Heading):
            continue
        for offset, clause in _clauses(block):
            text, start = clause, offset
            for pattern, is_level1 in ((_LEVEL1, True), (_LEVEL2, False), (_LEVEL2, False)):
                m = pattern.search(text)
                if m and m.start() <= 6:
                    if is_level1:
                        level1, level2 = m.group(1), None
                    else:
                        level2 = m.group(1)
                    start += m.end()
                    text = text[m.end() :]
            marker = _MARKER.match(text)
            if marker:
                start += marker.end()
                text = text[marker.end() :]
            m = _TARGET.match(text.strip())
            if not m:
                continue
            op = m.group("op") or ""
            # Without a comparison sign a clause is a target only under a level name (not `资金85万元`).
            if not _STRONG.fullmatch(op) and level2 is None and level1 is None:
                continue
            shown = op if _STRONG.fullmatch(op) else ""
            target = compact(shown + m.group("value"))
            span = span_of(block, start, start + len(text))
            out.append(ProseTarget(level1, level2, compact(m.group("name")), target, span))
    return out


def prose_actual(blocks: list[Block], name: str) -> tuple[str, SourceSpan] | None:
    """The value printed after an indicator's name in the completion section."""
    done = section(blocks, vocab.COMPLETION_HEADINGS, ("问题", "措施", "建议")) or blocks
    pattern = re.compile(rf"{re.escape(name)}\s*{vocab.ACTUAL_VERBS}\s*(?P<value>{_VALUE}){_END}")
    for block in done:
        if not isinstance(block, Paragraph | Heading):
            continue
        m = pattern.search(block.text)
        if m:
            return compact(m.group("value")), span_of(block, m.start(), m.end())
    return None


def _program_name(title: str, blocks: list[Block], filled: Filled) -> None:
    tables = [b.table for b in blocks if isinstance(b, TableBlock)]
    value = labelled_value(tables, vocab.PROGRAM_LABELS)
    if value is not None:
        filled.put("program_name", value.text, value.span)
        return
    labelled = first(blocks, rf"(?:{'|'.join(vocab.PROGRAM_LABELS)})[:：]\s*([^，。；\s]+)")
    if labelled is not None:
        filled.put("program_name", labelled.groups[0], labelled.span)
        return
    name = re.sub(vocab.TITLE_TAIL, "", re.sub(vocab.TITLE_HEAD, "", re.sub(r"\s+", "", title)))
    head = next((b for b in blocks if isinstance(b, Heading | Paragraph)), None)
    if name and head is not None:
        span = head.span if isinstance(head, Heading) else head.spans[0]
        filled.put("program_name", name, span)


def _amount(blocks: list[Block], patterns: tuple[str, ...], path: str, filled: Filled) -> None:
    for pattern in patterns:
        match = first(blocks, pattern.replace("{NUM}", NUM))
        if match is not None:
            filled.put(path, parse_amount(match.groups[0]), match.span)
            return


def prose_indicators(blocks: list[Block], filled: Filled) -> list[Indicator]:
    out = []
    for i, t in enumerate(prose_targets(blocks)):
        data: dict[str, object] = {"level1": t.level1, "level2": t.level2, "name": t.name, "target": t.target}
        for key in ("name", "target"):
            filled.put(f"indicators[{i}].{key}", data[key], t.span)
        actual = prose_actual(blocks, t.name)
        if actual is not None:
            data["actual"] = actual[0]
            filled.put(f"indicators[{i}].actual", actual[0], actual[1])
        out.append(Indicator.model_validate(data))
    return out


def extract_transfer(
    blocks: list[Block], base: dict[str, Any], title: str, form_indicators: list[Indicator], filled: Filled
) -> TransferSelfEval:
    """A TransferSelfEval; `form_indicators` are the rows of a printed 自评表, when there is one."""
    _program_name(title, blocks, filled)
    _amount(blocks, vocab.ALLOCATED, "allocated_amount", filled)
    _amount(blocks, vocab.EXECUTED, "executed_amount", filled)
    rate = first(blocks, vocab.RATE)
    if rate is not None:
        filled.put("execution_rate", parse_percent(rate.groups[0] + "%"), rate.span)
    goal = first(blocks, vocab.GOAL_LABEL + r"([^。]+。)")
    if goal is not None:
        filled.put("annual_goal", compact(goal.groups[0]), goal.span)
    indicators = form_indicators or prose_indicators(blocks, filled)
    scalars = {k: v for k, v in filled.values.items() if "." not in k and "[" not in k}
    return TransferSelfEval.model_validate(
        {**base, **scalars, "indicators": indicators, "evidence": {**base["evidence"], **filled.evidence}}
    )
