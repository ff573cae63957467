"""Layout-aware chunks: a report split into sections (at its headings) and whole tables,
each with its provenance and a token count, never a table cut mid-row.

A table longer than the budget is split between rows only, and every part
repeats the table's header rows, so each part still says what its columns are.
Token counts are estimates (no tokenizer ships offline): one token per CJK
character, one per four other non-space characters — close to what the BPE
tokenizers of current chat models produce for these documents.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from extractor.core.types import Block, Cell, Heading, LayoutDocument, Table, TableBlock
from extractor.extract.rules.grid import grid_of, header_row_count
from extractor.render import build_chunk
from extractor.segment import Segment, find_segments

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    cjk = len(_CJK.findall(text))
    other = len(re.sub(r"\s", "", text)) - cjk
    return cjk + math.ceil(other / 4)


class LayoutChunk(BaseModel):
    model_config = ConfigDict(frozen=True)

    report: int
    """Index of the report (segment) the chunk belongs to."""
    kind: str
    heading: str | None
    blocks: tuple[Block, ...]
    pages: tuple[int, ...]
    text: str
    tokens: int
    table_part: tuple[int, int] | None = None
    """(part, of parts) when a long table was split between rows."""


def _pages(blocks: Sequence[Block]) -> tuple[int, ...]:
    pages: set[int] = set()
    for b in blocks:
        if isinstance(b, TableBlock):
            pages.update(b.table.pages)
        elif isinstance(b, Heading):
            pages.add(b.span.page)
        else:
            pages.update(s.page for s in b.spans)
    return tuple(sorted(pages))


def _rows(table: Table, rows: Sequence[int]) -> Table:
    """A table of the given rows (in order), renumbered; merged cells clipped to them."""
    index = {r: i for i, r in enumerate(rows)}
    cells: list[Cell] = []
    for cell in table.cells:
        covered = [r for r in range(cell.row, cell.row + cell.row_span) if r in index]
        if covered:
            cells.append(cell.model_copy(update={"row": index[covered[0]], "row_span": len(covered)}))
    pages = tuple(dict.fromkeys(c.page for c in cells)) or table.pages
    return Table(n_rows=len(rows), n_cols=table.n_cols, cells=tuple(cells), pages=pages, bbox=table.bbox)


def split_table(block: TableBlock, max_tokens: int) -> list[TableBlock]:
    """The table whole if it fits, else parts of whole rows, each with the header rows."""
    table = block.table
    if estimate_tokens(build_chunk([block]).text) <= max_tokens:
        return [block]
    n_header = header_row_count(grid_of(table))
    header = list(range(n_header))
    parts: list[list[int]] = []
    current: list[int] = []
    for row in range(n_header, table.n_rows):
        trial = _rows(table, header + current + [row])
        if current and estimate_tokens(build_chunk([TableBlock(table=trial)]).text) > max_tokens:
            parts.append(current)
            current = []
        current.append(row)
    if current:
        parts.append(current)
    return [TableBlock(table=_rows(table, header + rows), caption=block.caption) for rows in parts]


def segment_chunks(doc: LayoutDocument, index: int, segment: Segment, max_tokens: int) -> list[LayoutChunk]:
    """The chunks of one report (segment `index` of `doc`), in reading order."""
    chunks: list[LayoutChunk] = []
    section: list[Block] = []
    heading: str | None = None

    def emit(blocks: list[Block], head: str | None, part: tuple[int, int] | None = None) -> None:
        if blocks:
            text = build_chunk(blocks).text
            chunks.append(
                LayoutChunk(
                    report=index,
                    kind=segment.kind,
                    heading=head,
                    blocks=tuple(blocks),
                    pages=_pages(blocks),
                    text=text,
                    tokens=estimate_tokens(text),
                    table_part=part,
                )
            )

    for block in segment.blocks(doc):
        if isinstance(block, TableBlock):
            emit(section, heading)
            section = []
            parts = split_table(block, max_tokens)
            for n, part in enumerate(parts, start=1):
                emit([part], heading, (n, len(parts)) if len(parts) > 1 else None)
            continue
        starts_section = isinstance(block, Heading) and block.level <= 2
        too_big = bool(section) and estimate_tokens(build_chunk([*section, block]).text) > max_tokens
        if starts_section or too_big:
            emit(section, heading)
            section = []
            if isinstance(block, Heading):
                heading = block.text
        section.append(block)
    emit(section, heading)
    return chunks


def chunk_document(doc: LayoutDocument, *, max_tokens: int = 2000) -> list[LayoutChunk]:
    """Chunks of every report of a laid-out document, in reading order."""
    return [c for i, seg in enumerate(find_segments(doc)) for c in segment_chunks(doc, i, seg, max_tokens)]
