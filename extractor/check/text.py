"""Reading numbers, sentences and places out of the narrative, for the checks that read it."""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    return [(b.kind, b.span) for b in source.blocks if b.kind != "table"]
