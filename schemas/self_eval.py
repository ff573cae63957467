"""The three performance self-evaluation kinds (绩效自评)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from extractor.schemas.base import Frozen, Indicator, ReportBase
from extractor.schemas.values import Amount, Percent, Score


class OverallSelfEval(ReportBase):
    """部门整体支出绩效自评报告 / 自评表."""

    kind: Literal["overall_self_eval"] = "overall_self_eval"
    report_date: dt.date | None = None
    authorized_staff: Score | None = None
    actual_staff: Score | None = None
    retired_staff: Score | None = None
    total_expenditure: Amount | None = None
    basic_expenditure: Amount | None = None
    project_expenditure: Amount | None = None
    personnel_expenditure: Amount | None = None
    public_expenditure: Amount | None = None
    initial_budget: Amount | None = None
    adjusted_budget: Amount | None = None
    executed_amount: Amount | None = None
    execution_rate: Percent | None = None
    three_public_total: Amount | None = None
    # Added to v1 (extension): the funds row of a 整体支出绩效自评表 carries 分值 and 得分.
    funds_weight: Score | None = None
    funds_score: Score | None = None
    self_score: Score | None = None
    grade: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)


class FundsRow(Frozen):
    initial_budget: Amount | None = None
    adjusted_budget: Amount | None = None
    executed: Amount | None = None


class ProjectFunds(Frozen):
    """年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金."""

    total: FundsRow | None = None
    current_year: FundsRow | None = None
    carryover: FundsRow | None = None
    other: FundsRow | None = None


class ProjectSelfEval(ReportBase):
    """项目支出绩效自评表 / 自评报告 (one project)."""

    kind: Literal["project_self_eval"] = "project_self_eval"
    project_name: str | None = None
    implementer: str | None = None
    funds: ProjectFunds | None = None
    funds_weight: Score | None = None
    execution_rate: Percent | None = None
    funds_score: Score | None = None
    goal_planned: str | None = None
    goal_achieved: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    total_score: Score | None = None
    budget_amount: Amount | None = None
    problems: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)


class TransferSelfEval(ReportBase):
    """转移支付绩效自评报告."""

    kind: Literal["transfer_self_eval"] = "transfer_self_eval"
    program_name: str | None = None
    allocated_amount: Amount | None = None
    executed_amount: Amount | None = None
    execution_rate: Percent | None = None
    annual_goal: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
