"""One report from segmentation to checks.

Segmentation decides where a report starts and ends; the rules read it; the LLM merge and
the checkers read it again. A `DraftReport` carries everything those stages need about one
report, so no stage segments the document again or pairs parallel lists by position: the
segment (kind, title, blocks), the narrative (its paragraphs with their source spans, for the
prose checks) and the report as extracted so far (values with their evidence). Each stage
returns an updated copy; the API turns the list into the result only at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.core.types import Block, SourceSpan
from extractor.schemas import Report
from extractor.segment import Segment


@dataclass(frozen=True)
class DraftReport:
    segment: Segment
    blocks: tuple[Block, ...]
    narrative: tuple[SourceSpan, ...]
    report: Report

    def with_report(self, report: Report) -> DraftReport:
        return replace(self, report=report)


def reports_of(drafts: Sequence[DraftReport]) -> list[Report]:
    return [d.report for d in drafts]


def narratives_of(drafts: Sequence[DraftReport]) -> list[tuple[SourceSpan, ...]]:
    return [d.narrative for d in drafts]
