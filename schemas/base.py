"""Shared building blocks: the frozen base model, evidence, indicators."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from extractor.schemas.values import Score


class Frozen(BaseModel):
    """Immutable model. Unknown keys are kept (REPORT_FORMAT welcomes extra fields);
    `schemas.io.unknown_fields` lists them so gold files can be held to the spec."""

    model_config = ConfigDict(frozen=True, extra="allow")


class Evidence(Frozen):
    """Where a value was read: 1-based page, box in PDF points, and the exact source text."""

    page: int = Field(ge=1)
    bbox: tuple[float, float, float, float] | None = None
    text: str


class Indicator(Frozen):
    """One row of a 绩效指标 table."""

    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    weight: Score | None = None
    score: Score | None = None
    note: str | None = None


class ReportBase(Frozen):
    """Fields every report carries, whatever its kind."""

    # Declared here (narrowed to a Literal in each kind) so `kind` serialises first.
    kind: str
    department: str | None = None
    fiscal_year: int | None = None
    pages: list[int] = Field(default_factory=list)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
