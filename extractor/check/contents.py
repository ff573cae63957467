"""The table of contents against the body: every table and section the 目录 lists is printed,
in that order (a table deleted while the contents still lists it is an error)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from extractor.check.base import Context, check
from extractor.check.source import SourceText
from extractor.check.text import squeeze
from extractor.core.types import SourceSpan, union
from extractor.schemas import Evidence, Finding
from extractor.vocab import common as vocab

ALL_KINDS = ("final_account", "budget")
_ENTRY = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]|第[一二三四五六七八九十]+部分)"
)
_LEVELS = (
    ("part", r"第[一二三四五六七八九十]+部分"),
    ("chinese", r"[一二三四五六七八九十]+、"),
    ("paren", r"（[一二三四五六七八九十]+）"),
    ("number", r"\d+[、.．]"),
)
_LEVELS_ORDER = [name for name, _ in _LEVELS]
_LEADER = re.compile(r"[.…·．\s]*\d*$")
_FOOTER = re.compile(r"[—-]+\s*\d+\s*[—-]+.*$")
_FILLERS = re.compile(r"明细|情况|汇总|[（(]?公开[）)]?")
"""Words a table title gains or loses between the 目录 and the body (`收入决算明细表`)."""
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?")
_QUALIFIER = re.compile(vocab.TABLE_TITLE_QUALIFIER)


def _rows(lines: list[SourceSpan]) -> list[SourceSpan]:
    """One page's lines as printed rows, top to bottom: a 目录 laid out as a table (`序号` and
    `报表名称` in columns, the heading written last) comes out of the text layer cell by cell."""
    boxed = sorted((line for line in lines if line.bbox), key=lambda s: (s.bbox or (0, 0, 0, 0))[1])
    rows: list[list[SourceSpan]] = []
    for line in boxed:
        box = line.bbox or (0, 0, 0, 0)
        last = rows[-1][-1].bbox if rows else None
        if last and (box[1] + box[3]) / 2 < last[3] and (last[1] + last[3]) / 2 > box[1]:
            rows[-1].append(line)
        else:
            rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda s: (s.bbox or (0, 0, 0, 0))[0])
        boxes = [s.bbox for s in row if s.bbox]
        out.append(row[0].model_copy(update={"text": "".join(s.text for s in row), "bbox": union(boxes)}))
    return out + [line for line in lines if not line.bbox]


def _in_rows(lines: list[SourceSpan], first: int) -> list[SourceSpan]:
    """`lines` with the pages from `first` on (the 目录's and the few after it) in row order."""
    pages = sorted({line.page for line in lines if first <= line.page <= first + 3})
    before = [line for line in lines if line.page < first]
    after = [line for line in lines if line.page > first + 3]
    return before + [r for p in pages for r in _rows([x for x in lines if x.page == p])] + after


def _is_heading(line: SourceSpan) -> bool:
    return squeeze(line.text) in ("目录", "目 录")


def _entries(source: SourceText) -> tuple[list[SourceSpan], int] | None:
    """The 目录's entries (continuation lines joined) and the last page of the 目录."""
    lines = list(source.lines)
    at = next((line for line in lines if _is_heading(line)), None)
    if at is None:
        # A heading printed letter-spaced (`目    录`) can come out of OCR as two lines, `目`
        # and `录`, on one row: look for it in the pages' rows.
        pages = sorted({line.page for line in lines if squeeze(line.text) in ("目", "录")})
        at = next(
            (r for p in pages for r in _rows([x for x in lines if x.page == p]) if _is_heading(r)), None
        )
    if at is None:
        return None
    lines = _in_rows(lines, at.page)
    start = next(i for i, line in enumerate(lines) if _is_heading(line))
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
            if 2 * sum(1 for t in page_lines if _ENTRY.match(t)) < len(page_lines):
                break  # a page of table titles and labels, not numbered entries
            last_page = line.page
        if len(text) > 45 or "。" in text:
            break
        if not entries and any(text.startswith(word) for word in vocab.CONTENTS_COLUMN_HEADERS):
            continue  # `序号 报表名称 页码`: the 目录 printed as a table
        if _ENTRY.match(text) or not entries:
            entries.append(line.model_copy(update={"text": text}))
        elif line.page != entries[-1].page:
            continue  # a running header at the top of the next page, not the entry's second line
        else:
            entries[-1] = entries[-1].model_copy(update={"text": entries[-1].text + text})
    # A 目录 lists titles; a page of amounts after a cell that says 目录 is not one.
    amounts = sum(1 for e in entries if re.search(r"\d\.\d|\d,\d{3}|单位[：:]", _title(e.text)))
    if len(entries) < 3 or amounts > len(entries) // 5:
        return None
    return entries, last_page


def contents_pages(source: SourceText) -> set[int]:
    """The pages of the 目录 (empty when there is none)."""
    found = _entries(source)
    if found is None:
        return set()
    first = next(line.page for line in source.lines if _is_heading(line))
    return set(range(first, found[1] + 1))


def _title(entry: str) -> str:
    return _ENTRY.sub("", entry)


def _similar(printed: str, listed: str) -> bool:
    """The same heading worded a little differently (`其他重要事项说明` / `其他重要事项的情况说明`,
    a year added or dropped)."""
    printed, listed = _YEARS.sub("", printed), _YEARS.sub("", listed)
    if SequenceMatcher(None, printed, listed).ratio() >= 0.8:
        return True
    shorter, longer = sorted((printed, listed), key=len)
    rest = iter(longer)
    return len(shorter) >= 4 and all(ch in rest for ch in shorter) and len(longer) <= len(shorter) + 6


_NUMERALS = "一二三四五六七八九十"


def _number(entry: str) -> int | None:
    """The number of an entry `十二、…` (12), or None."""
    m = re.match(r"^([一二三四五六七八九十]+)、", entry)
    if not m:
        return None
    text = m.group(1)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS.index(text[1]) + 1
    if len(text) == 1:
        return _NUMERALS.index(text) + 1
    if len(text) == 2 and text[1] == "十":
        return (_NUMERALS.index(text[0]) + 1) * 10
    return (_NUMERALS.index(text[0]) + 1) * 10 + _NUMERALS.index(text[2]) + 1


def _found_numbered(entry: str, body: list[tuple[int, str]], start: int) -> int | None:
    """A listed table found by its number: `十、…表` printed as `公开10表：…表` under another wording."""
    number = _number(entry)
    if number is None or not entry.endswith("表"):
        return None
    pattern = re.compile(rf"公开\s*0?{number}\s*表")
    return next((i for i in range(start, len(body)) if pattern.search(body[i][1])), None)


def _found(title: str, body: list[tuple[int, str]], start: int) -> int | None:
    """Index of the first body line from `start` on that prints `title` (the line may add a prefix).

    A table's title must be printed as a table title (ending in 表, nearly the same words:
    `…基本支出决算明细表` for `…基本支出决算表`, never the neighbouring table's title)."""
    table = title.endswith("表")
    for i in range(start, len(body)):
        text = _QUALIFIER.sub("", body[i][1]) if table else body[i][1]
        joined = text + (body[i + 1][1] if i + 1 < len(body) else "")
        if text.endswith(title) or joined.endswith(title) or text == title:
            return i
        # `单位主要职能` in the 目录 is printed `<the unit's name>主要职能` in the body.
        generic = re.sub(r"^本?(?:部门|单位)", "", title)
        if generic != title and len(generic) >= 4 and text.endswith(generic) and len(text) <= 40:
            return i
        if len(text) > len(title) + 12:
            continue
        if table:
            if text.endswith("表") and _FILLERS.sub("", text).endswith(_FILLERS.sub("", title)):
                return i
        elif not text.endswith("表") and _similar(_title(text), title):
            return i
    return None


def _core(title: str) -> str:
    core = _FILLERS.sub("", _YEARS.sub("", title))
    for word in vocab.TABLE_TITLE_OPTIONAL_WORDS:
        core = core.replace(word, "")
    return core


def _found_loosely(title: str, body: list[tuple[int, str]], start: int) -> int | None:
    """A listed table printed under a shorter title: the 目录's `一般公共预算“三公”经费…支出预算表`
    printed `“三公”经费…支出预算表`, `政府采购支出预算表` printed `2018年政府采购预算表`. Only
    when what is left of the title is distinctive (six characters or more): `一般公共预算支出
    预算表` and `财政拨款支出预算表` both come down to `预算表` and are never matched this way."""
    wanted = _core(title)
    if not title.endswith("表") or len(wanted) < 6:
        return None
    for i in range(start, len(body)):
        text = body[i][1]
        if text.endswith("表") and len(text) <= len(title) + 12 and _core(text) == wanted:
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
    listed = [e for n, e in enumerate(entries) if _checkable(entries, n)]
    tables = [e for e in listed if _title(e.text).endswith("表")]
    if tables and all(_found(_title(e.text), body, 0) is None for e in tables):
        # Not one listed table in this file: the tables are published as a separate file.
        yield _finding(
            ctx,
            "warning",
            f"none of the {len(tables)} tables the 目录 lists is printed in this file (published separately?)",
            tables[0],
            "the listed tables",
            "none printed",
        )
        listed = [e for e in listed if e not in tables]
    position = 0
    for entry in listed:
        title = _title(entry.text)
        at = _found(title, body, position)
        if at is None:
            at = _found_numbered(entry.text, body, position)
        if at is None:
            at = _found_loosely(title, body, position)
        if at is None:
            if _found(title, body, 0) is not None or _found_loosely(title, body, 0) is not None:
                yield _finding(
                    ctx,
                    "warning",
                    f"the 目录 lists “{entry.text}” earlier than the body prints it",
                    entry,
                    "in order",
                    "out of order",
                )
                continue
            severity = "error" if title.endswith("表") else "warning"
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


def _level(entry: str) -> str:
    for name, pattern in _LEVELS:
        if re.match(pattern, entry):
            return name
    return ""


def _checkable(entries: list[SourceSpan], n: int) -> bool:
    """A table or section entry; not a part heading (第…部分) nor a group whose items follow it
    (`五、部门预算表` then `1.…表`, `2.…表`): those are often not printed as such in the body."""
    text = entries[n].text
    if text.startswith("第") or len(_title(text)) < 4:
        return False
    if n + 1 < len(entries):
        mine, nxt = _level(text), _level(entries[n + 1].text)
        if nxt and mine and _LEVELS_ORDER.index(nxt) > _LEVELS_ORDER.index(mine):
            return False
    return True


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
