"""A part printed after 其中 is never more than its whole, in any printed table: the 项目资金
of a 绩效目标填报表 (`年度资金申请总额 10,903,043.00` / `其中：当年财政拨款 11,419,043.00`), the
收入 line of a table and its 其中 line. Read from the laid-out tables themselves,
so it holds for forms the extraction does not model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt
from extractor.check.text import dec, squeeze
from extractor.core.types import Cell
from extractor.schemas import Evidence, Finding
from extractor.vocab.common import PART_MARK

# A 自评表's 资金 rows are modelled and summed by `funds.sources`; here the kinds whose forms
# (the 绩效目标填报表 of a budget, a 决算's own tables) are read from the layout only.
KINDS = ("final_account", "budget")
_AMOUNT = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_PART = re.compile(PART_MARK)

Grid = list[list[Cell | None]]


def cell_amount(cell: Cell | None) -> Decimal | None:
    """The amount a cell prints on its own (`10,903,043.00`), None for a label or a blank."""
    text = squeeze(cell.text) if cell else ""
    return dec(text) if _AMOUNT.match(text) else None


def distinct_cells(row: list[Cell | None]) -> list[tuple[int, Cell]]:
    """(column, cell) of a grid row's printed cells, a merged cell once (at its first column)."""
    out: list[tuple[int, Cell]] = []
    seen: set[int] = set()
    for c, cell in enumerate(row):
        if cell is not None and id(cell) not in seen:
            seen.add(id(cell))
            out.append((c, cell))
    return out


def _values_right_of(row: list[Cell | None], col: int) -> dict[int, Cell]:
    """The amount cells right of a label, up to the next label (a form pairs label and value)."""
    out: dict[int, Cell] = {}
    for c, cell in distinct_cells(row):
        if c <= col or not cell.text.strip():
            continue
        if cell_amount(cell) is None:
            break
        out[c] = cell
    return out


def _whole_above(grid: Grid, r: int, col: int) -> tuple[Cell, dict[int, Cell]] | None:
    """The nearest line above with a label of its own in the column, not another 其中 part."""
    for above in range(r - 1, -1, -1):
        label = grid[above][col] if col < len(grid[above]) else None
        if label is None or not label.text.strip() or label.row != above:
            continue
        if _PART.match(squeeze(label.text)) or cell_amount(label) is not None:
            return None
        values = _values_right_of(grid[above], col)
        return (label, values) if values else None
    return None


@check(
    "table.part_within_whole",
    KINDS,
    "warning",
    "an amount printed after 其中 is not more than the whole on the line above it",
    needs_source=True,
)
def part_within_whole(ctx: Context) -> Iterator[Finding]:
    if ctx.source is None:
        return
    for block in ctx.source.blocks:
        if block.table is None:
            continue
        grid = block.table.grid()
        for r, row in enumerate(grid):
            for col, label in enumerate(row):
                if label is None or label.row != r or not _PART.match(squeeze(label.text)):
                    continue
                whole = _whole_above(grid, r, col)
                if whole is None:
                    continue
                whole_label, whole_values = whole
                for c, cell in _values_right_of(row, col).items():
                    part, total = cell_amount(cell), cell_amount(whole_values.get(c))
                    if part is None or total is None or part <= total:
                        continue
                    f = ctx.finding(
                        "table.part_within_whole",
                        "warning",
                        "fail",
                        f"“{squeeze(label.text)}” {fmt(part)} is more than its whole “{squeeze(whole_label.text)}” "
                        f"{fmt(total)}",
                        expected=f"≤ {fmt(total)}",
                        actual=fmt(part),
                    )
                    yield f.model_copy(
                        update={
                            "evidence": {
                                "(part)": Evidence(
                                    page=cell.page, bbox=cell.bbox, text=f"{label.text} {cell.text}"
                                ),
                                "(whole)": Evidence(
                                    page=whole_label.page, bbox=whole_label.bbox, text=whole_label.text
                                ),
                            }
                        }
                    )
                    break
