"""Performance forms (自评表): label → value cells, the funds block, goals and the indicator table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractor.core.types import SourceSpan, Table
from extractor.extract.rules.grid import GridCell, grid_of
from extractor.extract.values import compact, parse_amount, parse_percent
from extractor.vocab import self_eval as vocab

_WEIGHT_IN_HEADER = re.compile(vocab.INDICATOR_WEIGHT)
_HEADER_SUFFIX = re.compile(r"[（(][^）)]{0,6}[)）]$")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _header(text: str) -> str:
    """A header cell's words: whitespace and a trailing （分）/（万元）/（%） removed."""
    return _HEADER_SUFFIX.sub("", _key(text))


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: field for field, words in table.items() for word in words}


_FUNDS_COLUMNS = _lookup(vocab.FUNDS_COLUMNS)
_FUNDS_ROWS = _lookup(vocab.FUNDS_ROWS)
_INDICATOR_HEADERS = _lookup(vocab.INDICATOR_HEADERS)


@dataclass(frozen=True)
class Value:
    text: str
    span: SourceSpan | None


def _iter_grids(tables: list[Table]) -> Iterator[list[list[GridCell]]]:
    for table in tables:
        yield grid_of(table)


def labelled_value(tables: list[Table], labels: tuple[str, ...]) -> Value | None:
    """The first cell to the right of a cell whose text is one of `labels` (merged repeats skipped)."""
    for rows in _iter_grids(tables):
        for row in rows:
            for i, cell in enumerate(row):
                if _key(cell.text) not in labels:
                    continue
                for other in row[i + 1 :]:
                    if other.text and _key(other.text) != _key(cell.text):
                        return Value(text=compact(other.text), span=other.span())
    return None


@dataclass
class FundsBlock:
    rows: dict[str, dict[str, Value]]
    """Row key (total/current_year/…) → column key (initial_budget/…/score) → value."""


def distinct_cells(row: list[GridCell]) -> list[GridCell]:
    """A row's cells left to right, a merged cell once (text input has no merges)."""
    out: list[GridCell] = []
    for cell in row:
        if out and cell.cell is not None and cell.cell is out[-1].cell:
            continue
        out.append(cell)
    return out


def funds_block(tables: list[Table]) -> FundsBlock | None:
    """The 年度资金总额 block. Values are read in header order from the cells after each
    row's label, which survives a header row shifted against its data (merged label cells)."""
    for rows in _iter_grids(tables):
        for r, row in enumerate(rows):
            header = [
                _FUNDS_COLUMNS[_header(c.text)]
                for c in distinct_cells(row)
                if _header(c.text) in _FUNDS_COLUMNS
            ]
            if len(header) < 3:
                continue
            out: dict[str, dict[str, Value]] = {}
            for below in rows[r + 1 : r + 8]:
                cells = distinct_cells(below)
                found = next(
                    (
                        (i, name)
                        for i, cell in enumerate(cells)
                        for raw, name in _FUNDS_ROWS.items()
                        if raw in _key(cell.text)
                    ),
                    None,
                )
                if found is None or found[1] in out:
                    continue
                label_index, label = found
                after = cells[label_index + 1 :]
                values: dict[str, Value] = {}
                for field, cell in zip(header, after, strict=False):
                    if cell.text and parse_amount(cell.text.replace("%", "")) is not None:
                        values[field] = Value(text=cell.text, span=cell.span())
                out[label] = values
            return FundsBlock(rows=out)
    return None


def goals(tables: list[Table]) -> tuple[Value | None, Value | None]:
    """(预期目标, 实际完成情况): the texts under those headers."""
    for rows in _iter_grids(tables):
        for r, row in enumerate(rows):
            keys = [_key(c.text) for c in row]
            plan_col = next((i for i, k in enumerate(keys) if k in vocab.GOAL_HEADERS[0]), None)
            done_col = next((i for i, k in enumerate(keys) if k in vocab.GOAL_HEADERS[1]), None)
            if plan_col is not None and done_col is not None and r + 1 < len(rows):
                below = rows[r + 1]
                plan = below[plan_col] if plan_col < len(below) else None
                done = below[done_col] if done_col < len(below) else None
                return (
                    Value(text=compact(plan.text), span=plan.span()) if plan and plan.text else None,
                    Value(text=compact(done.text), span=done.span()) if done and done.text else None,
                )
    return None, None


@dataclass
class IndicatorRow:
    fields: dict[str, Value]


