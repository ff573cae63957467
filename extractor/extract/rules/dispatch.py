"""Rules extraction of a whole document: segment it, then fill each report by its kind."""

from __future__ import annotations

from extractor.core.types import Block, LayoutDocument, Paragraph, SourceSpan, union
from extractor.extract.draft import DraftReport, reports_of
from extractor.extract.rules.budget import extract_budget
from extractor.extract.rules.common import base_fields
from extractor.extract.rules.final_account import extract_final_account
from extractor.extract.rules.self_eval import extract_overall, extract_project, extract_transfer
from extractor.schemas import Report
from extractor.segment import Segment, find_segments

_FORM_LABELS = {
    "final_account": (),
    "overall_self_eval": ("市级预算部门名称", "预算部门名称", "部门名称"),
    "project_self_eval": ("主管部门", "项目主管部门"),
    "transfer_self_eval": ("主管部门", "资金主管部门"),
    "budget": (),
}


def extract_segment(doc: LayoutDocument, segment: Segment, blocks: list[Block] | None = None) -> Report:
    blocks = segment.blocks(doc) if blocks is None else blocks
    base = base_fields(segment.title, blocks, _FORM_LABELS[segment.kind])
    if segment.kind == "final_account":
        return extract_final_account(blocks, base)
    if segment.kind == "budget":
        return extract_budget(blocks, base, segment.title)
    if segment.kind == "overall_self_eval":
        return extract_overall(blocks, base)
    if segment.kind == "project_self_eval":
        return extract_project(blocks, base)
    return extract_transfer(blocks, base, segment.title)


def extract_drafts(doc: LayoutDocument) -> list[DraftReport]:
    """Segment the document once and read each segment: one DraftReport per report."""
    drafts = []
    for segment in find_segments(doc):
        blocks = segment.blocks(doc)
        report = extract_segment(doc, segment, blocks)
        drafts.append(DraftReport(segment, tuple(blocks), narrative(blocks), report))
    return drafts


def extract_rules(doc: LayoutDocument) -> list[Report]:
    return reports_of(extract_drafts(doc))


def narrative(blocks: list[Block]) -> tuple[SourceSpan, ...]:
    """A segment's paragraphs as spans (text re-joined across lines and pages), for prose checks."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            first = block.spans[0]
            boxes = [s.bbox for s in block.spans if s.page == first.page and s.bbox]
            out.append(SourceSpan(page=first.page, bbox=union(boxes) if boxes else None, text=block.text))
    return tuple(out)
