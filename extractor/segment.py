"""One file → the reports it holds, each with its kind and its blocks.

A report starts at a title naming its kind (整体支出绩效自评报告, 项目支出绩效自评表 …).
Titles split over two lines are joined; mentions inside sentences, tables of
contents and attachment lists (1、…（共 2 份）) are not titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.core.types import Block, Heading, LayoutDocument, Paragraph, TableBlock
from schemas import ReportKind

_MARKERS: list[tuple[ReportKind, re.Pattern[str]]] = [
    ("transfer_self_eval", re.compile(r"转移支付.*绩效自评(报告|表)$")),
    ("project_self_eval", re.compile(r"项目(支出)?绩效自评(报告|表)$")),
    ("overall_self_eval", re.compile(r"(部门)?整体支出绩效自评(报告|表)$")),
    ("final_account", re.compile(r"部门决算$|单位决算$")),
]
_NOT_TITLE = re.compile(
    r"^([-•]|\d+\s*[、.．]|[（(]\d+[)）]|附件\s*[：:])|共\s*\d+\s*份|见附件|以下附件|附件[：:]"
)
MAX_TITLE_CHARS = 50


@dataclass(frozen=True)
class Segment:
    kind: ReportKind
    start: int
    end: int
    title: str

    def blocks(self, doc: LayoutDocument) -> list[Block]:
        return list(doc.blocks[self.start : self.end])


def _text(block: Block) -> str:
    if isinstance(block, Heading | Paragraph):
        return re.sub(r"\s+", "", block.text)
    return ""


def _title_kind(text: str) -> ReportKind | None:
    if not text or len(text) > MAX_TITLE_CHARS or _NOT_TITLE.search(text):
        return None
    for kind, pattern in _MARKERS:
        if pattern.search(text):
            return kind
    return None


def _in_contents(blocks: tuple[Block, ...], index: int) -> bool:
    """Whether a block sits in a table of contents (目录 shortly before, no table since)."""
    for prev in reversed(blocks[max(0, index - 40) : index]):
        text = _text(prev)
        if text in ("目录", "目 录"):
            return True
        if isinstance(prev, TableBlock):
            return False
    return False


def find_segments(doc: LayoutDocument) -> list[Segment]:
    """Report segments in document order."""
    starts: list[tuple[int, ReportKind, str]] = []
    blocks = doc.blocks
    skip_next = False
    for i, block in enumerate(blocks):
        if skip_next:
            skip_next = False
            continue
        text = _text(block)
        kind = _title_kind(text)
        title = text
        # Titles split over lines are joined, unless the next line is a title on its own.
        next_alone = _title_kind(_text(blocks[i + 1])) if i + 1 < len(blocks) else None
        if kind is None and next_alone is None and i + 1 < len(blocks) and text and len(text) <= 30:
            joined = text + _text(blocks[i + 1])
            kind = _title_kind(joined)
            title = joined
            skip_next = kind is not None
        third_alone = _title_kind(_text(blocks[i + 2])) if i + 2 < len(blocks) else None
        if (
            kind is None
            and next_alone is None
            and third_alone is None
            and i + 2 < len(blocks)
            and text
            and len(text) <= 20
        ):
            joined = text + _text(blocks[i + 1]) + _text(blocks[i + 2])
            kind = _title_kind(joined)
            title = joined
        if kind is None or _in_contents(blocks, i):
            continue
        if kind == "final_account" and any(k == "final_account" for _, k, _ in starts):
            continue
        starts.append((i, kind, title))
    if not starts:
        return []
    segments = []
    for n, (i, kind, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        segments.append(Segment(kind=kind, start=i if n else 0, end=end, title=title))
    return segments
