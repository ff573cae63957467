"""The table of contents against the body: every table and section the 目录 lists is printed,
in that order (a table deleted while the contents still lists it is an error)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from extractor.check.base import Context, check
from extractor.check.source import SourceText
from extractor.check.text import squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Evidence, Finding

ALL_KINDS = ("final_account", "budget")
_ENTRY = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.]|第[一二三四五六七八九十]+部分)"
)
_LEADER = re.compile(r"[.…·．\s]*\d*$")
_FOOTER = re.compile(r"[—-]+\s*\d+\s*[—-]+.*$")
_FILLERS = re.compile(r"明细|情况|汇总|[（(]?公开[）)]?")
"""Words a table title gains or loses between the 目录 and the body (`收入决算明细表`)."""
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?")


def _entries(source: SourceText) -> tuple[list[SourceSpan], int] | None:
    """The 目录's entries (continuation lines joined) and the last page of the 目录."""
    lines = list(source.lines)
    start = next((i for i, line in enumerate(lines) if squeeze(line.text) in ("目录", "目 录")), None)
    if start is None:
        return None
    toc_page = lines[start].page
    entries: list[SourceSpan] = []
    last_page = toc_page
    for line in lines[start + 1 :]:
        text = _LEADER.sub("", _FOOTER.sub("", squeeze(line.text)))
        if not text:
            continue
        if line.page != last_page:
            # The 目录 goes on to the next page only while that page still reads as entries.
            page_lines = [squeeze(x.text) for x in lines if x.page == line.page and squeeze(x.text)]
            if not page_lines or not all(len(t) <= 45 and "。" not in t for t in page_lines):
                break
            last_page = line.page
        if len(text) > 45 or "。" in text:
            break
        if _ENTRY.match(text) or not entries:
            entries.append(line.model_copy(update={"text": text}))
        elif line.page != entries[-1].page:
            continue  # a running header at the top of the next page, not the entry's second line
        else:
            entries[-1] = entries[-1].model_copy(update={"text": entries[-1].text + text})
    return entries, last_page


def contents_pages(source: SourceText) -> set[int]:
    """The pages of the 目录 (empty when there is none)."""
    found = _entries(source)
    if found is None:
        return set()
    first = next(line.page for line in source.lines if squeeze(line.text) in ("目录", "目 录"))
    return set(range(first, found[1] + 1))


def _title(entry: str) -> str:
    return _ENTRY.sub("", entry)


def _similar(printed: str, listed: str) -> bool:
    """The same heading worded a little differently (`其他重要事项说明` / `其他重要事项的情况说明`,
    a year added or dropped)."""
    printed, listed = _YEARS.sub("", printed), _YEARS.sub("", listed)
    if SequenceMatcher(None, printed, listed).ratio() >= 0.8:
        return True
    rest = iter(printed)
    return len(listed) >= 6 and all(ch in rest for ch in listed) and len(printed) <= len(listed) + 6


def _found(title: str, body: list[tuple[int, str]], start: int) -> int | None:
    """Index of the first body line from `start` on that prints `title` (the line may add a prefix).

    A table's title must be printed as a table title (ending in 表, nearly the same words:
    `…基本支出决算明细表` for `…基本支出决算表`, never the neighbouring table's title)."""
    table = title.endswith("表")
    for i in range(start, len(body)):
        text = body[i][1]
        joined = text + (body[i + 1][1] if i + 1 < len(body) else "")
        if text.endswith(title) or joined.endswith(title) or text == title:
            return i
        if len(text) > len(title) + 12:
            continue
        if table:
            if text.endswith("表") and _FILLERS.sub("", text).endswith(_FILLERS.sub("", title)):
                return i
        elif not text.endswith("表") and _similar(_title(text), title):
            return i
    return None


@check(
    "contents.body",
    ALL_KINDS,
    "error",
    "every table and section the 目录 lists is printed, in that order",
    needs_source=True,
)
def contents_vs_body(ctx: Context) -> Iterator[Finding]:
    source = ctx.source
    if source is None:
        return
    found = _entries(source)
    if found is None:
        return
    entries, last_page = found
    body = [(i, squeeze(line.text)) for i, line in enumerate(source.lines) if line.page > last_page]
    position = 0
    for entry in entries:
        title = _title(entry.text)
        if entry.text.startswith("第") or len(title) < 4:
            continue  # part headings are often not repeated in the body
        is_table = title.endswith("表")
        at = _found(title, body, position)
        if at is None:
            anywhere = _found(title, body, 0)
            if anywhere is not None:
                yield _finding(
                    ctx,
                    "warning",
                    f"the 目录 lists “{entry.text}” earlier than the body prints it",
                    entry,
                    "in order",
                    "out of order",
                )
                continue
            severity = "error" if is_table else "warning"
            yield _finding(
                ctx,
                severity,
                f"the 目录 lists “{entry.text}”, the body does not print it",
                entry,
                title,
                "missing",
            )
            continue
        position = at + 1
        yield ctx.finding(
            "contents.body",
            "error",
            "pass",
            f"“{entry.text}” listed and printed (page {source.lines[body[at][0]].page})",
        )


def _finding(
    ctx: Context, severity: str, message: str, entry: SourceSpan, expected: str, actual: str
) -> Finding:
    f = ctx.finding(
        "contents.body",
        "error" if severity == "error" else "warning",
        "fail",
        message,
        expected=expected,
        actual=actual,
    )
    return f.model_copy(
        update={"evidence": {"(contents)": Evidence(page=entry.page, bbox=entry.bbox, text=entry.text)}}
    )
