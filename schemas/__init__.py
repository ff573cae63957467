"""Pydantic models of REPORT_FORMAT v1 (../shared/spec/REPORT_FORMAT.md): the source of truth in code."""

from extractor.schemas.base import Evidence, Indicator
from extractor.schemas.budget import BUDGET_TABLE_IDS, Budget, BudgetKeyFigures, BudgetTable, BudgetTableId
from extractor.schemas.document import REPORT_KINDS, Finding, Report, ReportKind, ResultDocument, Source
from extractor.schemas.final_account import FinalAccount, KeyFigures, StandardTable, TableRow
from extractor.schemas.io import ReportFileError, dump_result, load_result, parse_result, unknown_fields
from extractor.schemas.self_eval import (
    FundsRow,
    OverallSelfEval,
    ProjectFunds,
    ProjectSelfEval,
    TransferSelfEval,
)

__all__ = [
    "BUDGET_TABLE_IDS",
    "REPORT_KINDS",
    "Budget",
    "BudgetKeyFigures",
    "BudgetTable",
    "BudgetTableId",
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
