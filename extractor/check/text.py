"""Reading numbers, sentences and places out of the narrative, for the checks that read it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from extractor.check.source import SourceText
from extractor.core.types import SourceSpan
from extractor.schemas import Evidence

NUM = r"(-?\d[\d,，]*(?:\.\d+)?)"
AMOUNT = re.compile(rf"{NUM}\s*(万元|亿元|元)")
SENTENCE_END = re.compile(r"[。；;！!？?]")
_SPACE = re.compile(r"\s+")


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def squeeze(text: str) -> str:
    """Text without whitespace (PDF text puts spaces between CJK and digits at random)."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    """Offset in its paragraph."""


def sentences(text: str) -> Iterator[Sentence]:
    start = 0
    for m in SENTENCE_END.finditer(text):
        yield Sentence(text[start : m.end()], start)
        start = m.end()
    if start < len(text):
        yield Sentence(text[start:], start)


def line_box(source: SourceText | None, span: SourceSpan, phrase: str) -> SourceSpan:
    """The printed line (page, box) that holds `phrase` (or its first ten characters), else `span`.

    A paragraph's box covers all its lines; an auditor wants the line with the error.
    """
    if source is None:
        return span
    wanted = squeeze(phrase)
    for probe in (wanted, wanted[:10], wanted[-10:]):
        if len(probe) < 2:
            continue
        for line in source.lines:
            if line.page >= span.page and probe in squeeze(line.text):
                return SourceSpan(page=line.page, bbox=line.bbox, text=phrase)
    return span


def evidence(
    source: SourceText | None, span: SourceSpan, phrase: str, key: str = "(narrative)"
) -> dict[str, Evidence]:
    where = line_box(source, span, phrase)
    return {key: Evidence(page=where.page, bbox=where.bbox or span.bbox, text=phrase)}


def narrative_blocks(
    source: SourceText | None, paragraphs: tuple[SourceSpan, ...] | list[SourceSpan]
) -> list[tuple[str, SourceSpan]]:
    """(kind, span) of every heading and paragraph in reading order; the paragraphs alone without a source."""
    if source is None:
        return [("paragraph", p) for p in paragraphs]
    out: list[tuple[str, SourceSpan]] = []
    for block in source.blocks:
        if block.kind == "table":
            continue
        if block.kind == "paragraph" and out and out[-1][0] == "paragraph":
            joined = continuous([out[-1][1], block.span])
            if len(joined) == 1:
                out[-1] = ("paragraph", joined[0])
                continue
        out.append((block.kind, block.span))
    return out


_ENDS_SENTENCE = re.compile(r"[。；;！!？?：:）)”」]\s*$")
_OPENS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)
_TITLE_END = ("表", "说明", "情况", "解释", "概况", "目录")


def _continues(before: str, after: str) -> bool:
    """Whether `after` is the rest of a sentence the layout cut at the end of `before`."""
    head = squeeze(before)
    if not head or _ENDS_SENTENCE.search(head) or _OPENS_ITEM.match(after):
        return False
    # A heading or a table title set as a paragraph ends nothing but is no cut sentence.
    return not (len(head) <= 40 and (_OPENS_ITEM.match(head) or head.endswith(_TITLE_END)))


def continuous(paragraphs: Sequence[SourceSpan]) -> list[SourceSpan]:
    """Paragraphs with the ones the layout cut mid-sentence joined again (`…增加` | `309.03万元，增长2.31%`).

    The joined span keeps the first part's page and box.
    """
    out: list[SourceSpan] = []
    for span in paragraphs:
        if out and _continues(out[-1].text, span.text):
            out[-1] = out[-1].model_copy(update={"text": out[-1].text + span.text})
        else:
            out.append(span)
    return out
