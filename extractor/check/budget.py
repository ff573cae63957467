"""Checks on a 部门预算 / 单位预算: totals and their parts inside every table, the code
hierarchy, the two sides of the 收支总表, 财政拨款 = its three sources, 三公, and the
same quantity across tables.

Display rounding: a printed total may be the rounded or the truncated form of the exact
sum, so it passes within one unit of each printed number's last digit; a difference of
one more unit of the total's last digit (a 0.01 subtotal slip) is a warning, beyond that
an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Literal

from extractor.check.base import Context, Term, check, fmt, skipped
from extractor.schemas import Budget, BudgetTable, Finding, TableRow

BUDGET = ("budget",)
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\s*[、.．](?!\d))")
_TOTALS = ("合计", "小计")


def unit_of_last_digit(value: Decimal) -> Decimal:
    """One unit of the last printed digit: 971.50 → 0.01, 98 → 1, 950.1164 → 0.0001."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(10) ** exponent


def budget_sum(
    ctx: Context, check_id: str, label: str, total: Term, parts: Sequence[Term], *, relation: str = "Σ"
) -> Finding:
    """total = Σ parts under the display rounding policy (rounded or truncated passes)."""
    expected = sum((v for _, v in parts), Decimal(0))
    tolerance = unit_of_last_digit(total[1]) + sum((unit_of_last_digit(v) for _, v in parts), Decimal(0))
    diff = abs(expected - total[1])
    slip = tolerance + unit_of_last_digit(total[1])
    status: Literal["pass", "fail"] = "pass" if diff <= tolerance else "fail"
    severity: Literal["error", "warning"] = "warning" if diff <= slip else "error"
    terms = " + ".join(fmt(v) for _, v in parts) if len(parts) <= 8 else f"{len(parts)} parts"
    message = f"{label}: printed {fmt(total[1])}, {relation} {terms} = {fmt(expected)}"
    if status == "fail":
        why = "a last-digit slip" if severity == "warning" else "more than rounding or truncation allows"
        message += f" (off by {fmt(diff)}: {why}, {fmt(tolerance)})"
    fields = [total[0], *(p for p, _ in parts)]
    return ctx.finding(
        check_id, severity, status, message, fmt(expected), fmt(total[1]), fmt(tolerance), fields
    )


def _budget(ctx: Context) -> Budget:
    assert isinstance(ctx.report, Budget)
    return ctx.report


def _label(row: TableRow) -> str:
    return _ORDINAL.sub("", re.sub(r"\s+", "", row.name or ""))


def _cell(ti: int, ri: int, column: str) -> str:
    return f"tables[{ti}].rows[{ri}].values.{column}"


def _term(ti: int, ri: int, row: TableRow, column: str) -> Term | None:
    value = row.values.get(column)
    return None if value is None else (_cell(ti, ri, column), value)


def _present(terms: Sequence[Term | None]) -> list[Term]:
    return [t for t in terms if t is not None]


# --- A row's total column = Σ its part columns -------------------------------------------------


def _column_tree(columns: Sequence[str], prefix: str) -> tuple[str | None, list[str]]:
    """(the total column of `prefix`, its direct children: columns or sub-groups) among `columns`."""
    head = f"{prefix}/" if prefix else ""
    under = [c for c in columns if c.startswith(head) and c != prefix]
    total = next((c for c in under if c[len(head) :] in _TOTALS), None)
    children: list[str] = []
    for c in under:
        child = head + c[len(head) :].split("/", 1)[0]
        # A 其中 column (其中：政府采购) is part of a sibling, not another part of the total.
        if c != total and child not in children and not child[len(head) :].startswith("其中"):
            children.append(child)
    return total, children


def _group_value(row: TableRow, columns: Sequence[str], group: str) -> list[tuple[str, Decimal]]:
    """A child's printed value(s): the column itself, else its group's printed total, else the
    values of the group's own children (a group heading with no total column of its own)."""
    if group in row.values:
        value = row.values[group]
        return [] if value is None else [(group, value)]
    total, children = _column_tree(columns, group)
    if total is not None:
        value = row.values.get(total)
        return [] if value is None else [(total, value)]
    return [v for child in children for v in _group_value(row, columns, child)]


@check("budget.row_total", BUDGET, "error", "a row's 合计/小计 column = Σ the columns it heads")
def row_totals(ctx: Context) -> Iterator[Finding]:
    for ti, table in enumerate(_budget(ctx).tables):
        for ri, row in enumerate(table.rows):
            columns = list(row.values)
            groups = ["", *sorted({c.rsplit("/", 1)[0] for c in columns if "/" in c})]
            for group in groups:
                total_col, children = _column_tree(columns, group)
                if total_col is None or row.values.get(total_col) is None or len(children) < 2:
                    continue
                parts = [v for child in children for v in _group_value(row, columns, child)]
                terms = [(_cell(ti, ri, col), value) for col, value in parts]
                if not terms:
                    continue
                total = (_cell(ti, ri, total_col), row.values[total_col] or Decimal(0))
                name = row.name or row.code or "(the printed line)"
                yield budget_sum(ctx, "budget.row_total", f"{table.title} {name} / {total_col}", total, terms)


