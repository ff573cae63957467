"""Checks on the standard tables of a 部门决算: totals, the code hierarchy, two-sided balance,
the basic-expenditure detail, 三公, and the same quantity across tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from extractor.check.base import Context, Term, check, skipped, sum_finding
from extractor.schemas import FinalAccount, Finding, StandardTable, TableRow

FA = ("final_account",)
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def _fa(ctx: Context) -> FinalAccount:
    assert isinstance(ctx.report, FinalAccount)
    return ctx.report


def _tables(ctx: Context) -> Iterator[tuple[int, StandardTable]]:
    yield from enumerate(_fa(ctx).tables)


def _cell(ti: int, ri: int, column: str) -> str:
    return f"tables[{ti}].rows[{ri}].values.{column}"


def _label(row: TableRow) -> str:
    return _ORDINAL.sub("", row.name or "")


def _find(table: StandardTable, label: str, side: str | None = None) -> tuple[int, TableRow] | None:
    for ri, row in enumerate(table.rows):
        if (side is None or row.side == side) and _label(row) == label:
            return ri, row
    return None


def _term(ti: int, ri: int, row: TableRow, column: str) -> Term | None:
    """(path, value) of a printed cell, or None for a blank one."""
    value = row.values.get(column)
    return None if value is None else (_cell(ti, ri, column), value)


def _terms(candidates: Iterable[Term | None]) -> list[Term]:
    # A blank cell prints zero (the tables' own note says so): it adds nothing to a sum.
    return [t for t in candidates if t is not None]


@check("table.code_hierarchy", FA, "error", "合计 = Σ 类; 类 = Σ 款; 款 = Σ 项 (by code prefix)")
def code_hierarchy(ctx: Context) -> Iterator[Finding]:
    for ti, table in _tables(ctx):
        coded = [(ri, r) for ri, r in enumerate(table.rows) if r.code and r.side is None]
        if not coded:
            continue
        total = _find(table, "合计")
        for column in table.columns:
            groups: list[tuple[Term, list[Term], str]] = []
            total_term = _term(ti, total[0], total[1], column) if total else None
            if total_term:
                parts = _terms(_term(ti, ri, r, column) for ri, r in coded if len(r.code or "") == 3)
                groups.append((total_term, parts, "合计"))
            for ri, parent in coded:
                code = parent.code or ""
                parent_term = _term(ti, ri, parent, column)
                children = [
                    _term(ti, rj, r, column)
                    for rj, r in coded
                    if (r.code or "").startswith(code) and len(r.code or "") == len(code) + 2
                ]
                if parent_term and children:
                    groups.append((parent_term, _terms(children), f"{code} {parent.name}"))
            for head, parts, label in groups:
                if parts:
                    yield sum_finding(
                        ctx,
                        "table.code_hierarchy",
                        "error",
                        f"公开{table.id}表 {label} / {column}",
                        head,
                        parts,
                    )


# Per table, the (total column, part columns) layouts producers print; the first whose total
# column the table has is used. None: every other column is a part.
_ROW_TOTALS: dict[str, list[tuple[str, list[str] | None]]] = {
    "02": [("本年收入合计", None)],
    "03": [("本年支出合计", None)],
    "05": [("本年支出/小计", ["本年支出/基本支出", "本年支出/项目支出"]), ("合计", ["基本支出", "项目支出"])],
    "07": [
        ("本年支出/小计", ["本年支出/基本支出", "本年支出/项目支出"]),
        ("本年支出/合计", ["本年支出/基本支出", "本年支出/项目支出"]),
    ],
    "08": [
        ("本年支出/合计", ["本年支出/基本支出", "本年支出/项目支出"]),
        ("本年支出/小计", ["本年支出/基本支出", "本年支出/项目支出"]),
    ],
}


@check("table.row_total", FA, "error", "a row's total column = Σ its part columns")
def row_totals(ctx: Context) -> Iterator[Finding]:
    for ti, table in _tables(ctx):
        spec = next((s for s in _ROW_TOTALS.get(table.id, []) if s[0] in table.columns), None)
        if spec is None:
            continue
        total_col, parts_cols = spec
        parts_cols = parts_cols or [c for c in table.columns if c != total_col]
        for ri, row in enumerate(table.rows):
            total = _term(ti, ri, row, total_col)
            parts = _terms(_term(ti, ri, row, c) for c in parts_cols if c in table.columns)
            if total and parts:
                label = f"公开{table.id}表 {row.code or ''} {row.name} / {total_col}"
                yield sum_finding(ctx, "table.row_total", "error", label, total, parts)


def _side_value(ti: int, table: StandardTable, label: str, side: str | None, column: str) -> Term | None:
    found = _find(table, label, side)
    return _term(ti, found[0], found[1], column) if found else None


@check(
    "table.balance", FA, "error", "two-sided tables: sides add up to 本年合计 and 总计; 收入总计 = 支出总计"
)
def balance(ctx: Context) -> Iterator[Finding]:
    for ti, table in _tables(ctx):
        if table.id not in ("01", "04"):
            continue
        column_in, column_out = ("金额", "金额") if table.id == "01" else ("金额", "合计")
        income_total = _side_value(ti, table, "本年收入合计", "收入", column_in)
        spend_total = _side_value(ti, table, "本年支出合计", "支出", column_out)
        for side, total, column in (("收入", income_total, column_in), ("支出", spend_total, column_out)):
            parts = _terms(
                _term(ti, ri, r, column)
                for ri, r in enumerate(table.rows)
                if r.side == side and _ORDINAL.match(r.name or "")
            )
            if total and parts:
                yield sum_finding(
                    ctx, "table.balance", "error", f"公开{table.id}表 {side}: 本年合计", total, parts
                )
        grand_in = _side_value(ti, table, "总计", "收入", column_in)
        grand_out = _side_value(ti, table, "总计", "支出", column_out)
        if grand_in and income_total:
            extra = _terms(
                _side_value(ti, table, label, "收入", column_in)
                for label in ("使用非财政拨款结余", "年初结转和结余", "年初财政拨款结转和结余")
            )
            yield sum_finding(
                ctx, "table.balance", "error", f"公开{table.id}表 收入总计", grand_in, [income_total, *extra]
            )
        if grand_out and spend_total:
            extra = _terms(
                _side_value(ti, table, label, "支出", column_out)
                for label in ("结余分配", "年末结转和结余", "年末财政拨款结转和结余")
            )
            yield sum_finding(
                ctx, "table.balance", "error", f"公开{table.id}表 支出总计", grand_out, [spend_total, *extra]
            )
        if grand_in and grand_out:
            yield sum_finding(
                ctx,
                "table.balance",
                "error",
                f"公开{table.id}表 收入总计 = 支出总计",
                grand_in,
                [grand_out],
                relation="支出总计",
            )


# Without printed group headings, the economic classes of 人员经费 (the rest are 公用经费).
_ECONOMIC_SIDE = {"301": "人员经费", "303": "人员经费"}


@check(
    "table.basic_detail", FA, "error", "公开06表: 人员经费合计 / 公用经费合计 = Σ their 类 rows; 类 = Σ 款"
)
def basic_detail(ctx: Context) -> Iterator[Finding]:
    for ti, table in _tables(ctx):
        if table.id != "06":
            continue
        for side in ("人员经费", "公用经费"):
            total = _side_value(ti, table, f"{side}合计", side, "决算数") or _side_value(
                ti, table, f"{side}合计", None, "决算数"
            )
            parts = _terms(
                _term(ti, ri, r, "决算数")
                for ri, r in enumerate(table.rows)
                if len(r.code or "") == 3 and (r.side or _ECONOMIC_SIDE.get(r.code or "", "公用经费")) == side
            )
            if total:
                yield sum_finding(ctx, "table.basic_detail", "error", f"公开06表 {side}合计", total, parts)
        coded = [(ri, r) for ri, r in enumerate(table.rows) if r.code]
        for ri, parent in coded:
            head = _term(ti, ri, parent, "决算数")
            code = parent.code or ""
            if len(code) != 3 or head is None:
                continue
            children = _terms(
                _term(ti, rj, r, "决算数")
                for rj, r in coded
                if (r.code or "").startswith(code) and len(r.code or "") == 5
            )
            if children:
                yield sum_finding(
                    ctx, "table.basic_detail", "error", f"公开06表 {code} {parent.name}", head, children
                )


_VEHICLE = "公务用车购置及运行费"


@check("table.three_public", FA, "error", "公开09表: 合计 = 出国 + 车辆 + 接待; 车辆 = 购置 + 运行")
def three_public(ctx: Context) -> Iterator[Finding]:
    for ti, table in _tables(ctx):
        if table.id != "09" or not table.rows:
            continue
        row = table.rows[0]
        for group in ("预算数", "决算数"):
            total = _term(ti, 0, row, f"{group}/合计")
            subtotal = _term(ti, 0, row, f"{group}/{_VEHICLE}/小计")
            if total:
                parts = _terms(
                    [
                        _term(ti, 0, row, f"{group}/因公出国（境）费"),
                        subtotal,
                        _term(ti, 0, row, f"{group}/公务接待费"),
                    ]
                )
                yield sum_finding(ctx, "table.three_public", "error", f"公开09表 {group} 合计", total, parts)
            if subtotal:
                parts = _terms(
                    _term(ti, 0, row, f"{group}/{_VEHICLE}/{col}")
                    for col in ("公务用车购置费", "公务用车运行费")
                )
                yield sum_finding(
                    ctx, "table.three_public", "error", f"公开09表 {group} 公务用车小计", subtotal, parts
                )


# (label, (table, side, row label, column) stated first, the same quantity stated again; "*" = 06's two 合计 rows)
_SAME_QUANTITY: list[tuple[str, tuple[str, str | None, str, str], tuple[str, str | None, str, str]]] = [
    ("本年收入合计", ("01", "收入", "本年收入合计", "金额"), ("02", None, "合计", "本年收入合计")),
    ("本年支出合计", ("01", "支出", "本年支出合计", "金额"), ("03", None, "合计", "本年支出合计")),
    (
        "财政拨款收入",
        ("01", "收入", "一般公共预算财政拨款收入", "金额"),
        ("04", "收入", "一般公共预算财政拨款", "金额"),
    ),
    (
        "一般公共预算财政拨款支出",
        ("04", "支出", "本年支出合计", "一般公共预算财政拨款"),
        ("05", None, "合计", "本年支出/小计"),
    ),
    ("财政拨款基本支出", ("05", None, "合计", "本年支出/基本支出"), ("06", None, "*", "决算数")),
]


def _stated(
    by_id: dict[str, tuple[int, StandardTable]], where: tuple[str, str | None, str, str]
) -> list[Term] | None:
    table_id, side, label, column = where
    if table_id not in by_id:
        return None
    ti, table = by_id[table_id]
    if label == "*":
        parts = [_side_value(ti, table, f"{s}合计", s, column) for s in ("人员经费", "公用经费")]
        return None if None in parts else _terms(parts)
    found = _side_value(ti, table, label, side, column)
    return [found] if found else None


@check("cross.tables", FA, "error", "one quantity stated in several standard tables agrees everywhere")
def cross_tables(ctx: Context) -> Iterator[Finding]:
    by_id = {t.id: (ti, t) for ti, t in _tables(ctx)}
    for label, a, b in _SAME_QUANTITY:
        first, second = _stated(by_id, a), _stated(by_id, b)
        where = f"公开{a[0]}表 and 公开{b[0]}表"
        if first and second:
            yield sum_finding(
                ctx, "cross.tables", "error", f"{label} across {where}", first[0], second, relation="="
            )
        elif a[0] in by_id and b[0] in by_id:
            yield skipped(ctx, "cross.tables", "error", f"{label}: not stated in both {where}")
