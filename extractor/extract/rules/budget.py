"""kind = budget (部门预算 / 单位预算): scope, department, year, unit, the standard tables
(matched by title), then key figures from the tables, then from the narrative."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from extractor.core.types import Block, Heading, Paragraph, SourceSpan, TableBlock
from extractor.extract.rules.budget_tables import budget_tables
from extractor.extract.rules.evidence import Filled, find_in_blocks, to_evidence
from extractor.schemas import Budget, BudgetKeyFigures, BudgetTable, Evidence, TableRow
from extractor.vocab import budget as vocab

_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))"
)
_UNIT = re.compile(vocab.UNIT)
_YEAR = re.compile(vocab.YEAR)
_TITLE_DEPT = [re.compile(p) for p in vocab.TITLE_DEPARTMENT]
_COVER_BLOCKS = 12


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def plain_label(name: str | None) -> str:
    """A row label without its ordinal (`一、财政拨款收入` → `财政拨款收入`)."""
    return _ORDINAL.sub("", _compact(name or ""))


def _texts(blocks: list[Block], limit: int | None = None) -> list[tuple[str, SourceSpan]]:
    out = []
    for block in blocks[:limit] if limit else blocks:
        if isinstance(block, Heading):
            out.append((_compact(block.text), block.span))
        elif isinstance(block, Paragraph):
            out.append((_compact(block.text), block.spans[0]))
    return out


def scope_of(title: str, blocks: list[Block]) -> str | None:
    """单位预算 / 部门预算 in the title, else the label the name is printed after."""
    for scope, words in vocab.SCOPE_WORDS.items():
        if any(w in _compact(title) for w in words):
            return scope
    texts = _texts(blocks)
    for text, _ in texts + _banner_texts(blocks):
        for scope, labels in vocab.SCOPE_LABELS.items():
            if any(re.match(rf"^{label}[:：]", text) for label in labels):
                return scope
    for text, _ in texts:  # a part heading (第二部分 …年度部门预算表)
        if len(text) <= 40:
            for scope, words in vocab.SCOPE_WORDS.items():
                if any(w in text for w in words):
                    return scope
    return None


def _banner_texts(blocks: list[Block]) -> list[tuple[str, SourceSpan]]:
    """The `部门：…` cells a table prints inside its own frame, above its header."""
    out: list[tuple[str, SourceSpan]] = []
    for block in blocks:
        if not isinstance(block, TableBlock):
            continue
        for cell in block.table.cells:
            if cell.row < 3 and cell.text.strip():
                out.append((_compact(cell.text), SourceSpan(page=cell.page, bbox=cell.bbox, text=cell.text)))
    return out


def department_of(title: str, blocks: list[Block]) -> tuple[str | None, SourceSpan | None]:
    """The longest full name printed after a label (`编制部门：…`, `部 门:…`), else the title's."""
    labelled: list[tuple[str, SourceSpan]] = []
    texts = _texts(blocks) + _banner_texts(blocks)
    for n, (text, span) in enumerate(texts):
        for label in vocab.DEPARTMENT_LABELS:
            m = re.match(rf"^{label}[:：]", text)
            if not m:
                continue
            value = re.split(vocab.DEPARTMENT_STOP, text[m.end() :])[0]
            if not value and n + 1 < len(texts) and len(texts[n + 1][0]) <= 40:
                value = re.split(vocab.DEPARTMENT_STOP, texts[n + 1][0])[0]  # name on the next line
            if len(value) >= 2:
                labelled.append((value, span))
            break
    if labelled:
        return max(labelled, key=lambda v: len(v[0]))
    compact = _compact(title)
    m = next((m for p in _TITLE_DEPT if (m := p.search(compact))), None)
    if m and len(m.group("dept")) >= 2:
        dept = m.group("dept")
        title_span = next((s for t, s in texts[:_COVER_BLOCKS] if dept[:4] in t), None)
        return dept, title_span
    return None, None


def year_of(
    title: str, blocks: list[Block], tables: list[BudgetTable]
) -> tuple[int | None, SourceSpan | None]:
    m = _YEAR.search(_compact(title))
    texts = _texts(blocks, _COVER_BLOCKS)
    if m:
        year = m.group(1)
        return int(year), next((s for t, s in texts if year in t), None)
    for text, span in texts:
        m = _YEAR.search(text)
        if m and ("预算" in text or len(text) <= 12):
            return int(m.group(1)), span
    for table in tables:
        m = _YEAR.search(table.title)
        if m:
            return int(m.group(1)), None
    return None, None


def unit_of(blocks: list[Block]) -> tuple[str | None, SourceSpan | None]:
    """The unit most tables print (`单位：元` / `单位：万元`)."""
    counts: dict[str, tuple[int, SourceSpan]] = {}
    for text, span in _texts(blocks):
        for m in _UNIT.finditer(text):
            n, first = counts.get(m.group(1), (0, span))
            counts[m.group(1)] = (n + 1, first)
    if not counts:
        return None, None
    unit = max(counts, key=lambda u: counts[u][0])
    return unit, counts[unit][1]


# --- Key figures ----------------------------------------------------------------------------


def _column(table: BudgetTable, words: tuple[str, ...]) -> str | None:
    if not words:
        return table.columns[0] if len(table.columns) == 1 else None
    for column in table.columns:
        if all(w in column for w in words):
            return column
    return None


def _row(table: BudgetTable, side: str | None, labels: tuple[str, ...]) -> tuple[int, TableRow] | None:
    for label in labels:
        for ri, row in enumerate(table.rows):
            if side is not None and row.side != side:
                continue
            name = plain_label(row.name)
            if (label == "" and not name and row.code is None) or (label and name == label):
                return ri, row
    return None