def _indicator_columns(row: list[GridCell]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for c, cell in enumerate(row):
        field = _INDICATOR_HEADERS.get(_header(cell.text))
        if field is not None and field not in cols:
            cols[field] = c
        if _key(cell.text).startswith(vocab.NOTE_HEADERS) and "note" not in cols:
            cols["note"] = c
    return cols if {"level1", "name", "weight", "score"} <= cols.keys() else None


def _is_number(cell: GridCell | None) -> bool:
    """A plain number (分值/得分 cells); percentages are targets, not weights."""
    return cell is not None and "%" not in cell.text and parse_amount(cell.text) is not None


def indicators(tables: list[Table]) -> tuple[list[IndicatorRow], Value | None, Value | None]:
    """Indicator rows (level1/level2 carried down), and the 总分 row's 分值 and 得分."""
    out: list[IndicatorRow] = []
    total_weight = total_score = None
    cols: dict[str, int] | None = None
    carry: dict[str, Value] = {}
    for rows in _iter_grids(tables):
        for row in rows:
            header = _indicator_columns(row)
            if header:
                cols = header
                continue
            if cols is None:
                continue
            keys = [_key(c.text) for c in row]
            if any(k.replace(" ", "") in vocab.TOTAL_ROW for k in keys):
                nums = [c for c in row if _is_number(c)]
                if len(nums) >= 2:
                    total_weight = Value(text=nums[-2].text, span=nums[-2].span())
                    total_score = Value(text=nums[-1].text, span=nums[-1].span())
                elif nums:
                    total_score = Value(text=nums[-1].text, span=nums[-1].span())
                cols = None
                continue
            shift = _best_shift(row, cols)
            fields: dict[str, Value] = {}
            for field, c in cols.items():
                cell = _at(row, c - shift)
                if cell is None or not cell.text:
                    continue
                text = compact(cell.text)
                if field in ("level1", "level2"):
                    text = _WEIGHT_IN_HEADER.sub("", text).strip()
                fields[field] = Value(text=text, span=cell.span())
            if "name" not in fields:
                # The name drifted left of its column (a lost merged cell): take the nearest text.
                left = [c for c in row[: cols["name"] - shift] if c.text]
                if not left or not ("weight" in fields or "target" in fields):
                    continue
                named = left.pop()
                fields["name"] = Value(text=compact(named.text), span=named.span())
                if "level2" in fields and fields["level2"].text == fields["name"].text:
                    del fields["level2"]
                if "level1" in fields and fields["level1"].text == fields["name"].text:
                    del fields["level1"]
            # 一级指标 of the national templates are all "…指标" (产出/效益/满意度/成本指标). A lone
            # "满意度" in that column under a "…指标" level 1 is a 二级指标 whose level-1 cell is merged.
            level1 = fields.get("level1")
            previous = carry.get("level1")
            if (
                level1 is not None
                and "level2" not in fields
                and not level1.text.endswith("指标")
                and previous is not None
                and previous.text.endswith("指标")
            ):
                fields["level2"] = level1
                fields["level1"] = previous
            # Merged (or blank in text) level cells carry down; a new level1 resets level2.
            for level in ("level1", "level2"):
                if level in fields:
                    if (
                        level == "level1"
                        and carry.get("level1")
                        and carry["level1"].text != fields[level].text
                    ):
                        carry.pop("level2", None)
                    carry[level] = fields[level]
                elif level in carry:
                    fields[level] = carry[level]
            out.append(IndicatorRow(fields=fields))
    return out, total_weight, total_score


def _best_shift(row: list[GridCell], cols: dict[str, int]) -> int:
    """How far a row's cells sit right (+) or left (-) of the header's columns.

    Text input loses leading merged cells, so rows drift; the shift that puts
    numbers under 分值/得分 and text under the value columns wins.
    """

    def plausibility(shift: int) -> float:
        points = 0.0
        for field, weight in (("weight", 2.0), ("score", 2.0)):
            if _is_number(_at(row, cols[field] - shift)):
                points += weight
        for field in ("target", "actual", "name"):
            cell = _at(row, cols.get(field, -99) - shift)
            if (cell is not None and cell.text and not _is_number(cell)) or (
                field != "name" and cell and cell.text
            ):
                points += 1.0
        return points - abs(shift) * 0.5

    return max((0, 1, -1, 2, -2), key=plausibility)


def _at(row: list[GridCell], c: int) -> GridCell | None:
    return row[c] if 0 <= c < len(row) else None


def percent_value(value: Value | None) -> object:
    return parse_percent(value.text) if value else None
