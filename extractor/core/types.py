"""The pipeline's own types. Every stage takes and returns these frozen models,
and every piece of text keeps where it came from (page, box, source text).

Coordinates are PDF points with the origin at the top left of the page
(pymupdf's convention); OCR pixel boxes are scaled to points on ingest.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in PDF points, top-left origin."""


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


def union(boxes: list[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class SourceSpan(Model):
    """Where a value was read: page (1-based), box and the exact source text."""

    page: int
    bbox: BBox | None = None
    text: str


class Word(Model):
    """A run of text on one line (a pymupdf span or an OCR text box)."""

    text: str
    bbox: BBox
    size: float = 0.0
    bold: bool = False
    confidence: float | None = None
    """OCR confidence in [0, 1]; None for a text layer."""


class Line(Model):
    text: str
    bbox: BBox
    page: int
    words: tuple[Word, ...] = ()
    size: float = 0.0
    bold: bool = False
    confidence: float | None = None

    def span(self) -> SourceSpan:
        return SourceSpan(page=self.page, bbox=self.bbox, text=self.text)


class Ruling(Model):
    """A ruled line segment (a table border): horizontal when y0 == y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


Turn = Literal[0, 90, 180, 270]
"""Degrees clockwise, the way PDF's /Rotate counts."""


class Page(Model):
    """One page as ingested: lines of text, ruling lines, and how the text was obtained."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    rulings: tuple[Ruling, ...] = ()
    text_source: Literal["text", "ocr", "plain"] = "text"
    ocr_engine: str | None = None
    turned: Turn = 0
    """Degrees clockwise the page was turned to read it upright (it lay sideways or upside down);
    its size and every box are those of the turned page."""


class Cell(Model):
    """A table cell; a merged cell spans several grid rows/columns and is stored once."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""
    page: int
    bbox: BBox | None = None


class Table(Model):
    """A table, possibly merged across pages: `cells` are in grid coordinates of the whole table."""

    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    pages: tuple[int, ...]
    bbox: BBox | None = None
    """Box on the first page."""

    def grid(self) -> list[list[Cell | None]]:
        """Rows of cells; a merged cell appears at its top-left position only."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell
        return rows

    def filled_grid(self) -> list[list[Cell | None]]:
        """Rows of cells with merged cells repeated over every position they cover."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    rows[r][c] = cell
        return rows

    def row_texts(self) -> list[list[str]]:
        """Plain text grid; merged cells' text only at their top-left position."""
        return [[c.text if c else "" for c in row] for row in self.grid()]


class Heading(Model):
    kind: Literal["heading"] = "heading"
    level: int
    text: str
    span: SourceSpan


class Paragraph(Model):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    spans: tuple[SourceSpan, ...]
    """The source lines, in order (a paragraph may cross a page break)."""
    offsets: tuple[int, ...] = ()
    """Where each span's text starts in `text`, so a character range maps to the lines that
    printed it without searching (empty: one span, or offsets unknown)."""

    def spans_at(self, start: int, end: int) -> tuple[SourceSpan, ...]:
        """The source lines holding characters [start, end) of `text` (all of them when unknown)."""
        if len(self.offsets) != len(self.spans):
            return self.spans
        bounds = [*self.offsets[1:], len(self.text)]
        hit = tuple(
            s for s, a, b in zip(self.spans, self.offsets, bounds, strict=True) if a < end and start < b
        )
        return hit or self.spans[:1]


class TableBlock(Model):
    kind: Literal["table"] = "table"
    table: Table
    caption: str | None = None


Block = Heading | Paragraph | TableBlock


class LayoutDocument(Model):
    """A file after layout: blocks in reading order, headers/footers removed."""

    path: str
    n_pages: int
    pages: tuple[Page, ...] = Field(default=(), repr=False)
    blocks: tuple[Block, ...] = ()