def _figures_from_tables(tables: list[BudgetTable], evidence: dict[str, Evidence], filled: Filled) -> None:
    by_id = {t.id: (i, t) for i, t in enumerate(tables)}
    for key, table_id, side, labels, words in vocab.TABLE_FIGURES:
        if table_id not in by_id or filled.get(f"key_figures.{key}") is not None:
            continue
        ti, table = by_id[table_id]
        found = _row(table, side, labels)
        column = _column(table, words) if words else _side_column(table, side)
        if found is None or column is None:
            continue
        ri, row = found
        value = row.values.get(column)
        if value is not None:
            filled.put(f"key_figures.{key}", value, None)
            ev = evidence.get(f"tables[{ti}].rows[{ri}].values.{column}")
            if ev:
                filled.evidence[f"key_figures.{key}"] = ev
    if "three_public" in by_id:
        _three_public(*by_id["three_public"], evidence, filled)


def _side_column(table: BudgetTable, side: str | None) -> str | None:
    """The column holding a side's amount: the first named like a total or an amount (合计, 金额,
    预算数 …; a 政府采购 table may print 数量 first), else the first value column."""
    for row in table.rows:
        if side is None or row.side == side:
            columns = list(row.values)
            named = [c for c in columns if c.split("/")[-1] in vocab.AMOUNT_COLUMNS]
            chosen = named or columns
            return chosen[0] if chosen else None
    return None


def _three_public(ti: int, table: BudgetTable, evidence: dict[str, Evidence], filled: Filled) -> None:
    if not table.rows:
        return
    row = table.rows[0]
    has_others = any(any(w in c for w in vocab.OTHER_EXPENSE_COLUMNS) for c in table.columns)
    for key, own, excluded, anywhere in vocab.THREE_PUBLIC_COLUMNS:
        column = next(
            (
                c
                for c in table.columns
                if all(w in c.split("/")[-1] for w in own)
                and not any(w in c.split("/")[-1] for w in excluded)
                and all(w in (c.split("/")[-2] if "/" in c else "") for w in anywhere)
            ),
            None,
        )
        if key == "three_public_budget" and column is None and not has_others:
            column = next(
                (c for c in table.columns if c.endswith(vocab.THREE_PUBLIC_TOTAL_WHEN_ONLY_THREE)), None
            )
        if column is None:
            continue
        value = row.values.get(column)
        if value is not None:
            filled.put(f"key_figures.{key}", value, None)
            ev = evidence.get(f"tables[{ti}].rows[0].values.{column}")
            if ev:
                filled.evidence.setdefault(f"key_figures.{key}", ev)


def _figures_from_narrative(blocks: list[Block], filled: Filled) -> None:
    """Key figures the tables leave empty, from the narrative (its amounts are in 万元)."""
    prose: list[Block] = [b for b in blocks if not isinstance(b, TableBlock)]
    for key, pattern in vocab.NARRATIVE_FIGURES:
        path = f"key_figures.{key}"
        if filled.get(path) is not None:
            continue
        for match in find_in_blocks(prose, re.compile(vocab.NARRATIVE_SUBJECT_BEFORE + pattern)):
            if re.search(vocab.NARRATIVE_NOT_AFTER, match.before[-8:]):
                continue
            value = Decimal(match.groups[0].replace(",", "").replace("，", ""))
            filled.put(path, value, match.span)
            break


def cover_title(blocks: list[Block]) -> str:
    """The headings that open the first page, joined (a title set over several lines)."""
    first_page = None
    parts: list[str] = []
    for block in blocks[:_COVER_BLOCKS]:
        if not isinstance(block, Heading) or block.level > 1:
            break
        first_page = first_page or block.span.page
        text = _compact(block.text)
        if block.span.page != first_page or text in ("目录", "目 录") or re.match(vocab.HEADER_LINE, text):
            break
        parts.append(text)
    return "".join(parts)


def extract_budget(blocks: list[Block], base: dict[str, Any], title: str) -> Budget:
    """A Budget from the blocks of its segment; `base` holds pages and any shared evidence."""
    cover = cover_title(blocks)
    if len(cover) > len(title) and title in cover and len(cover) <= 80:
        title = cover  # the segment's title is the last line of a title set over several
    unit, unit_span = unit_of(blocks)
    tables, spans = budget_tables(blocks, unit or "万元")
    table_evidence = {k: to_evidence(v) for k, v in spans.items()}
    filled = Filled()
    _figures_from_tables(tables, table_evidence, filled)
    _figures_from_narrative(blocks, filled)
    figures = {p.split(".", 1)[1]: v for p, v in filled.values.items() if isinstance(v, Decimal)}
    dept, dept_span = department_of(title, blocks)
    year, year_span = year_of(title, blocks, tables)
    evidence: dict[str, Evidence] = dict(base.get("evidence") or {})
    evidence.pop("department", None)
    evidence.pop("fiscal_year", None)
    for name, span in (("department", dept_span), ("fiscal_year", year_span), ("unit", unit_span)):
        if span is not None:
            evidence[name] = to_evidence(span)
    evidence.update(table_evidence)
    evidence.update(filled.evidence)
    if unit is None and not tables and figures:
        unit = "万元"  # a narrative-only file states its amounts in 万元
    return Budget.model_validate(
        {
            **base,
            "department": dept,
            "fiscal_year": year,
            "scope": scope_of(title, blocks),
            "unit": unit,
            "key_figures": BudgetKeyFigures(**figures),
            "tables": tables,
            "evidence": evidence,
        }
    )
