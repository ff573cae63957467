"""A table as a plain grid of cells with header paths, the same for PDF, OCR and text input.

Merged cells are repeated over the positions they cover (PDF/OCR); text input
has blanks there instead, so header rows are carried right and label columns
carried down explicitly where a layout cannot tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.core.types import Cell, SourceSpan, Table
from extractor.extract.values import parse_amount

_CODE_RE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_ORDINAL_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\S")
_STRUCTURAL = ("行次", "科目编码", "编码", "科目名称", "项目")


@dataclass(frozen=True)
class GridCell:
    text: str
    cell: Cell | None

    def span(self) -> SourceSpan | None:
        if self.cell is None:
            return None
        return SourceSpan(page=self.cell.page, bbox=self.cell.bbox, text=self.cell.text)


_GRID_CACHE: dict[int, tuple[Table, list[list[GridCell]]]] = {}
_GRID_CACHE_SIZE = 16
_BLANK = GridCell(text="", cell=None)
_WHITESPACE = re.compile(r"\s+")


def grid_of(table: Table) -> list[list[GridCell]]:
    """Rows of GridCells; a merged cell's text repeats at every position it covers.

    Every report kind's extractor asks for the grid of the same tables, so the grids of
    the last few tables are kept (a 20,000-column row made each rebuild cost seconds).
    The rows are copies: callers may change their lists, never the cache.
    """
    hit = _GRID_CACHE.get(id(table))
    if hit is None or hit[0] is not table:
        filled = table.filled_grid()
        grid = [[GridCell(text=_spaces(c.text), cell=c) if c else _BLANK for c in row] for row in filled]
        if len(_GRID_CACHE) >= _GRID_CACHE_SIZE:
            _GRID_CACHE.pop(next(iter(_GRID_CACHE)))
        # The table itself is kept with its grid, so its id cannot be reused while cached.
        hit = _GRID_CACHE[id(table)] = (table, grid)
    return [list(row) for row in hit[1]]


def _spaces(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def is_code(text: str) -> bool:
    return bool(_CODE_RE.match(text.replace(" ", "")))


def is_column_number_row(row: list[GridCell]) -> bool:
    """The 栏次 row, or a row of column numbers 1 2 3 …"""
    texts = [c.text.replace(" ", "") for c in row if c.text.strip()]
    if not texts:
        return False
    if texts[0] == "栏次" or "栏次" in texts:
        return True
    return (
        all(t.isdigit() and int(t) <= 40 for t in texts) and len(texts) >= 2 and texts[0] in ("1", "2", "3")
    )


def is_data_row(row: list[GridCell]) -> bool:
    """A row holding data: a subject code, a decimal amount, or a leading 合计/总计 label
    (a header row may start with 合计 too, but then more headers follow it)."""
    texts = [c.text.replace(" ", "") for c in row if c.text.strip()]
    has_amount = any(parse_amount(t) is not None and "." in t for t in texts)
    # A merged 合计 cell repeats over the columns it spans: one label, however many cells.
    if texts and texts[0] in ("合计", "总计") and (has_amount or len(set(texts)) == 1):
        return True
    # A row label numbered 一、/（一）/1. starts the body even where no amount is printed (a blank template).
    return has_amount or any(is_code(t) for t in texts) or bool(texts and _ORDINAL_LABEL.match(texts[0]))


def header_row_count(rows: list[list[GridCell]]) -> int:
    """Rows before the first 栏次/column-number row or data row."""
    for i, row in enumerate(rows):
        if is_column_number_row(row) or is_data_row(row):
            return i
    return 0


def header_paths(rows: list[list[GridCell]], n_header: int) -> list[list[str]]:
    """Per column, the header texts from top to bottom (merged repeats collapsed).

    A blank header cell in text input takes its left neighbour's text when the
    column has its own text further down (a group header such as 收入 / 本年支出).
    """
    n_cols = max((len(r) for r in rows), default=0)
    texts = [
        [(r[c].text.replace(" ", "") if c < len(r) else "") for c in range(n_cols)] for r in rows[:n_header]
    ]
    for r in range(n_header - 1):
        for c in range(1, n_cols):
            below = any(texts[rr][c] for rr in range(r + 1, n_header))
            if not texts[r][c] and below and texts[r][c - 1] and _is_group_header(texts, r, c - 1):
                texts[r][c] = texts[r][c - 1]
    paths = []
    for c in range(n_cols):
        path: list[str] = []
        for r in range(n_header):
            t = texts[r][c]
            if t and (not path or path[-1] != t):
                path.append(t)
        paths.append(path)
    return paths


def _is_group_header(texts: list[list[str]], r: int, c: int) -> bool:
    """Whether the header at (r, c) heads several columns (text below it differs from it)."""
    below = [texts[rr][c] for rr in range(r + 1, len(texts)) if texts[rr][c]]
    return bool(below) and below[0] != texts[r][c]


def is_structural(path: list[str]) -> bool:
    return bool(path) and any(path[-1].endswith(s) or path[-1] == s for s in _STRUCTURAL)
