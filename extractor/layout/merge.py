"""Tables continued over page breaks become one table; repeated header rows are dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractor.core.types import Block, Cell, Table, TableBlock

COLUMN_TOLERANCE = 3.0
_FRAGMENT_COLUMNS = 2
_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
_IDENTITY = re.compile(
    r"^(\d{3}(\d{2}){0,2}$|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|合计|总计|小计)"
)


def _column_edges(table: Table) -> list[float]:
    edges = sorted({c.bbox[0] for c in table.cells if c.bbox} | {c.bbox[2] for c in table.cells if c.bbox})
    return edges


def _same_columns(a: Table, b: Table) -> bool:
    if a.n_cols != b.n_cols:
        return False
    ea, eb = _column_edges(a), _column_edges(b)
    if not ea or not eb:
        return True
    return abs(ea[0] - eb[0]) <= COLUMN_TOLERANCE and abs(ea[-1] - eb[-1]) <= COLUMN_TOLERANCE


def _row_signature(table: Table, row: int) -> tuple[str, ...]:
    grid = table.row_texts()
    return tuple(t.replace(" ", "") for t in grid[row])


def _repeated_header_rows(first: Table, second: Table) -> int:
    """How many leading rows of `second` repeat the leading rows of `first`."""
    n = 0
    while (
        n < min(first.n_rows, second.n_rows) - 0
        and _row_signature(first, n) == _row_signature(second, n)
        and any(_row_signature(second, n))
    ):
        n += 1
    return n


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.fullmatch(text.replace(" ", "")))


def _own_cells(table: Table, row: int) -> dict[int, Cell]:
    """The cells that start in `row` (a cell merged down from above is not the row's own)."""
    return {c.col: c for c in table.cells if c.row == row and c.row + c.row_span - 1 == row}


def _split_row(first: Table, second: Table, skip: int) -> bool:
    """Whether the first body row of `second` is the rest of `first`'s last row, broken by the
    page (Word lets a tall row run over a page break): the two rows complete each other.

    One of them holds numbers and the other none; the number-less one is a label's other
    half: text in at most two columns, one of them a column the other row fills too, and no
    identity of its own (no subject code, no 一、/（一）/1. numbering, no 合计). A real row
    without numbers (a target and an actual, no weight) has more text than that.
    """
    if second.n_rows <= skip or first.n_rows == 0:
        return False
    a, b = _own_cells(first, first.n_rows - 1), _own_cells(second, skip)
    a_text = {c: cell.text.strip() for c, cell in a.items() if cell.text.strip()}
    b_text = {c: cell.text.strip() for c, cell in b.items() if cell.text.strip()}
    if not a_text or not b_text:
        return False
    a_nums = {c for c, t in a_text.items() if _is_amount(t)}
    b_nums = {c for c, t in b_text.items() if _is_amount(t)}
    if bool(a_nums) == bool(b_nums):
        return False
    fragment, whole = (b_text, a_text) if a_nums else (a_text, b_text)
    if len(fragment) > _FRAGMENT_COLUMNS or not set(fragment) & set(whole):
        return False
    return not any(_IDENTITY.match(t.replace(" ", "")) for t in fragment.values())


def _joined_row(first: Table, second: Table, skip: int) -> list[Cell]:
    """`first`'s last row with `second`'s first body row written into it, column by column."""
    row = first.n_rows - 1
    a, b = _own_cells(first, row), _own_cells(second, skip)
    out = []
    for col in sorted(set(a) | set(b)):
        top, rest = a.get(col), b.get(col)
        if top is None or not top.text.strip():
            base = rest if rest is not None else top
            assert base is not None
            out.append(base.model_copy(update={"row": row, "row_span": 1}))
        elif rest is None or not rest.text.strip():
            out.append(top)
        else:
            out.append(top.model_copy(update={"text": _join(top.text.strip(), rest.text.strip())}))
    return out


def _join(a: str, b: str) -> str:
    latin = a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum()
    return f"{a} {b}" if latin else a + b


def append_table(first: Table, second: Table) -> Table:
    """`second` continued below `first`: its repeated header rows dropped, rows renumbered,
    and a row broken by the page joined again."""
    skip = _repeated_header_rows(first, second)
    cells: list[Cell] = list(first.cells)
    joined = _split_row(first, second, skip)
    if joined:
        last = first.n_rows - 1
        cells = [c for c in cells if not (c.row == last and c.row + c.row_span - 1 == last)]
        cells += _joined_row(first, second, skip)
    offset = first.n_rows - skip - (1 if joined else 0)
    for cell in second.cells:
        if cell.row < skip + (1 if joined else 0):
            continue
        cells.append(cell.model_copy(update={"row": cell.row + offset}))
    return Table(
        n_rows=first.n_rows + second.n_rows - skip - (1 if joined else 0),
        n_cols=first.n_cols,
        cells=tuple(cells),
        pages=tuple(dict.fromkeys(first.pages + second.pages)),
        bbox=first.bbox,
    )


def merge_continued_tables(blocks: Sequence[Block]) -> list[Block]:
    """Merge a table with the next block when that block is a table starting on a later page
    with the same columns (nothing but page furniture stood between them)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(block, TableBlock)
            and isinstance(prev, TableBlock)
            and block.table.pages[0] == prev.table.pages[-1] + 1
            and _same_columns(prev.table, block.table)
        ):
            out[-1] = TableBlock(table=append_table(prev.table, block.table), caption=prev.caption)
            continue
        out.append(block)
    return out