# --- 合计 = Σ 类; 类 = Σ 款; 款 = Σ 项 ------------------------------------------------------------


@check("budget.code_hierarchy", BUDGET, "error", "合计 = Σ 类; 类 = Σ 款; 款 = Σ 项 (by code prefix)")
def code_hierarchy(ctx: Context) -> Iterator[Finding]:
    for ti, table in enumerate(_budget(ctx).tables):
        for side in dict.fromkeys(r.side for r in table.rows):
            rows = [(ri, r) for ri, r in enumerate(table.rows) if r.side == side]
            coded = [(ri, r) for ri, r in rows if r.code]
            if not coded:
                continue
            total = next(((ri, r) for ri, r in rows if not r.code and _label(r) in ("合计", "总计")), None)
            top = min(len(r.code or "") for _, r in coded)
            for column in dict.fromkeys(c for _, r in coded for c in r.values):
                groups: list[tuple[Term, list[Term | None], str]] = []
                if total is not None and (head := _term(ti, total[0], total[1], column)):
                    groups.append(
                        (
                            head,
                            [_term(ti, ri, r, column) for ri, r in coded if len(r.code or "") == top],
                            "合计",
                        )
                    )
                for ri, parent in coded:
                    code = parent.code or ""
                    head = _term(ti, ri, parent, column)
                    children = [
                        _term(ti, rj, r, column)
                        for rj, r in coded
                        if (r.code or "").startswith(code) and len(r.code or "") == len(code) + 2
                    ]
                    if head and any(c is not None for c in children):
                        groups.append((head, children, f"{code} {parent.name or ''}"))
                for head, parts, label in groups:
                    if any(p is not None for p in parts):
                        f = budget_sum(
                            ctx,
                            "budget.code_hierarchy",
                            f"{table.title} {label} / {column}",
                            head,
                            _present(parts),
                        )
                        yield _blank_part_warning(f) if None in parts else f


def _blank_part_warning(finding: Finding) -> Finding:
    """A sum that fails while one of its parts is blank: the blank may be a value the page prints
    but the reader missed (text outside the page box), so it is a warning to look at, not an error."""
    if finding.status != "fail" or finding.severity != "error":
        return finding
    note = "; a part is blank (printed blank, or not read): look at it"
    return finding.model_copy(update={"severity": "warning", "message": finding.message + note})


# --- The two sides of the 收支总表 and the 财政拨款收支总表 -------------------------------------------

_SIDE_TOTALS = {"收入": ("收入总计", "收入合计"), "支出": ("支出总计", "支出合计")}


def _side_total(ti: int, table: BudgetTable, side: str) -> Term | None:
    for label in _SIDE_TOTALS[side]:
        for ri, row in enumerate(table.rows):
            if row.side == side and _label(row) == label:
                column = next(iter(row.values), None)
                if column is not None:
                    return _term(ti, ri, row, column)
    return None


@check("budget.balance", BUDGET, "error", "收支总表 and 财政拨款收支总表: 收入总计 = 支出总计")
def balance(ctx: Context) -> Iterator[Finding]:
    for ti, table in enumerate(_budget(ctx).tables):
        if table.id not in ("income_expenditure_summary", "appropriation_summary"):
            continue
        income, spend = _side_total(ti, table, "收入"), _side_total(ti, table, "支出")
        if income and spend:
            yield budget_sum(
                ctx,
                "budget.balance",
                f"{table.title} 收入总计 = 支出总计",
                income,
                [spend],
                relation="支出总计",
            )
        elif table.rows:
            yield skipped(ctx, "budget.balance", "error", f"{table.title}: 收入总计 or 支出总计 not read")


# --- Key figures: 财政拨款 = its three sources; 三公 = its parts; totals across tables ---------------


def _figure(report: Budget, key: str) -> Term | None:
    value = getattr(report.key_figures, key)
    return None if value is None else (f"key_figures.{key}", value)


_FIGURE_SUMS: list[tuple[str, str, list[str]]] = [
    (
        "财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营",
        "fiscal_appropriation_income",
        [
            "general_budget_appropriation_income",
            "gov_fund_appropriation_income",
            "state_capital_appropriation_income",
        ],
    ),
    (
        "三公 = 出国 + 接待 + 公务用车",
        "three_public_budget",
        ["overseas_budget", "reception_budget", "vehicle_budget"],
    ),
    ("公务用车 = 购置 + 运行", "vehicle_budget", ["vehicle_purchase_budget", "vehicle_operation_budget"]),
]


