"""The nine standard tables of a 部门决算 (公开01表 … 09表) into `StandardTable`s.

Column roles come from the header text (编码 / 科目名称 / 项目 / 行次 are structural,
everything else holds values). Two-sided and side-by-side tables are split into
segments at each structural column that follows a value column; a segment's
side is its top header (收入 / 支出, 人员经费 / 公用经费).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.core.types import SourceSpan, Table
from extractor.extract.rules.grid import (
    GridCell,
    grid_of,
    header_paths,
    header_row_count,
    is_code,
    is_column_number_row,
    is_structural,
)
from extractor.extract.values import parse_amount
from extractor.schemas import StandardTable, TableRow
from extractor.vocab import final_account as vocab

_TABLE_NO = re.compile(vocab.TABLE_NUMBER)
_TITLE_END = re.compile(vocab.TITLE_END)
MAX_TITLE_CHARS = 40


def title_id(title: str) -> str | None:
    """The standard table a title names, by the words it contains (vocab.STANDARD_TABLES)."""
    for table_id, needed, excluded in vocab.STANDARD_TABLES:
        if all(w in title for w in needed) and not any(w in title for w in excluded):
            return table_id
    return None


def _title_candidates(texts: list[str]) -> list[str]:
    """Lines that can be a table's title, nearest the table first: a line re-joined with the
    note of the table before it (`注：本表反映…。支出决算表`) gives its last sentence; notes,
    long sentences and lines that do not end in 表 are not titles."""
    out = []
    for text in reversed(texts):
        last = re.sub(r"\s+", "", text).split("。")[-1]
        if not last or last.startswith(vocab.NOTE_PREFIXES) or len(last) > MAX_TITLE_CHARS:
            continue
        out.append(last)
    return out


def standard_id(texts: list[str]) -> tuple[str, str] | None:
    """(id, title) from the lines printed above a table: 公开NN表 wins, else the title's words."""
    compact = [re.sub(r"\s+", "", t) for t in texts]
    number = next((m.group(1) for t in reversed(compact) for m in [_TABLE_NO.search(t)] if m), None)
    titles = [t for t in _title_candidates(texts) if _TITLE_END.search(_TABLE_NO.sub("", t))]
    for title in titles:
        table_id = title_id(title)
        if table_id is not None:
            clean = _TABLE_NO.sub("", title).strip()
            return (number or table_id), clean
    if number:
        return number, ""
    return None


@dataclass
class _Segment:
    code: int | None = None
    name: int | None = None
    values: list[tuple[int, str]] = field(default_factory=list)
    side: str | None = None


def _segments(paths: list[list[str]]) -> list[_Segment]:
    segments: list[_Segment] = []
    current = _Segment()
    for col, path in enumerate(paths):
        if not path:
            continue
        last = path[-1]
        role = "value"
        if is_structural(path):
            role = "code" if "编码" in last else "line" if "行次" in last else "name"
        if role in ("code", "name") and current.values:
            segments.append(current)
            current = _Segment()
        if role == "code":
            current.code = col
        elif role == "name":
            current.name = col
        elif role == "value":
            current.values.append((col, "/".join(path)))
        if current.side is None and len(path) > 1:
            current.side = path[0]
    segments.append(current)
    segments = [s for s in segments if s.values]
    if len(segments) == 1:
        segments[0].side = None
    # A side's heading (收入 / 人员经费) names the row's side, not its columns: drop it from their names.
    for seg in segments:
        prefix = f"{seg.side}/" if seg.side else ""
        seg.values = [
            (c, name[len(prefix) :] if prefix and name.startswith(prefix) else name) for c, name in seg.values
        ]
    return segments


@dataclass
class ParsedTable:
    columns: list[str]
    rows: list[TableRow]
    evidence: dict[str, SourceSpan]
    """Keyed by "rows[i].values.<column>" relative to this table's rows."""


def _label(cell: GridCell | None) -> str:
    return re.sub(r"\s+", "", cell.text) if cell else ""


