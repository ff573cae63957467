"""Collecting values with their evidence while a report is being filled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractor.core.types import Block, Heading, Paragraph, SourceSpan, TableBlock, union
from extractor.schemas import Evidence


def to_evidence(span: SourceSpan) -> Evidence:
    return Evidence(page=span.page, bbox=span.bbox, text=span.text)


@dataclass
class Filled:
    """Field values (by JSON path inside the report) with the span each was read from."""

    values: dict[str, object] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def put(self, path: str, value: object, span: SourceSpan | None, *, overwrite: bool = False) -> None:
        if value is None or (path in self.values and self.values[path] is not None and not overwrite):
            return
        self.values[path] = value
        if span is not None:
            self.evidence[path] = to_evidence(span)

    def get(self, path: str) -> object:
        return self.values.get(path)


@dataclass(frozen=True)
class TextMatch:
    """A regex match inside a block of text, with the span of the source it came from."""

    groups: tuple[str, ...]
    span: SourceSpan
    before: str = ""
    """The clause before the match, back to the last 。 or ； (for 'not after 预算' tests)."""


def block_text(block: Block) -> str:
    if isinstance(block, Heading | Paragraph):
        return block.text
    return ""


def _span_for(block: Paragraph | Heading, start: int, end: int) -> SourceSpan:
    """The source span of characters [start, end) of a block's text: the lines that hold them."""
    if isinstance(block, Heading):
        return block.span
    excerpt = block.text[start:end]
    spans = list(block.spans)
    hits = [
        s for s in spans if s.text and (s.text in excerpt or excerpt in s.text or _overlaps(s.text, excerpt))
    ]
    chosen = hits or spans[:1]
    page = chosen[0].page
    same_page = [s for s in chosen if s.page == page]
    boxes = [s.bbox for s in same_page if s.bbox]
    return SourceSpan(page=page, bbox=union(boxes) if boxes else None, text=excerpt)


def span_of(block: Paragraph | Heading, start: int, end: int) -> SourceSpan:
    """The source span of characters [start, end) of a block's text."""
    return _span_for(block, start, end)


def _overlaps(line: str, excerpt: str) -> bool:
    line_c = re.sub(r"\s+", "", line)
    exc_c = re.sub(r"\s+", "", excerpt)
    return len(line_c) >= 4 and (line_c[:6] in exc_c or line_c[-6:] in exc_c)


def find_in_blocks(blocks: list[Block], pattern: re.Pattern[str]) -> list[TextMatch]:
    """Every match of `pattern` in the headings and paragraphs, with its source span."""
    out = []
    for block in blocks:
        if isinstance(block, TableBlock):
            continue
        assert isinstance(block, Paragraph | Heading)
        for m in pattern.finditer(block.text):
            out.append(
                TextMatch(
                    groups=tuple(g or "" for g in m.groups()),
                    span=_span_for(block, m.start(), m.end()),
                    before=_clause_before(block.text, m.start()),
                )
            )
    return out


def _clause_before(text: str, start: int) -> str:
    left = max(text.rfind("。", 0, start), text.rfind("；", 0, start), start - 40)
    return text[max(left + 1, 0) : start]


def decimal_text(value: Decimal) -> str:
    return format(value, "f")