@check(
    "budget.key_figures",
    BUDGET,
    "error",
    "财政拨款 = its three sources; 三公 = 出国 + 接待 + 车 (购置 + 运行)",
)
def key_figure_sums(ctx: Context) -> Iterator[Finding]:
    report = _budget(ctx)
    for label, total_key, part_keys in _FIGURE_SUMS:
        total = _figure(report, total_key)
        parts = _present([_figure(report, k) for k in part_keys])
        if total and parts:
            yield budget_sum(ctx, "budget.key_figures", label, total, parts)
    income, spend = _figure(report, "income_total"), _figure(report, "expenditure_total")
    if income and spend:
        yield budget_sum(
            ctx, "budget.key_figures", "收入总计 = 支出总计", income, [spend], relation="支出总计"
        )


def _first_value(
    ti: int, table: BudgetTable, labels: tuple[str, ...], side: str | None = None
) -> Term | None:
    for ri, row in enumerate(table.rows):
        if (side is None or row.side == side) and (_label(row) in labels or (not labels and not row.name)):
            column = next(iter(row.values), None)
            if column is not None:
                return _term(ti, ri, row, column)
    return None


def _same_totals(a: tuple[int, BudgetTable], b: tuple[int, BudgetTable]) -> bool:
    first = _first_value(a[0], a[1], ("合计", "总计", "收入总计"))
    second = _first_value(b[0], b[1], ("合计", "总计", "支出总计"))
    return first is not None and second is not None and first[1] == second[1]


@check("budget.cross_tables", BUDGET, "error", "a quantity printed in several tables agrees everywhere")
def cross_tables(ctx: Context) -> Iterator[Finding]:
    report = _budget(ctx)
    by_id = {t.id: (ti, t) for ti, t in enumerate(report.tables)}
    pairs: list[
        tuple[str, tuple[str, tuple[str, ...], str | None], tuple[str, tuple[str, ...], str | None]]
    ] = [
        (
            "收入总计",
            ("income_expenditure_summary", ("收入总计", "收入合计"), "收入"),
            ("income", ("合计", "收入总计", "总计"), None),
        ),
        (
            "支出总计",
            ("income_expenditure_summary", ("支出总计", "支出合计"), "支出"),
            ("expenditure", ("合计", "总计", "支出总计"), None),
        ),
        (
            "支出总计",
            ("income_expenditure_summary", ("支出总计", "支出合计"), "支出"),
            ("expenditure", (), None),
        ),
    ]
    for label, a, b in pairs:
        if a[0] not in by_id or b[0] not in by_id:
            continue
        first = _first_value(by_id[a[0]][0], by_id[a[0]][1], a[1], a[2])
        second = _first_value(by_id[b[0]][0], by_id[b[0]][1], b[1], b[2])
        if first and second:
            where = f"{by_id[a[0]][1].title} and {by_id[b[0]][1].title}"
            yield budget_sum(
                ctx, "budget.cross_tables", f"{label} across {where}", first, [second], relation="="
            )
    # The same 功能分类 code carries the same total in the 收入总表 and the 支出总表, where the
    # two tables' totals agree (a 收入总表 that also counts 上年结转 or 结转下年 differs by design).
    if "income" in by_id and "expenditure" in by_id and _same_totals(by_id["income"], by_id["expenditure"]):
        (ti, income), (tj, spend) = by_id["income"], by_id["expenditure"]
        spend_rows = {r.code: (rj, r) for rj, r in enumerate(spend.rows) if r.code}
        for ri, row in enumerate(income.rows):
            if (
                not row.code
                or row.code not in spend_rows
                or not row.values
                or not spend_rows[row.code][1].values
            ):
                continue
            rj, other = spend_rows[row.code]
            first = _term(ti, ri, row, next(iter(row.values)))
            second = _term(tj, rj, other, next(iter(other.values)))
            if first and second:
                yield budget_sum(
                    ctx,
                    "budget.cross_tables",
                    f"{row.code} {row.name or ''}: {income.title} and {spend.title}",
                    first,
                    [second],
                    relation="=",
                )


@check(
    "budget.code_parent",
    BUDGET,
    "warning",
    "every 款/项 code sits under a 类/款 the same table prints (a code printed wrong, 7 11 02 for 210 11 02)",
)
def code_parent(ctx: Context) -> Iterator[Finding]:
    for ti, table in enumerate(_budget(ctx).tables):
        codes = {r.code for r in table.rows if r.code}
        if not any(len(c) == 3 for c in codes):
            continue  # a table that lists only 项-level codes prints no parents to sit under
        for ri, row in enumerate(table.rows):
            code = row.code or ""
            if len(code) <= 3 or code[:-2] in codes:
                continue
            # A 类 printed wrong (`7` for `210`): a 款 of this table ending in the same 款 digits.
            likely = sorted(
                p + code[-2:] for p in codes if len(p) == 5 and len(code) >= 4 and p[-2:] == code[-4:-2]
            )
            hint = f"; probably {' or '.join(likely)}" if likely else ""
            column = next(iter(row.values), None)
            yield ctx.finding(
                "budget.code_parent",
                "warning",
                "fail",
                f"{table.title} {code} {row.name or ''}: no {code[:-2]} row above it in this table{hint}",
                code[:-2],
                code,
                None,
                [_cell(ti, ri, column)] if column else [],
            )