def parse_standard_table(table: Table, start_index: int = 0) -> ParsedTable:
    """Rows of one standard table (or one page of it); `start_index` numbers rows after earlier parts."""
    rows = grid_of(table)
    n_header = header_row_count(rows)
    paths = header_paths(rows, n_header)
    segments = _segments(paths)
    columns: list[str] = []
    for seg in segments:
        for _, name in seg.values:
            if name not in columns:
                columns.append(name)
    out_rows: list[list[TableRow]] = [[] for _ in segments]
    spans: list[list[dict[str, SourceSpan]]] = [[] for _ in segments]
    for row in rows[n_header:]:
        if is_column_number_row(row):
            continue
        first = _label(row[0]) if row else ""
        if first.startswith("注") or first.startswith("说明"):
            continue
        for s, seg in enumerate(segments):
            code = _label(row[seg.code]) if seg.code is not None and seg.code < len(row) else ""
            name = _label(row[seg.name]) if seg.name is not None and seg.name < len(row) else ""
            if code and not is_code(code) and not name:
                code, name = "", code  # a label in the code column (合计 rows span both)
            if seg.code is not None and seg.name is not None and name == code:
                # One merged cell over both columns: a code, or a label such as 合计.
                code, name = (code, "") if is_code(code) else ("", name)
            cells = {col_name: row[c] if c < len(row) else None for c, col_name in seg.values}
            has_value = any(parse_amount(gc.text) is not None for gc in cells.values() if gc)
            if not code and not name and not (seg.name is None and seg.code is None and has_value):
                continue
            values: dict[str, object] = {}
            row_spans: dict[str, SourceSpan] = {}
            for col_name, gc in cells.items():
                amount = parse_amount(gc.text) if gc and gc.text else None
                values[col_name] = amount
                span = gc.span() if gc else None
                if amount is not None and span is not None:
                    row_spans[col_name] = span
            out_rows[s].append(
                TableRow.model_validate(
                    {
                        "code": code if is_code(code) else None,
                        "name": name or None,
                        "side": seg.side,
                        "values": values,
                    }
                )
            )
            spans[s].append(row_spans)
    flat_rows: list[TableRow] = []
    evidence: dict[str, SourceSpan] = {}
    for seg_rows, seg_spans in zip(out_rows, spans, strict=True):
        for row_model, row_spans in zip(seg_rows, seg_spans, strict=True):
            index = start_index + len(flat_rows)
            for col_name, span in row_spans.items():
                evidence[f"rows[{index}].values.{col_name}"] = span
            flat_rows.append(row_model)
    return ParsedTable(columns=columns, rows=flat_rows, evidence=evidence)


def build_standard_table(
    table_id: str, title: str, parts: list[Table]
) -> tuple[StandardTable, dict[str, SourceSpan]]:
    """One StandardTable from its parts (text input repeats the title per page; a PDF part is already merged)."""
    columns: list[str] = []
    rows: list[TableRow] = []
    evidence: dict[str, SourceSpan] = {}
    pages: list[int] = []
    for part in parts:
        parsed = parse_standard_table(part, start_index=len(rows))
        columns += [c for c in parsed.columns if c not in columns]
        rows += parsed.rows
        evidence.update(parsed.evidence)
        pages += [p for p in part.pages if p not in pages]
    # Two-sided tables list every 收入 row before every 支出 row, whatever the page split.
    sides = list(dict.fromkeys(r.side for r in rows))
    if len(sides) > 1:
        order = sorted(range(len(rows)), key=lambda i: (sides.index(rows[i].side), i))
        remap = {old: new for new, old in enumerate(order)}
        rows = [rows[i] for i in order]
        evidence = {_renumber(k, remap): v for k, v in evidence.items()}
    model = StandardTable(id=table_id, title=title, pages=pages, columns=columns, rows=rows)
    return model, evidence


def _renumber(key: str, remap: dict[int, int]) -> str:
    match = re.match(r"rows\[(\d+)\](.*)", key)
    if not match:
        return key
    return f"rows[{remap[int(match.group(1))]}]{match.group(2)}"
