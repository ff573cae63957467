"""Pages → blocks in reading order: headings, paragraphs (re-joined across line
and page breaks) and tables (merged across pages)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from extractor.core.types import (
    Block,
    Heading,
    LayoutDocument,
    Line,
    Page,
    Paragraph,
    SourceSpan,
    Table,
    TableBlock,
)
from extractor.layout.furniture import furniture_filter
from extractor.layout.headings import heading_level, numbering_level
from extractor.layout.merge import merge_continued_tables
from extractor.layout.tables import find_tables
from extractor.layout.unruled import find_unruled_tables

_CENTRED_TOLERANCE = 0.08


@dataclass
class _Margins:
    left: float
    right: float
    char: float


def _margins(lines: Sequence[Line], page: Page) -> _Margins:
    if not lines:
        return _Margins(left=0.0, right=page.width, char=10.0)
    lefts = sorted(ln.bbox[0] for ln in lines)
    rights = sorted(ln.bbox[2] for ln in lines)
    sizes = sorted(ln.size or (ln.bbox[3] - ln.bbox[1]) for ln in lines)
    return _Margins(
        left=lefts[len(lefts) // 10],
        right=rights[int(len(rights) * 0.9)],
        char=max(sizes[len(sizes) // 2], 6.0),
    )


def _join(a: str, b: str) -> str:
    """Join wrapped lines: no space in Chinese, one space between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _is_centred(line: Line, page: Page) -> bool:
    mid = (line.bbox[0] + line.bbox[2]) / 2
    return (
        abs(mid - page.width / 2) <= page.width * _CENTRED_TOLERANCE
        and (line.bbox[2] - line.bbox[0]) < page.width * 0.6
    )


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    para_lines: list[Line] = field(default_factory=list)
    para_text: str = ""
    para_offsets: list[int] = field(default_factory=list)
    last_full_width: bool = False

    def flush(self) -> None:
        if self.para_lines:
            text = self.para_text
            if text:
                spans = tuple(ln.span() for ln in self.para_lines)
                self.blocks.append(Paragraph(text=text, spans=spans, offsets=tuple(self.para_offsets)))
        self.para_lines, self.para_text, self.para_offsets, self.last_full_width = [], "", [], False

    def heading(self, level: int, line: Line) -> None:
        self.flush()
        self.blocks.append(
            Heading(level=level, text=re.sub(r"\s+", " ", line.text.strip()), span=line.span())
        )

    def table(self, table: Table) -> None:
        self.flush()
        self.blocks.append(TableBlock(table=table))

    def line(self, line: Line, margins: _Margins, page: Page) -> None:
        text = line.text.strip()
        indented = line.bbox[0] > margins.left + margins.char * 1.2
        full_width = line.bbox[2] >= margins.right - margins.char * 1.5
        starts_item = numbering_level(text) is not None
        continues = self.para_lines and self.last_full_width and not indented and not starts_item
        if self.para_lines and continues:
            prev = self.para_lines[-1]
            gap = line.bbox[1] - prev.bbox[3]
            same_page = prev.page == line.page
            if same_page and gap > margins.char * 1.6:
                continues = False
            # A paragraph keeps one type size: a 22 pt cover line never runs on into 12 pt text.
            if prev.size and line.size and not 0.85 <= line.size / prev.size <= 1.18:
                continues = False
        if not continues:
            self.flush()
        self.para_lines.append(line)
        self.para_text = _join(self.para_text, text)
        self.para_offsets.append(len(self.para_text) - len(text))
        self.last_full_width = full_width


def _line_kind(line: Line, page: Page, body_size: float) -> int | None:
    """Heading level for a heading line, else None. Titles (large, centred) are level 0."""
    text = line.text.strip()
    if not text:
        return None
    level = heading_level(text, bold=line.bold)
    if level is not None:
        return level
    big = line.size >= body_size * 1.25
    if (big or (line.bold and _is_centred(line, page))) and len(re.sub(r"\s+", "", text)) <= 60:
        return 0
    return None


def _body_size(lines: Sequence[Line]) -> float:
    """The font size most text outside tables is set in (by characters, so titles weigh little)."""
    weights: dict[float, int] = {}
    for ln in lines:
        if ln.size:
            weights[ln.size] = weights.get(ln.size, 0) + len(ln.text)
    return max(weights, key=lambda s: weights[s]) if weights else 10.5


TableFinder = Callable[[Sequence[Line], Page], tuple[list[Table], list[Line]]]
"""Finds a page's tables: (tables, the lines outside them). Swappable to compare table extractors."""


def ruled_tables(lines: Sequence[Line], page: Page) -> tuple[list[Table], list[Line]]:
    """Tables from ruling lines, then tables from word alignment among the lines left over."""
    tables, rest = find_tables(lines, page.rulings, page.number)
    unruled, rest = find_unruled_tables(rest, page.number)
    return sorted([*tables, *unruled], key=lambda t: (t.bbox or (0, 0, 0, 0))[1]), rest


def _by_rows(lines: Sequence[Line]) -> list[tuple[float, Line]]:
    """Each line with the top of the printed row it sits on, so a row reads left to right.

    A line belongs to the row above when its middle is within that row's first line's
    height: OCR puts the boxes of one printed row 1–2 pt apart (`部门：` at 170, `单位：万元`
    at 171, the name between them at 172), and ordered by their own tops the row read
    `部门：` `单位：万元` `江苏省人大常委会办公厅`. Text-layer lines of one row share a top."""
    rows: list[tuple[float, Line]] = []
    top = bottom = float("-inf")
    for line in sorted(lines, key=lambda ln: ln.bbox[1]):
        middle = (line.bbox[1] + line.bbox[3]) / 2
        if not top <= middle <= bottom:
            top, bottom = line.bbox[1], line.bbox[3]
        rows.append((top, line))
    return rows


def layout_pages(
    path: str, pages: Sequence[Page], table_finder: TableFinder = ruled_tables
) -> LayoutDocument:
    """Lay out ingested pages (text layer or OCR alike)."""
    kept = furniture_filter(pages)
    split = [table_finder(lines, page) for page, lines in zip(pages, kept, strict=True)]
    body_size = _body_size([ln for _, rest in split for ln in rest])
    builder = _Builder()
    for page, (tables, rest) in zip(pages, split, strict=True):
        margins = _margins(rest, page)
        items: list[tuple[float, int, Line | Table]] = [(y, 1, ln) for y, ln in _by_rows(rest)]
        items += [((t.bbox or (0, 0, 0, 0))[1], 0, t) for t in tables]
        items.sort(key=lambda it: (round(it[0], 1), it[1], it[2].bbox[0] if isinstance(it[2], Line) else 0))
        for _, _, item in items:
            if isinstance(item, Table):
                builder.table(item)
                continue
            level = _line_kind(item, page, body_size)
            # A numbered line that runs to the right margin and is not bold opens a paragraph
            # ("（一）加强预算管理。结合…" wraps on): headings are short.
            if level and not item.bold and item.bbox[2] >= margins.right - margins.char * 1.5:
                level = None
            if level is not None:
                builder.heading(level, item)
            else:
                builder.line(item, margins, page)
    builder.flush()
    return LayoutDocument(
        path=path,
        n_pages=len(pages),
        pages=tuple(pages),
        blocks=tuple(merge_continued_tables(builder.blocks)),
    )


def block_span(block: Block) -> SourceSpan:
    if isinstance(block, Heading):
        return block.span
    if isinstance(block, Paragraph):
        return block.spans[0]
    return SourceSpan(page=block.table.pages[0], bbox=block.table.bbox, text="")
