"""Finding a budget's standard tables: each table's title (whatever its number label),
its unit line, its parts across pages, and the note that says it is empty."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.core.types import Block, Cell, Heading, Paragraph, SourceSpan, Table, TableBlock
from extractor.extract.rules.budget_grid import Columns, parse_rows
from extractor.schemas import BudgetTable, TableRow
from extractor.schemas.budget import BudgetTableId
from extractor.vocab import budget as vocab

_NUMBER = re.compile(vocab.TABLE_NUMBER)
_NUMBER_ONLY = re.compile(vocab.TABLE_NUMBER_ONLY)
_TITLE_END = re.compile(vocab.TABLE_TITLE_ENDS)
_HEADER_LINE = re.compile(vocab.HEADER_LINE)
_UNIT = re.compile(vocab.UNIT)
_EMPTY = re.compile(vocab.EMPTY_NOTE)
_NOTE_LABEL = re.compile(vocab.NOTE_LABEL)
_TITLE_WINDOW = 8
"""A title opens the next table only within this many blocks (a contents page lists titles too)."""


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def table_id(title: str) -> tuple[bool, BudgetTableId | None]:
    """(is a budget table title, canonical id or None for a table that is none of the standard ones)."""
    for canonical, required, excluded in vocab.TABLE_TITLES:
        if all(w in title for w in required) and not any(w in title for w in excluded):
            return True, canonical  # type: ignore[return-value]
    return False, None


def title_of(text: str) -> str | None:
    """The title a line prints, without its number label, or None when the line is no table title."""
    # The number label comes off before spaces are removed (`表1-3 2024年…` is not `表1-32…`).
    stripped = _compact(_NUMBER.sub("", text.strip(), count=1))
    stripped = _NUMBER.sub("", stripped, count=1) if stripped == _compact(text) else stripped
    if not stripped or len(stripped) > vocab.MAX_TITLE_CHARS or "。" in stripped:
        return None
    if not _TITLE_END.search(stripped) or any(w in stripped for w in vocab.NOT_BUDGET_TABLE):
        return None
    return stripped if table_id(stripped)[0] else None


@dataclass
class _Found:
    id: BudgetTableId | None
    title: str
    unit: str
    parts: list[Table] = field(default_factory=list)
    note: str | None = None
    note_span: SourceSpan | None = None


_LABEL_SPLIT = re.compile(r"(?:部门|编制部门|编制单位|预算单位|部门名称|单位)[:：]")


def framed_title(table: Table) -> tuple[str, str | None] | None:
    """(title, unit) printed in the first rows of a table's own frame (a title row spanning
    the table, then `部门：…` / `单位：…`), when no title line stands above the table."""
    rows = table.row_texts()[:3]
    title: str | None = None
    unit: str | None = None
    for row in rows:
        text = _compact("".join(row))
        unit_match = _UNIT.search(text)
        unit = unit or (unit_match.group(1) if unit_match else None)
        head = _LABEL_SPLIT.split(text, maxsplit=1)[0]
        title = title or title_of(head) or (title_of(head + "表") if head.endswith("预算") else None)
    return (title, unit) if title else None


def _text_span(block: Heading | Paragraph) -> SourceSpan:
    return block.span if isinstance(block, Heading) else block.spans[0]


def _orphan_row(lines: list[Heading | Paragraph], n_cols: int) -> Table | None:
    """The first printed line of a table's next page, which the layout left outside the table
    (no ruling above it): short texts, one per cell, as many as the table has columns."""
    if not lines or len(lines) != n_cols or any(len(_compact(b.text)) > 30 for b in lines):
        return None
    texts = [_compact(b.text) for b in lines]
    if not any(re.fullmatch(r"-?[\d,，]+(?:\.\d+)?", t) for t in texts):
        return None
    spans = [_text_span(b) for b in lines]
    cells = tuple(
        Cell(row=0, col=c, text=t, page=s.page, bbox=s.bbox)
        for c, (t, s) in enumerate(zip(texts, spans, strict=True))
    )
    return Table(n_rows=1, n_cols=n_cols, cells=cells, pages=(spans[0].page,), bbox=spans[0].bbox)


def _locate(blocks: list[Block], default_unit: str) -> list[_Found]:
    found: list[_Found] = []
    loose: list[Heading | Paragraph] = []
    pending: tuple[str, int] | None = None
    unit: str | None = None
    previous = ""
    since_table = 0
    early_note: tuple[str, SourceSpan] | None = None
    """A note printed between a title and its table (or instead of the table)."""

    def note_only() -> None:
        # A title with its empty-table note and no grid at all: the table is present, empty.
        if pending is not None and early_note is not None:
            found.append(_Found(id=table_id(pending[0])[1], title=pending[0], unit=unit or default_unit))
            found[-1].note, found[-1].note_span = early_note

    for i, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            framed = framed_title(block.table)
            if framed is not None:  # the title printed inside the table's own frame wins
                framed_name, framed_unit = framed
                found.append(
                    _Found(
                        id=table_id(framed_name)[1],
                        title=framed_name,
                        unit=framed_unit or unit or default_unit,
                    )
                )
                found[-1].parts.append(block.table)
            elif pending is not None and i - pending[1] <= _TITLE_WINDOW:
                _, canonical = table_id(pending[0])
                found.append(_Found(id=canonical, title=pending[0], unit=unit or default_unit))
                found[-1].parts.append(block.table)
                if early_note is not None:
                    found[-1].note, found[-1].note_span = early_note
            elif found and since_table <= 4 and found[-1].note is None and found[-1].parts:
                orphan = _orphan_row(loose, found[-1].parts[-1].n_cols)
                if orphan is not None and block.table.n_cols == orphan.n_cols:
                    found[-1].parts.append(orphan)
                found[-1].parts.append(block.table)  # a continuation (page break) of the last table
            pending, unit, since_table, previous, loose, early_note = None, None, 0, "", [], None
            continue
        assert isinstance(block, Heading | Paragraph)
        loose.append(block)
        text = _compact(block.text)
        since_table += 1
        unit_match = _UNIT.search(text)
        if unit_match:
            unit = unit_match.group(1)
        if _HEADER_LINE.match(text) or _NUMBER_ONLY.match(text) or unit_match:
            continue
        note = _EMPTY.search(text) if len(text) <= vocab.EMPTY_NOTE_MAX_CHARS else None
        if note and pending is not None and early_note is None and i - pending[1] <= _TITLE_WINDOW:
            early_note = (_NOTE_LABEL.sub("", text), _text_span(block))
            continue
        if note and found and found[-1].note is None and pending is None:
            found[-1].note, found[-1].note_span = _NOTE_LABEL.sub("", text), _text_span(block)
            continue
        title = title_of(text) or (title_of(previous + text) if previous else None)
        if title:
            note_only()
            pending, early_note = (title, i), None
        previous = text if len(text) <= vocab.MAX_TITLE_CHARS else ""
    note_only()
    return found


def _merge_parts(item: _Found) -> tuple[list[str], list[TableRow], dict[str, SourceSpan], bool, list[int]]:
    columns: Columns | None = None
    rows: list[TableRow] = []
    evidence: dict[str, SourceSpan] = {}
    any_value = False
    pages: list[int] = []
    names: list[str] = []
    for part in item.parts:
        parsed_cols, parsed = parse_rows(part, item.unit, columns)
        columns = parsed_cols if columns is None or columns.header_only else columns
        names += [n for n in parsed.columns if n not in names]
        code_spans = parsed.code_spans or [None] * len(parsed.rows)
        for row, spans, code_span in zip(parsed.rows, parsed.spans, code_spans, strict=True):
            for col, span in spans.items():
                evidence[f"rows[{len(rows)}].values.{col}"] = span
            if code_span is not None:
                evidence[f"rows[{len(rows)}].code"] = code_span
            rows.append(row)
        any_value = any_value or parsed.any_value
        pages += [p for p in part.pages if p not in pages]
        if item.note is None and parsed.note is not None:
            item.note, item.note_span = parsed.note  # the note printed inside the table's frame
    return names, rows, evidence, any_value, pages


def _side_order(
    rows: list[TableRow], evidence: dict[str, SourceSpan]
) -> tuple[list[TableRow], dict[str, SourceSpan]]:
    """Two-sided tables list every 收入 row before every 支出 row, whatever the page split."""
    sides = list(dict.fromkeys(r.side for r in rows))
    if len(sides) <= 1:
        return rows, evidence
    order = sorted(range(len(rows)), key=lambda i: (sides.index(rows[i].side), i))
    remap = {old: new for new, old in enumerate(order)}

    def renumber(key: str) -> str:
        m = re.match(r"rows\[(\d+)\](.*)", key)
        return f"rows[{remap[int(m.group(1))]}]{m.group(2)}" if m else key

    return [rows[i] for i in order], {renumber(k): v for k, v in evidence.items()}


def budget_tables(
    blocks: list[Block], default_unit: str = "万元"
) -> tuple[list[BudgetTable], dict[str, SourceSpan]]:
    """The standard tables in document order, one per canonical id (the first wins), with the
    evidence of every printed value keyed `tables[i].rows[j].values.<column>`."""
    tables: list[BudgetTable] = []
    evidence: dict[str, SourceSpan] = {}
    items: list[_Found] = []
    for item in _locate(blocks, default_unit):
        if items and item.id == items[-1].id and items[-1].note is None:
            items[-1].parts += item.parts  # the title repeated on the next page
        else:
            items.append(item)
    for item in items:
        if item.id is None or any(t.id == item.id for t in tables):
            continue
        columns, rows, spans, any_value, pages = _merge_parts(item)
        rows, spans = _side_order(rows, spans)
        note = item.note
        if note is not None and not any_value:
            rows, spans = [], {}
        elif note is not None and any_value:
            note = None  # a note under a table with values is a footnote, not an empty-table note
        if not rows and note is None:
            continue  # nothing read as rows (a form per project, not a grid): no table is claimed
        index = len(tables)
        tables.append(
            BudgetTable(
                id=item.id, title=item.title, pages=pages, columns=columns, rows=rows, empty_note=note
            )
        )
        evidence.update({f"tables[{index}].{k}": v for k, v in spans.items()})
        if note is not None and item.note_span is not None:
            evidence[f"tables[{index}].empty_note"] = item.note_span
    return tables, evidence
