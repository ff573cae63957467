"""Tables in plain text laid out with spaces (`pdftotext -layout`, a PDF copied as text):
runs of lines whose cells are separated by two or more spaces and line up in columns.

Columns come from a projection profile over the body lines, in display columns (a CJK
character is two wide, as in any monospaced rendering): the character positions that some
cell covers form the columns, and a gap no body cell crosses separates two of them. That
works for left-aligned labels and right-aligned amounts alike. Header cells are placed in
the column they overlap most.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_AMOUNT = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$")
MIN_CELLS = 3
"""A line is a table line when two or more runs of two-plus spaces split it into this many cells."""
MIN_LINES = 2


@dataclass(frozen=True)
class TextCell:
    text: str
    start: int
    end: int


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cells_of(line: str) -> list[TextCell]:
    """The cells of one line: text runs separated by two or more spaces, in display columns."""
    expanded = line.replace("\t", "    ")
    out = []
    column = offset = 0  # display column reached, and the character offset it stands for
    for match in re.finditer(r"\S+(?: \S+)*", expanded):
        start = column + _width(expanded[offset : match.start()])
        column, offset = start + _width(match.group(0)), match.end()
        out.append(TextCell(text=match.group(0), start=start, end=column))
    return out


def is_table_line(line: str) -> bool:
    cells = cells_of(line)
    return len(cells) >= MIN_CELLS or (
        len(cells) == 2 and bool(_AMOUNT.match(cells[-1].text.replace(" ", "")))
    )


def _columns(body: list[list[TextCell]]) -> list[tuple[int, int]]:
    """Column intervals: the union of the body cells' extents, split at gaps no cell crosses."""
    spans = sorted((c.start, c.end) for row in body for c in row)
    columns: list[tuple[int, int]] = []
    for start, end in spans:
        if columns and start < columns[-1][1] + 1:
            columns[-1] = (columns[-1][0], max(columns[-1][1], end))
        else:
            columns.append((start, end))
    return columns


def _column_of(cell: TextCell, columns: list[tuple[int, int]]) -> int:
    overlaps = [min(cell.end, e) - max(cell.start, s) for s, e in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    # In a gap: the nearest column by distance.
    return min(
        range(len(columns)), key=lambda i: min(abs(cell.start - columns[i][1]), abs(cell.end - columns[i][0]))
    )


def grid_of_lines(lines: list[str]) -> list[list[str]]:
    """Rows of cell texts, one per line, aligned to the block's columns."""
    rows = [cells_of(line) for line in lines]
    body = [r for r in rows if any(_AMOUNT.match(c.text.replace(" ", "")) for c in r)] or rows
    columns = _columns(body)
    grid = []
    for row in rows:
        out = [""] * len(columns)
        for cell in row:
            k = _column_of(cell, columns)
            out[k] = f"{out[k]} {cell.text}".strip() if out[k] else cell.text
        grid.append(out)
    return grid


def table_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of lines that forms a table: lines of two cells or more (a
    header such as `收入  支出`, a row whose amounts are blank) in a run holding at least
    MIN_LINES certain table lines."""
    runs = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and "\t" not in lines[j] and len(cells_of(lines[j])) >= 2:
            j += 1
        if sum(is_table_line(ln) for ln in lines[i:j]) >= MIN_LINES:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs
