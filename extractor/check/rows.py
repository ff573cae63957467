"""Rows across tables: a class printed in several standard tables carries the same amount in
each table that covers the same money; a total row is never blank while its parts are not; a
code printed in parts keeps its leading zeros."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt
from extractor.schemas import FinalAccount, Finding, StandardTable, TableRow
from extractor.vocab.final_account_checks import SAME_ROWS, TOTAL_ROWS

FA = ("final_account",)
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、|\s+")


def _name(row: TableRow) -> str:
    return _ORDINAL.sub("", row.name or "")


def _column(table: StandardTable, candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in table.columns), None)


def _class_rows(table: StandardTable, side: str | None) -> dict[str, tuple[int, TableRow]]:
    """Class-level rows by name: coded rows with a 3-digit code, or 一、… rows of a two-sided table."""
    out: dict[str, tuple[int, TableRow]] = {}
    for ri, row in enumerate(table.rows):
        if side is not None and row.side != side:
            continue
        if (row.code and len(row.code) == 3) or (
            side is not None and re.match(r"^[一二三四五六七八九十]+、", row.name or "")
        ):
            out.setdefault(_name(row), (ri, row))
    return out


@check("cross.same_row", FA, "error", "a class printed in two tables covering the same money has one amount")
def same_row(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    by_id = {t.id: (ti, t) for ti, t in enumerate(report.tables)}
    for scope, members in SAME_ROWS:
        printed: list[tuple[str, str, dict[str, tuple[int, TableRow]]]] = []
        for table_id, side, columns in members:
            if table_id not in by_id:
                continue
            ti, table = by_id[table_id]
            column = _column(table, columns)
            if column is not None:
                printed.append((f"tables[{ti}]", column, _class_rows(table, side)))
        if len(printed) < 2:
            continue
        (path_a, col_a, rows_a), (path_b, col_b, rows_b) = printed[0], printed[1]
        ids = [m[0] for m in members]
        for name, (ri, row) in rows_a.items():
            if name not in rows_b:
                continue
            rj, other = rows_b[name]
            a, b = row.values.get(col_a), other.values.get(col_b)
            if a is None and b is None:
                continue
            fields = [f"{path_a}.rows[{ri}].values.{col_a}", f"{path_b}.rows[{rj}].values.{col_b}"]
            va, vb = a or Decimal(0), b or Decimal(0)
            same = va == vb
            shown_a = "blank" if a is None else fmt(a)
            shown_b = "blank" if b is None else fmt(b)
            yield ctx.finding(
                "cross.same_row",
                "error",
                "pass" if same else "fail",
                f"{name} ({scope}): 公开{ids[0]}表 prints {shown_a}, 公开{ids[1]}表 prints {shown_b}"
                + ("" if same else " (the same money must print the same amount)"),
                expected=shown_b,
                actual=shown_a,
                tolerance="0",
                fields=fields,
            )


def _is_part(row: TableRow, *, grand: bool) -> bool:
    """A row a total adds up: a class (coded) row or an 一、… row; for 总计, any row but a total."""
    if _name(row) in TOTAL_ROWS:
        return False
    return grand or bool(row.code and len(row.code) == 3) or bool(_ORDINAL.match(row.name or ""))


@check("table.blank_total", FA, "error", "a total row is not blank or 0 while the rows it totals are not")
def blank_total(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    for ti, table in enumerate(report.tables):
        for ri, row in enumerate(table.rows):
            if _name(row) not in TOTAL_ROWS:
                continue
            for column in table.columns:
                if column not in row.values:
                    continue
                value = row.values.get(column)
                if value:  # printed and non-zero: the sum checks judge it
                    continue
                parts = [
                    (rj, r.values.get(column))
                    for rj, r in enumerate(table.rows)
                    if rj != ri
                    and r.side == row.side
                    and _is_part(r, grand=_name(row) == "总计")
                    and r.values.get(column)
                ]
                if not parts:
                    continue
                shown = "blank" if value is None else "0"
                rj, first = parts[0]
                yield ctx.finding(
                    "table.blank_total",
                    "error",
                    "fail",
                    f"公开{table.id}表 {row.name} / {column} is printed {shown} while {len(parts)} rows it totals "
                    f"are not (e.g. {table.rows[rj].name} {fmt(first or Decimal(0))})",
                    expected="non-zero",
                    actual=shown,
                    fields=[
                        f"tables[{ti}].rows[{ri}].values.{column}",
                        f"tables[{ti}].rows[{rj}].values.{column}",
                    ],
                )


@check(
    "table.code_printed",
    ("final_account", "budget"),
    "warning",
    "a code printed in parts (类 款 项) prints each 款/项 part with its two digits",
)
def code_printed(ctx: Context) -> Iterator[Finding]:
    """`301 2` for 30102: an export that dropped the leading zero. The extraction reads the code
    (30102); the printed table is still wrong, once per table with every such row named."""
    for ti, table in enumerate(getattr(ctx.report, "tables", [])):
        short = []
        for ri, row in enumerate(table.rows):
            printed = ctx.report.evidence.get(f"tables[{ti}].rows[{ri}].code")
            parts = printed.text.split() if printed else []
            if len(parts) > 1 and all(p.isdigit() for p in parts) and any(len(p) < 2 for p in parts[1:]):
                short.append((ri, row, printed.text if printed else ""))
        if not short:
            continue
        ri, row, text = short[0]
        yield ctx.finding(
            "table.code_printed",
            "warning",
            "fail",
            f"{table.title}: {len(short)} codes printed without a leading zero ("
            + ", ".join(f"{t} {r.name or ''} for {r.code}" for _, r, t in short[:4])
            + ")",
            expected=row.code,
            actual=text,
            fields=[f"tables[{ti}].rows[{ri}].code"],
        )
