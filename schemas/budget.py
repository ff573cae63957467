"""kind = "budget" (部门预算 / 单位预算), added in REPORT_FORMAT v1.1.

Budgets share the 决算's table family, but each province numbers and titles the
tables its own way, so a budget table's `id` is a canonical name matched by
title (`income_expenditure_summary`, `three_public`, …), never a number.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from extractor.schemas.base import Frozen, ReportBase
from extractor.schemas.final_account import TableBase
from extractor.schemas.values import Amount

BudgetTableId = Literal[
    "income_expenditure_summary",
    "income",
    "expenditure",
    "appropriation_summary",
    "general_budget_expenditure",
    "general_budget_basic",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "three_public",
    "operating_funds",
    "procurement",
    "project_goals",
]
BUDGET_TABLE_IDS: tuple[BudgetTableId, ...] = BudgetTableId.__args__  # type: ignore[attr-defined]


class BudgetKeyFigures(Frozen):
    income_total: Amount | None = None
    expenditure_total: Amount | None = None
    fiscal_appropriation_income: Amount | None = None
    general_budget_appropriation_income: Amount | None = None
    gov_fund_appropriation_income: Amount | None = None
    state_capital_appropriation_income: Amount | None = None
    business_income: Amount | None = None
    operating_income: Amount | None = None
    other_income: Amount | None = None
    carryover: Amount | None = None
    basic_expenditure: Amount | None = None
    project_expenditure: Amount | None = None
    personnel_expenses: Amount | None = None
    public_expenses: Amount | None = None
    three_public_budget: Amount | None = None
    overseas_budget: Amount | None = None
    reception_budget: Amount | None = None
    vehicle_budget: Amount | None = None
    vehicle_purchase_budget: Amount | None = None
    vehicle_operation_budget: Amount | None = None
    operating_funds: Amount | None = None
    procurement_total: Amount | None = None


class BudgetTable(TableBase):
    """One standard budget table; `id` is its canonical name, matched by title."""

    id: BudgetTableId


class Budget(ReportBase):
    kind: Literal["budget"] = "budget"
    scope: Literal["department", "unit"] | None = None
    unit: Literal["万元", "元"] | None = None
    key_figures: BudgetKeyFigures = Field(default_factory=BudgetKeyFigures)
    tables: list[BudgetTable] = Field(default_factory=list)
