"""One file → the reports it holds, each with its kind and its blocks.

A report starts at a title naming its kind (整体支出绩效自评报告, 项目支出绩效自评表 …).
Titles split over two lines are joined; mentions inside sentences, tables of
contents and attachment lists (1、…（共 2 份）) are not titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.core.types import Block, Heading, LayoutDocument, Paragraph, TableBlock
from extractor.schemas import ReportKind
from extractor.vocab import budget as budget_vocab
from extractor.vocab import final_account as final_account_vocab
from extractor.vocab import overall_self_eval as overall_vocab
from extractor.vocab import self_eval as self_eval_vocab
from extractor.vocab import transfer_self_eval as transfer_vocab

_MARKERS: list[tuple[ReportKind, re.Pattern[str]]] = [
    # Most specific first: a transfer fund's report is not a project's.
    ("transfer_self_eval", re.compile(transfer_vocab.TITLE)),
    ("project_self_eval", re.compile(self_eval_vocab.PROJECT_TITLE)),
    ("overall_self_eval", re.compile(overall_vocab.TITLE)),
    ("final_account", re.compile(final_account_vocab.TITLE)),
    ("budget", re.compile(budget_vocab.TITLE_PATTERN)),
]
_BUDGET_NEEDS = [re.compile(p) for p in budget_vocab.TITLE_NEEDS]
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
            if kind == "budget" and not any(p.search(text) for p in _BUDGET_NEEDS):
                continue  # budget: a heading such as 一、部门预算 names a topic, not a report
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


_LABEL = re.compile(r"^(附件[\d\-－—]*|第[一二三四五六七八九十]+部分)$")


def _title_at(blocks: tuple[Block, ...], i: int) -> tuple[ReportKind, str, int] | None:
    """A title starting at block i, possibly split over up to three lines: (kind, title, lines used).

    A bare label (附件 / 第五部分) never starts a title, and a line that is a title
    on its own is never glued to the line before it.
    """
    text = _text(blocks[i])
    if not text or _LABEL.match(text):
        return None
    joined = ""
    for n in range(3):
        if i + n >= len(blocks):
            break
        part = _text(blocks[i + n])
        if not part or (n and (_title_kind(part) is not None or len(joined) > 30)):
            break
        joined += part
        kind = _title_kind(joined)
        if kind is not None:
            return kind, joined, n + 1
    return None


def _single_line_page(block: Block) -> int | None:
    """The page of a heading or one-line paragraph (a cover line), else None."""
    if isinstance(block, Heading):
        return block.span.page
    if isinstance(block, Paragraph) and len(block.spans) == 1:
        return block.spans[0].page
    return None


def _cover_lines(blocks: tuple[Block, ...], i: int) -> str:
    """Heading lines printed just above a title on the same page, that the title continues
    (a cover set as `上海市普陀区规划和自然` / `资源局` / `2024 年度部门决算`)."""
    page = _single_line_page(blocks[i])
    if page is None:
        return ""
    lines: list[str] = []
    for prev in reversed(blocks[max(0, i - 2) : i]):
        text = _text(prev)
        if (
            _single_line_page(prev) != page
            or not text
            or _LABEL.match(text)
            or _title_kind(text) is not None
            or re.search(r"[。，；：:]", text)
            or len(text) + sum(map(len, lines)) > MAX_TITLE_CHARS // 2
        ):
            break
        lines.insert(0, text)
    return "".join(lines)


COVER_TEXT_CHARS = 120
"""A report start followed by less prose than this before the next start of the same kind is a cover."""


def _without_covers(
    blocks: tuple[Block, ...], starts: list[tuple[int, ReportKind, str]]
) -> list[tuple[int, ReportKind, str]]:
    """A cover page (title, department, date) and the report's own title are one report:
    the cover's start is kept, and the report's title (the one over its content) wins."""
    out: list[tuple[int, ReportKind, str]] = []
    for start in starts:
        if out and out[-1][1] == start[1]:
            first = out[-1][0]
            between = blocks[first : start[0]]
            prose = sum(len(_text(b)) for b in between if isinstance(b, Paragraph))
            if prose < COVER_TEXT_CHARS and not any(isinstance(b, TableBlock) for b in between):
                out[-1] = (first, start[1], start[2])
                continue
        out.append(start)
    return out


def find_segments(doc: LayoutDocument) -> list[Segment]:
    """Report segments in document order."""
    starts: list[tuple[int, ReportKind, str]] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        found = _title_at(blocks, i)
        if found is None or _in_contents(blocks, i):
            i += 1
            continue
        kind, title, used = found
        title = _cover_lines(blocks, i) + title
        i += used
        if kind in ("final_account", "budget") and any(k == kind for _, k, _ in starts):
            continue
        starts.append((i - used, kind, title))
    starts = _without_covers(blocks, starts)
    if not starts:
        return _tables_only_budget(doc)
    segments = []
    for n, (i, kind, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        segments.append(Segment(kind=kind, start=i if n else 0, end=end, title=title))
    return segments


def _tables_only_budget(doc: LayoutDocument) -> list[Segment]:
    """A file holding only a budget's tables (no report title): one budget segment when two or
    more of its tables carry standard budget table titles (收支预算总表, 一般公共预算支出预算表 …)."""
    from extractor.extract.rules.budget_tables import framed_title, title_of

    titles = [t for b in doc.blocks if (t := title_of(_text(b)))]
    titles += [f[0] for b in doc.blocks if isinstance(b, TableBlock) and (f := framed_title(b.table))]
    if len(set(titles)) < 2 or not any(isinstance(b, TableBlock) for b in doc.blocks):
        return []
    return [Segment(kind="budget", start=0, end=len(doc.blocks), title="")]
