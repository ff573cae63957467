"""Blocks rendered as the text a reader (a model, a chunk) sees, keeping where every character came from.

Headings and paragraphs are written as printed; a table is written as a grid, one
line per row, cells between `|`, from `Table.row_texts()` (merged cells at their
top-left position), so row and column labels stay beside their values. Every piece
of text remembers its page and box, so a quote found in the chunk becomes evidence.

Quotes are matched whitespace-insensitively (NFKC, whitespace and the `|` cell
separators removed), so a quote that spans a line break or two cells still matches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from extractor.core.types import BBox, Block, Heading, Paragraph, SourceSpan, TableBlock, union

_DROP = re.compile(r"[\s|]")


def normalise(text: str) -> str:
    """The form quotes are compared in: NFKC, no whitespace, no cell separators."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    page: int
    bbox: BBox | None


@dataclass(frozen=True)
class Chunk:
    """The text of one report (or the part of it a section needs) with a map back to pages."""

    text: str
    pieces: tuple[Piece, ...] = ()
    truncated: bool = False
    _norm: str = field(default="", repr=False, compare=False)
    _index: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(self.text):
            for out in _DROP.sub("", unicodedata.normalize("NFKC", ch)):
                chars.append(out)
                index.append(i)
        object.__setattr__(self, "_norm", "".join(chars))
        object.__setattr__(self, "_index", tuple(index))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def contains(self, quote: str) -> bool:
        needle = normalise(quote)
        return bool(needle) and needle in self._norm

    def locate(self, quote: str) -> SourceSpan | None:
        """Where `quote` sits: the page of its first character and the box of its pieces on that page."""
        needle = normalise(quote)
        at = self._norm.find(needle) if needle else -1
        if at < 0:
            return None
        start, end = self._index[at], self._index[at + len(needle) - 1] + 1
        hit = [p for p in self.pieces if p.start < end and p.end > start]
        if not hit:
            return SourceSpan(page=1, bbox=None, text=quote)
        page = hit[0].page
        boxes = [p.bbox for p in hit if p.page == page and p.bbox is not None]
        return SourceSpan(page=page, bbox=union(boxes) if boxes else None, text=quote)


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("|", "¦")


class _Writer:
    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.size = 0
        self.limit = limit
        self.truncated = False

    def write(self, text: str, page: int | None = None, bbox: BBox | None = None) -> None:
        if page is not None and text:
            self.pieces.append(Piece(self.size, self.size + len(text), page, bbox))
        self.parts.append(text)
        self.size += len(text)

    def full(self) -> bool:
        if self.size >= self.limit:
            self.truncated = True
        return self.truncated

    def paragraph(self, block: Paragraph) -> None:
        """The paragraph's text, each source line mapped to its own page and box where it can be found."""
        text = block.text
        cursor = 0
        base = self.size
        for span in block.spans:
            line = span.text.strip()
            at = text.find(line, cursor) if line else -1
            if at < 0:
                continue
            self.pieces.append(Piece(base + at, base + at + len(line), span.page, span.bbox))
            cursor = at + len(line)
        if cursor == 0 and block.spans:
            first = block.spans[0]
            self.pieces.append(Piece(base, base + len(text), first.page, first.bbox))
        self.parts.append(text)
        self.size += len(text)
        self.write("\n\n")

    def table(self, block: TableBlock) -> None:
        table = block.table
        self.write(f"[表格 {table.n_rows}行×{table.n_cols}列]\n")
        for row in table.grid():
            self.write("|")
            for cell in row:
                text = _cell(cell.text) if cell else ""
                self.write(" ")
                self.write(text, cell.page if cell else None, cell.bbox if cell else None)
                self.write(" |")
            self.write("\n")
        self.write("\n")


def build_chunk(blocks: list[Block], *, limit: int = 60000) -> Chunk:
    """The chunk of a report's blocks; stops after `limit` characters (then `truncated`)."""
    out = _Writer(limit)
    for block in blocks:
        if out.full():
            break
        if isinstance(block, Heading):
            out.write(block.text, block.span.page, block.span.bbox)
            out.write("\n\n")
        elif isinstance(block, Paragraph):
            out.paragraph(block)
        elif isinstance(block, TableBlock):
            out.table(block)
    return Chunk(text="".join(out.parts).rstrip() + "\n", pieces=tuple(out.pieces), truncated=out.truncated)


def text_chunk(text: str, page: int = 1) -> Chunk:
    """A chunk from plain text (tests, hand-made snippets): all on one page, no boxes."""
    return Chunk(text=text, pieces=(Piece(0, len(text), page, None),))
