"""Plain-text reports (such as the seeds): paragraphs one per line, tables as tab-separated lines.

Text has no pages, boxes or ruling lines, so this goes straight to a
LayoutDocument: every block's provenance is page 1 and the exact source line.
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
from extractor.layout.headings import heading_level

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


def _table(rows: list[list[str]], texts: list[str]) -> TableBlock:
    n_cols = max(len(r) for r in rows)
    cells = tuple(
        Cell(row=r, col=c, text=re.sub(r"\s+", " ", value).strip(), page=1)
        for r, row in enumerate(rows)
        for c, value in enumerate(row + [""] * (n_cols - len(row)))
    )
    return TableBlock(table=Table(n_rows=len(rows), n_cols=n_cols, cells=cells, pages=(1,)))


def layout_text(path: Path) -> LayoutDocument:
    """Lay out a plain-text report."""
    raw = read_text_file(path)
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    table_texts: list[str] = []

    def flush_table() -> None:
        if table_rows:
            blocks.append(_table(table_rows, table_texts))
            table_rows.clear()
            table_texts.clear()

    for source in raw.splitlines():
        line = _clean(source)
        if "\t" in line:
            table_rows.append(line.split("\t"))
            table_texts.append(line)
            continue
        flush_table()
        text = line.strip()
        if not text or _FOOTER.match(text):
            continue
        text = re.sub(r"^-\s+", "", text)
        span = SourceSpan(page=1, text=text)
        level = heading_level(text)
        if level is None and len(text) <= 40 and _TITLE_END.search(text.replace(" ", "")):
            level = 0
        if level is not None:
            blocks.append(Heading(level=level, text=text, span=span))
        else:
            blocks.append(Paragraph(text=text, spans=(span,)))
    flush_table()
    if not blocks:
        raise InputError(str(path), "no text found")
    return LayoutDocument(path=str(path), n_pages=1, blocks=tuple(blocks))
