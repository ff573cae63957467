"""The eval harness: dataset (samples) + pipeline (an extractor) + scorer (`eval.score`).

The pipeline is any callable from a document path to a `PipelineRun`, so the
rules extractor, the LLM extractor, or another tool's wrapper are scored alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from extractor.eval.dataset import Sample, load_gold
from extractor.eval.score import DocumentScore, score_document


class PipelineRun(BaseModel):
    """What a pipeline returns for one document: the result JSON and where the time went."""

    model_config = ConfigDict(frozen=True)

    document: dict[str, Any]
    pages: int
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    info: dict[str, str] = Field(default_factory=dict)


Pipeline = Callable[[Path], PipelineRun]


class SampleResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    sample: str
    variant: str
    corpus: str = ""
    meta: dict[str, str] = Field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    score: DocumentScore | None = None
    error: str | None = None
    info: dict[str, str] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        """The group a result is reported in: `real/pdf`, `samples/scan`, or the variant alone."""
        return f"{self.corpus}/{self.variant}" if self.corpus else self.variant


def run_sample(sample: Sample, pipeline: Pipeline) -> SampleResult:
    """Extract and score one sample; an extraction failure is recorded, not raised, and so is a
    gold file that does not load (that sample is not scored; the others are)."""
    from extractor.schemas import ReportFileError

    def result(**fields: Any) -> SampleResult:
        return SampleResult(
            sample=sample.name, variant=sample.variant, corpus=sample.corpus, meta=sample.meta, **fields
        )

    try:
        gold = load_gold(sample.gold)
    except ReportFileError as exc:
        return result(error=f"gold not scored: {exc}")
    start = time.perf_counter()
    try:
        run = pipeline(sample.document)
    except Exception as exc:
        # A document the pipeline could not read still counts: every gold field is missing.
        return result(
            seconds=time.perf_counter() - start,
            score=score_document(gold, {"reports": []}),
            error=f"{type(exc).__name__}: {exc}",
        )
    return result(
        pages=run.pages,
        seconds=time.perf_counter() - start,
        stage_seconds=run.stage_seconds,
        score=score_document(gold, run.document),
        info=run.info,
    )


def run_eval(samples: list[Sample], pipeline: Pipeline) -> list[SampleResult]:
    return [run_sample(sample, pipeline) for sample in samples]


def score_files(pred_path: Path, gold_path: Path) -> SampleResult:
    """Score any prediction file against a gold file (`extractor eval --pred P --gold G`).

    The prediction is read as plain JSON, leniently (other tools may print
    `1,467.16` or `93.77%`; the comparison normalises them); the gold is validated.
    """
    import json

    from extractor.schemas import ReportFileError

    gold = load_gold(gold_path)
    try:
        pred = json.loads(pred_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReportFileError(f"{pred_path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise ReportFileError(f"{pred_path}: not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    if not isinstance(pred, dict) or not isinstance(pred.get("reports"), list):
        raise ReportFileError(f'{pred_path}: expected a JSON object with a "reports" list (REPORT_FORMAT v1)')
    return SampleResult(
        sample=gold_path.stem,
        variant="file",
        pages=int((gold.get("source") or {}).get("pages") or 0),
        score=score_document(gold, pred),
    )
