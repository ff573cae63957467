"""Tables continued over page breaks become one table; repeated header rows are dropped."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.core.types import Block, Cell, Table, TableBlock

COLUMN_TOLERANCE = 3.0


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


def append_table(first: Table, second: Table) -> Table:
    """`second` continued below `first`: its repeated header rows dropped, rows renumbered."""
    skip = _repeated_header_rows(first, second)
    cells: list[Cell] = list(first.cells)
    for cell in second.cells:
        if cell.row < skip:
            continue
        cells.append(cell.model_copy(update={"row": cell.row - skip + first.n_rows}))
    return Table(
        n_rows=first.n_rows + second.n_rows - skip,
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
