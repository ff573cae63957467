"""The top level of REPORT_FORMAT v1: source, reports, findings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from extractor.schemas.base import Evidence, Frozen
from extractor.schemas.budget import Budget
from extractor.schemas.final_account import FinalAccount
from extractor.schemas.self_eval import OverallSelfEval, ProjectSelfEval, TransferSelfEval

Report = Annotated[
    FinalAccount | OverallSelfEval | ProjectSelfEval | TransferSelfEval | Budget,
    Field(discriminator="kind"),
]
ReportKind = Literal[
    "final_account", "overall_self_eval", "project_self_eval", "transfer_self_eval", "budget"
]
REPORT_KINDS: tuple[ReportKind, ...] = (
    "final_account",
    "overall_self_eval",
    "project_self_eval",
    "transfer_self_eval",
    "budget",
)


class Source(Frozen):
    file: str
    sha256: str | None = None
    pages: int | None = None

    def page_turns(self) -> dict[int, int]:
        """The extension `source.turned` (page number → degrees clockwise the extractor turned the
        page to read it; its evidence boxes are in the turned page's points), checked; {} if absent.
        Raises ValueError saying what is wrong."""
        raw = (self.model_extra or {}).get("turned", {})
        if not isinstance(raw, dict) or not all(
            str(number).isdigit() and turn in (90, 180, 270) for number, turn in raw.items()
        ):
            raise ValueError(f"source.turned must map page numbers to 90, 180 or 270 (got {raw!r:.80})")
        return {int(number): int(turn) for number, turn in raw.items()}


class Finding(Frozen):
    """One checker result. `report` is the index into `reports` (null: whole document)."""

    check: str
    severity: Literal["error", "warning", "info"]
    report: int | None = None
    status: Literal["pass", "fail", "skipped"]
    message: str
    expected: str | None = None
    actual: str | None = None
    tolerance: str | None = None
    fields: list[str] = Field(default_factory=list)
    # Extension: where each involved field was read (copied from the report's evidence).
    evidence: dict[str, Evidence] = Field(default_factory=dict)


class ResultDocument(Frozen):
    schema_version: Literal["1"] = "1"
    source: Source
    reports: list[Report] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def _repr_html_(self) -> str:
        """Jupyter's rich display: each report's key values and the failed checks."""
        from extractor.schemas.display import result_html  # display imports this module

        return result_html(self)
