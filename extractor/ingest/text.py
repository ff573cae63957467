"""Plain-text reports: paragraphs one per line; tables as tab-separated lines (the seeds) or
as lines of cells aligned with spaces (a PDF copied as text, `pdftotext -layout`); pages
separated by form feeds (\\f), as pdftotext and most PDF-to-text tools write them.

Text has no boxes or ruling lines, so this goes straight to a LayoutDocument: every
block's provenance is its page and the exact source line. Tables continued on the next
page are merged as in PDFs.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractor.core.errors import InputError
from extractor.core.types import (
    Block,
    Cell,
    Heading,
    LayoutDocument,
    Paragraph,
    SourceSpan,
    Table,
    TableBlock,
)
from extractor.ingest.text_tables import grid_of_lines, table_runs
from extractor.layout.headings import heading_level
from extractor.layout.merge import merge_continued_tables

_ARTEFACTS = [
    (re.compile(r"\[bookmark:[^\]]*\]"), ""),
    (re.compile(r"</?[a-zA-Z][^<>]*>"), " "),
    (re.compile(r"\*\*"), ""),
]
_FOOTER = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$")
_TITLE_END = re.compile(r"(报告|决算|自评表|决算表|总表|明细表|基础数据表)$")


def _clean(line: str) -> str:
    for pattern, repl in _ARTEFACTS:
        line = pattern.sub(repl, line)
    return line.rstrip("\n")


def read_text_file(path: Path) -> str:
    if not path.exists():
        raise InputError(str(path), "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), "file is empty")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(str(path), "not UTF-8 or GB18030 text")


def _table(rows: list[list[str]], page: int) -> TableBlock:
    n_cols = max(len(r) for r in rows)
    cells = tuple(
        Cell(row=r, col=c, text=re.sub(r"\s+", " ", value).strip(), page=page)
        for r, row in enumerate(rows)
        for c, value in enumerate(row + [""] * (n_cols - len(row)))
    )
    return TableBlock(table=Table(n_rows=len(rows), n_cols=n_cols, cells=cells, pages=(page,)))


def _text_block(text: str, page: int) -> Block:
    span = SourceSpan(page=page, text=text)
    level = heading_level(text)
    if level is None and len(text) <= 40 and _TITLE_END.search(text.replace(" ", "")):
        level = 0
    if level is not None:
        return Heading(level=level, text=text, span=span)
    return Paragraph(text=text, spans=(span,))


def _page_blocks(lines: list[str], page: int) -> list[Block]:
    """One page's blocks: tab-separated rows, runs of space-aligned table lines, text lines."""
    blocks: list[Block] = []
    runs = dict(table_runs(lines))
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            blocks.append(_table([ln.split("\t") for ln in lines[i:j]], page))
            i = j
            continue
        if i in runs:
            blocks.append(_table(grid_of_lines(lines[i : runs[i]]), page))
            i = runs[i]
            continue
        text = re.sub(r"^-\s+", "", lines[i].strip())
        if text and not _FOOTER.match(text):
            blocks.append(_text_block(text, page))
        i += 1
    return blocks


def layout_text(path: Path) -> LayoutDocument:
    """Lay out a plain-text report, page by page."""
    raw = read_text_file(path)
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # a trailing form feed ends the last page; it starts no new one
    blocks: list[Block] = []
    for number, text in enumerate(pages, start=1):
        blocks += _page_blocks([_clean(line) for line in text.splitlines()], number)
    if not blocks:
        raise InputError(str(path), "no text found")
    return LayoutDocument(
        path=str(path), n_pages=max(len(pages), 1), blocks=tuple(merge_continued_tables(blocks))
    )
