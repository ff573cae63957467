"""The source text a wording check reads: the report's headings and paragraphs in reading
order, and every printed line of its pages (with page and box, for evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from extractor.core.types import Heading, LayoutDocument, Paragraph, SourceSpan, Table, TableBlock, union


@dataclass(frozen=True)
class TextBlock:
    kind: Literal["heading", "paragraph", "table"]
    span: SourceSpan
    """For a table: its first page and box; `text` is empty."""
    table: Table | None = None
    """For a table: the table itself (its cells, as laid out)."""


@dataclass(frozen=True)
class SourceText:
    blocks: tuple[TextBlock, ...] = ()
    lines: tuple[SourceSpan, ...] = ()

    def pages(self) -> list[int]:
        return sorted({line.page for line in self.lines})


def _span(spans: Sequence[SourceSpan], text: str) -> SourceSpan:
    first = spans[0]
    boxes = [s.bbox for s in spans if s.page == first.page and s.bbox]
    return SourceSpan(page=first.page, bbox=union(boxes) if boxes else None, text=text)


def source_text(doc: LayoutDocument, pages: Iterable[int] = ()) -> SourceText:
    """The text of `pages` (every page when empty)."""
    wanted = set(pages) or {p.number for p in doc.pages}
    blocks: list[TextBlock] = []
    for block in doc.blocks:
        if isinstance(block, Heading) and block.span.page in wanted:
            blocks.append(TextBlock("heading", block.span.model_copy(update={"text": block.text})))
        elif isinstance(block, Paragraph) and block.spans and block.spans[0].page in wanted:
            blocks.append(TextBlock("paragraph", _span(block.spans, block.text)))
        elif isinstance(block, TableBlock) and block.table.pages and block.table.pages[0] in wanted:
            blocks.append(
                TextBlock(
                    "table",
                    SourceSpan(page=block.table.pages[0], bbox=block.table.bbox, text=""),
                    block.table,
                )
            )
    lines = tuple(
        SourceSpan(page=line.page, bbox=line.bbox, text=line.text)
        for page in doc.pages
        if page.number in wanted
        for line in page.lines
        if line.text.strip()
    )
    return SourceText(blocks=tuple(blocks), lines=lines)
