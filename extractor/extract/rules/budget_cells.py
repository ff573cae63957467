"""Cells of a budget table before its columns are read: printed amounts (元 → 万元 keeping every
digit), amounts set in one text run with a neighbour's text, and title rows inside the frame."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from extractor.extract.rules.grid import GridCell
from extractor.extract.values import normalize
from extractor.vocab import budget as vocab

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def printed_amount(text: str, unit: str) -> Decimal | None:
    """The amount a cell prints, in 万元: 元 moves the decimal point four places, keeping every digit."""
    cleaned = normalize(text).replace("，", ",").replace(" ", "")
    if not _AMOUNT.match(cleaned):
        return None
    value = Decimal(cleaned.replace(",", ""))
    return value.scaleb(-4) if unit == "元" else value


def is_amount(text: str) -> bool:
    return printed_amount(text, "万元") is not None


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- Cells set across a column border ------------------------------------------------------


def _run_start(c: int, k: int, empty: Callable[[int], bool]) -> int | None:
    """Where k amounts set as one text run belong: the run of k cells holding cell c (where the
    run's centre was read) whose other cells are empty, centred as near c as possible."""
    starts = [s for s in range(c - k + 1, c + 1) if all(i == c or empty(i) for i in range(s, s + k))]
    if not starts:
        return None
    return min(starts, key=lambda s: (abs(s + (k - 1) / 2 - c), -s))


def repair_straddles(rows: list[list[GridCell]]) -> list[list[GridCell]]:
    """Move an amount printed in the same text run as its neighbour's label back into the
    empty cell it belongs to (`9,501,164 一、一般公共服务` → `9,501,164` | `一、一般公共服务`)."""
    out = [list(r) for r in rows]
    for row in out:
        for c, gc in enumerate(row):
            tokens = gc.text.split()
            if len(tokens) < 2 or not any(is_amount(t) for t in tokens):
                continue

            def empty(i: int, gc: GridCell = gc, row: list[GridCell] = row) -> bool:
                return 0 <= i < len(row) and not row[i].text and row[i].cell is not gc.cell

            amounts = [t for t in tokens if is_amount(t)]
            if len(amounts) == len(tokens):
                start = _run_start(c, len(tokens), empty)
                if start is not None:
                    for k, tok in enumerate(tokens):
                        row[start + k] = GridCell(text=tok, cell=gc.cell)
            elif is_amount(tokens[0]) and not any(is_amount(t) for t in tokens[1:]) and empty(c - 1):
                row[c - 1] = GridCell(text=tokens[0], cell=gc.cell)
                row[c] = GridCell(text=" ".join(tokens[1:]), cell=gc.cell)
            elif is_amount(tokens[-1]) and not any(is_amount(t) for t in tokens[:-1]) and empty(c + 1):
                row[c + 1] = GridCell(text=tokens[-1], cell=gc.cell)
                row[c] = GridCell(text=" ".join(tokens[:-1]), cell=gc.cell)
    return out


# --- Title lines inside the table's frame ----------------------------------------------------

_HEADER_LINE = re.compile(vocab.HEADER_LINE)
_UNIT = re.compile(vocab.UNIT)


def is_banner(row: list[GridCell]) -> bool:
    """A row that prints the table's title, `部门：…` or `单位：…` inside its frame: one cell
    spanning most of the width, or only 部门/单位 lines."""
    cells = [gc for gc in row if gc.text.strip()]
    if not cells:
        return False
    texts = [compact(gc.text) for gc in cells]
    if all(_HEADER_LINE.match(t) or _UNIT.search(t) for t in texts):
        return True
    distinct = {id(gc.cell) for gc in cells}
    return (
        len(distinct) == 1
        and len(cells) >= max(2, len(row) * 0.6)
        and not any(is_amount(t) for t in texts)
        and bool(re.search(r"表|部\s*门[:：]|单\s*位[:：]", texts[0]))
    )


def without_banners(grid: list[list[GridCell]]) -> list[list[GridCell]]:
    n = 0
    while n < min(len(grid), 3) and is_banner(grid[n]):
        n += 1
    return grid[n:]
