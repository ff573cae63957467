"""Pydantic models of REPORT_FORMAT v1 (../shared/spec/REPORT_FORMAT.md): the source of truth in code."""

from schemas.budget import BUDGET_TABLE_IDS, Budget, BudgetKeyFigures, BudgetTable, BudgetTableId
from schemas.base import Evidence, Indicator
from schemas.document import REPORT_KINDS, Finding, Report, ReportKind, ResultDocument, Source
from schemas.final_account import FinalAccount, KeyFigures, StandardTable, TableRow
from schemas.io import ReportFileError, dump_result, load_result, parse_result, unknown_fields
from schemas.self_eval import FundsRow, OverallSelfEval, ProjectFunds, ProjectSelfEval, TransferSelfEval

__all__ = [
    "BUDGET_TABLE_IDS",
    "Budget",
    "BudgetKeyFigures",
    "BudgetTable",
    "BudgetTableId",
    "REPORT_KINDS",
    "Evidence",
    "FinalAccount",
    "Finding",
    "FundsRow",
    "Indicator",
    "KeyFigures",
    "OverallSelfEval",
    "ProjectFunds",
    "ProjectSelfEval",
    "Report",
    "ReportFileError",
    "ReportKind",
    "ResultDocument",
    "Source",
    "StandardTable",
    "TableRow",
    "TransferSelfEval",
    "dump_result",
    "load_result",
    "parse_result",
    "unknown_fields",
]
