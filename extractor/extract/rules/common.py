"""Fields every report kind shares: department, fiscal year, pages."""

from __future__ import annotations

import re
from typing import Any

from extractor.core.types import Block, Heading, Paragraph, SourceSpan, TableBlock
from extractor.extract.rules.evidence import to_evidence
from extractor.extract.rules.forms import labelled_value
from extractor.vocab import common as vocab_common
from extractor.vocab import final_account as final_account_vocab

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_DEPT_IN_TITLE = re.compile(
    r"(?:(?:19|20)\d{2}\s*年度?)?\s*(?P<dept>[\u4e00-\u9fff（）()]{2,30}?(?:局|委员会|委|办公室|厅|院|中心|部|所|站|会|馆|队|处|室))\s*"
    r"(?:\d{4}\s*年度?)?\s*(?:部门决算|单位决算|部门整体|整体支出|项目支出|转移支付)"
)
_DEPT_LABELS = tuple(f"{label}{colon}" for label in vocab_common.DEPARTMENT_LABELS for colon in "：:")
_SIGNATURE = re.compile(rf"[\u4e00-\u9fff（）()]{{2,30}}?(?:{vocab_common.ORGANISATION_ENDINGS})")


def pages_of(blocks: list[Block]) -> list[int]:
    pages: set[int] = set()
    for block in blocks:
        if isinstance(block, Heading):
            pages.add(block.span.page)
        elif isinstance(block, Paragraph):
            pages.update(s.page for s in block.spans)
        elif isinstance(block, TableBlock):
            pages.update(block.table.pages)
    return sorted(pages)


def fiscal_year(title: str, blocks: list[Block]) -> tuple[int | None, SourceSpan | None]:
    match = _YEAR.search(title)
    texts = [
        (b.text, b.span if isinstance(b, Heading) else b.spans[0])
        for b in blocks[:40]
        if isinstance(b, Heading | Paragraph)
    ]
    if match:
        span = next((s for t, s in texts if match.group(1) in t), None)
        return int(match.group(1)), span
    for text, span in texts:
        m = re.search(r"((?:19|20)\d{2})\s*年(?:度|我|，|,|全|底)", text)
        if m:
            return int(m.group(1)), span
    return None, None


def department(
    title: str, blocks: list[Block], form_labels: tuple[str, ...] = ()
) -> tuple[str | None, SourceSpan | None]:
    """The department: a form's label cell, else the title, else a 部门：/单位名称： line."""
    tables = [b.table for b in blocks if isinstance(b, TableBlock)]
    if form_labels:
        value = labelled_value(tables, form_labels)
        if value:
            return value.text, value.span
    compact_title = re.sub(r"\s+", "", title)
    match = _DEPT_IN_TITLE.search(compact_title)
    if match:
        dept = match.group("dept")
        span = next(
            (
                b.span if isinstance(b, Heading) else b.spans[0]
                for b in blocks[:6]
                if isinstance(b, Heading | Paragraph) and dept[:4] in re.sub(r"\s+", "", b.text)
            ),
            None,
        )
        return dept, span
    for block in blocks[:80]:
        if isinstance(block, Heading | Paragraph):
            text = re.sub(r"\s+", "", block.text)
            for label in _DEPT_LABELS:
                if text.startswith(label) and len(text) > len(label):
                    dept_text = re.split(r"金额单位|单位[:：]|日期", text[len(label) :])[0]
                    span = block.span if isinstance(block, Heading) else block.spans[0]
                    return dept_text, span
    # The signature at the end: the department's name on a line of its own, beside the date.
    for block in reversed(blocks[-8:]):
        if isinstance(block, Paragraph) and len(block.spans) == 1:
            text = re.sub(r"\s+", "", block.text)
            if _SIGNATURE.fullmatch(text):
                return text, block.spans[0]
    return None, None


_PLACEHOLDER = re.compile(final_account_vocab.TEMPLATE_PLACEHOLDERS)


def base_fields(title: str, blocks: list[Block], form_labels: tuple[str, ...] = ()) -> dict[str, Any]:
    dept, dept_span = department(title, blocks, form_labels)
    year, year_span = fiscal_year(title, blocks)
    extra: dict[str, Any] = {}
    if _PLACEHOLDER.search(re.sub(r"\s+", "", title)) or (dept and _PLACEHOLDER.search(dept)):
        # The official blank template (`上海市XX局`): say so, and invent no department called XX.
        dept, dept_span = None, None
        extra["template"] = True
    evidence = {}
    if dept and dept_span:
        evidence["department"] = to_evidence(dept_span)
    if year and year_span:
        evidence["fiscal_year"] = to_evidence(year_span)
    return {"department": dept, "fiscal_year": year, "pages": pages_of(blocks), "evidence": evidence, **extra}
