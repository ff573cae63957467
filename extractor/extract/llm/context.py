"""The text a request carries: the whole report when it fits the context budget, else the
layout-aware chunks (`extractor.chunk`: sections at headings, tables whole or split only
between rows) that mention the section's words most (`extractor.vocab.llm_sections`).

Never a blind cut: chunks are taken whole, in document order, and the first chunk (the
title: department, year, unit) is always kept. The chunk is rendered with the same
renderer as the whole report, so quotes map back to pages and boxes alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from extractor.chunk import LayoutChunk, estimate_tokens, segment_chunks
from extractor.core.types import Block, LayoutDocument
from extractor.extract.llm.sections import Section
from extractor.render import Chunk, build_chunk, normalise
from extractor.segment import Segment
from extractor.vocab.llm_sections import HEADING_WEIGHT, SECTION_KEYWORDS

PIECE_SHARE = 4
"""A chunk is at most a quarter of the budget, so several sections' chunks fit in one request."""


def keywords(section: Section) -> tuple[str, ...]:
    return SECTION_KEYWORDS.get(section.id) or SECTION_KEYWORDS.get(f"*.{section.name}", ())


def relevance(chunk: LayoutChunk, words: Sequence[str]) -> int:
    """How often the chunk (its heading counted `HEADING_WEIGHT` times) mentions the words."""
    text, heading = normalise(chunk.text), normalise(chunk.heading or "")
    return sum(text.count(w) + HEADING_WEIGHT * heading.count(w) for w in words)


def select(chunks: Sequence[LayoutChunk], words: Sequence[str], budget: int) -> list[LayoutChunk]:
    """The most relevant chunks that fit `budget` tokens together, in document order (first always)."""
    if not chunks:
        return []
    chosen = {0}
    used = chunks[0].tokens
    ranked = sorted(range(1, len(chunks)), key=lambda i: (-relevance(chunks[i], words), i))
    for i in ranked:
        if relevance(chunks[i], words) == 0:
            break
        if used + chunks[i].tokens <= budget:
            chosen.add(i)
            used += chunks[i].tokens
    return [chunks[i] for i in sorted(chosen)]


class ReportContext:
    """One report's text for each section: whole when it fits `budget` tokens, else selected."""

    def __init__(self, doc: LayoutDocument, index: int, segment: Segment, budget: int) -> None:
        self.blocks: list[Block] = segment.blocks(doc)
        self.whole = build_chunk(self.blocks, limit=10**9)
        self.budget = budget
        self.fits = estimate_tokens(self.whole.text) <= budget
        self._chunks: list[LayoutChunk] = (
            [] if self.fits else segment_chunks(doc, index, segment, max(200, budget // PIECE_SHARE))
        )

    def for_section(self, section: Section) -> Chunk:
        if self.fits:
            return self.whole
        chosen = select(self._chunks, keywords(section), self.budget)
        blocks = [b for c in chosen for b in c.blocks]
        return dataclasses.replace(build_chunk(blocks, limit=10**9), truncated=True)
