"""kind = "final_account" (部门决算): key figures and the nine standard tables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from extractor.schemas.base import Frozen, ReportBase
from extractor.schemas.values import Amount


class KeyFigures(Frozen):
    income_total: Amount | None = None
    expenditure_total: Amount | None = None
    general_budget_appropriation_income: Amount | None = None
    gov_fund_appropriation_income: Amount | None = None
    state_capital_appropriation_income: Amount | None = None
    superior_subsidy_income: Amount | None = None
    business_income: Amount | None = None
    operating_income: Amount | None = None
    affiliated_income: Amount | None = None
    other_income: Amount | None = None
    carryover_begin: Amount | None = None
    carryover_end: Amount | None = None
    grand_total: Amount | None = None
    basic_expenditure: Amount | None = None
    project_expenditure: Amount | None = None
    personnel_expenses: Amount | None = None
    public_expenses: Amount | None = None
    three_public_budget: Amount | None = None
    three_public_actual: Amount | None = None
    overseas_budget: Amount | None = None
    overseas_actual: Amount | None = None
    vehicle_budget: Amount | None = None
    vehicle_actual: Amount | None = None
    vehicle_purchase_budget: Amount | None = None
    vehicle_purchase_actual: Amount | None = None
    vehicle_operation_budget: Amount | None = None
    vehicle_operation_actual: Amount | None = None
    reception_budget: Amount | None = None
    reception_actual: Amount | None = None
    initial_budget: Amount | None = None
    operating_funds: Amount | None = None
    procurement_total: Amount | None = None


class TableRow(Frozen):
    """One printed line (or one side / group of it). Blank cells are null."""

    code: str | None = None
    name: str | None = None
    side: str | None = None
    values: dict[str, Amount | None] = Field(default_factory=dict)


class TableBase(Frozen):
    """A standard table merged across pages; each kind narrows `id` (declared here so it
    serialises first). An empty table printed with a note (`本部门无…`) has no rows and
    `empty_note` set (v1.1 adds it for budgets; for 决算 it is an extension)."""

    id: str
    title: str
    pages: list[int] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    empty_note: str | None = None


class StandardTable(TableBase):
    """One of 公开01表 … 公开09表."""

    id: str = Field(pattern=r"^0[1-9]$")


class FinalAccount(ReportBase):
    kind: Literal["final_account"] = "final_account"
    unit: Literal["万元", "元"] | None = None
    key_figures: KeyFigures = Field(default_factory=KeyFigures)
    tables: list[StandardTable] = Field(default_factory=list)
