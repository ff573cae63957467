"""kind = final_account: the standard tables, then key figures from tables, then from the narrative."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from extractor.core.types import Block, SourceSpan, TableBlock
from extractor.extract.rules.evidence import Filled, block_text, find_in_blocks, to_evidence
from extractor.extract.rules.standard_tables import build_standard_table, standard_id
from extractor.extract.values import parse_amount
from extractor.schemas import Evidence, FinalAccount, KeyFigures, StandardTable
from extractor.vocab import final_account as vocab

_LOOKBACK = 6
_NUM = r"(-?\d[\d,，]*(?:\.\d+)?)"

# (table id, side or None, row label without ordinal, column, key figure)
_TABLE_FIGURES: list[tuple[str, str | None, str, str, str]] = [
    ("01", "收入", "本年收入合计", "金额", "income_total"),
    ("01", "收入", "一般公共预算财政拨款收入", "金额", "general_budget_appropriation_income"),
    ("01", "收入", "政府性基金预算财政拨款收入", "金额", "gov_fund_appropriation_income"),
    ("01", "收入", "国有资本经营预算财政拨款收入", "金额", "state_capital_appropriation_income"),
    ("01", "收入", "上级补助收入", "金额", "superior_subsidy_income"),
    ("01", "收入", "事业收入", "金额", "business_income"),
    ("01", "收入", "经营收入", "金额", "operating_income"),
    ("01", "收入", "附属单位上缴收入", "金额", "affiliated_income"),
    ("01", "收入", "其他收入", "金额", "other_income"),
    ("01", "收入", "年初结转和结余", "金额", "carryover_begin"),
    ("01", "收入", "总计", "金额", "grand_total"),
    ("01", "支出", "本年支出合计", "金额", "expenditure_total"),
    ("01", "支出", "年末结转和结余", "金额", "carryover_end"),
    ("03", None, "合计", "基本支出", "basic_expenditure"),
    ("03", None, "合计", "项目支出", "project_expenditure"),
    ("06", "人员经费", "人员经费合计", "决算数", "personnel_expenses"),
    ("06", "公用经费", "公用经费合计", "决算数", "public_expenses"),
]
# Narrative sentences, used only where the tables leave a key figure empty (wording: vocab).
_NARRATIVE: list[tuple[str, str]] = [
    (key, rf"(?:{'|'.join(labels)}){vocab.AMOUNT_CONNECTOR}{_NUM}\s*万元")
    for key, labels in vocab.NARRATIVE_FIGURES
]
_BUDGET_ACTUAL = rf"支出预算为\s*{_NUM}\s*万元，?\s*支出决算为\s*{_NUM}\s*万元"
_THREE_PUBLIC_NARRATIVE: list[tuple[str, str]] = [
    ("three_public", rf"[“\"]?三公[”\"]?经费财政拨款{_BUDGET_ACTUAL}"),
    ("overseas", rf"因公出国\s*[（(]境[)）]\s*费{_BUDGET_ACTUAL}"),
    ("vehicle", rf"公务用车购置费?及运行(?:维护)?费{_BUDGET_ACTUAL}"),
    ("vehicle_purchase", rf"公务用车购置费{_BUDGET_ACTUAL}"),
    ("vehicle_operation", rf"公务用车运行(?:维护)?费{_BUDGET_ACTUAL}"),
    ("reception", rf"公务接待费{_BUDGET_ACTUAL}"),
]
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_EMPTY_NOTE = re.compile(vocab.EMPTY_TABLE_NOTE)
_NOTE_LABEL = re.compile(rf"^(?:{'|'.join(vocab.NOTE_PREFIXES)})[:：]?")
_UNIT = re.compile(r"单位[:：]\s*(万元|元)")


def _strip_ordinal(name: str | None) -> str:
    return _ORDINAL.sub("", name or "")


def _texts_around(blocks: list[Block], i: int) -> tuple[list[str], list[str]]:
    """The text blocks printed just before and just after block i, up to the neighbouring tables."""
    before: list[str] = []
    for prev in reversed(blocks[max(0, i - _LOOKBACK) : i]):
        if isinstance(prev, TableBlock):
            break
        before.append(block_text(prev))
    after: list[str] = []
    for nxt in blocks[i + 1 : i + 1 + _LOOKBACK // 2]:
        if isinstance(nxt, TableBlock):
            break
        after.append(block_text(nxt))
    return list(reversed(before)), after


def _until_title(texts: list[str]) -> list[str]:
    """Texts up to (not including) the first that titles a table."""
    out = []
    for text in texts:
        if standard_id([text]) is not None:
            break
        out.append(text)
    return out


def empty_note(texts: list[str]) -> str | None:
    """The note that says a table is empty on purpose, without its `说明：`/`注：` label."""
    for text in texts:
        compact = re.sub(r"\s+", "", text)
        for sentence in re.findall(r"[^。]*。?", compact):
            note = _NOTE_LABEL.sub("", sentence)
            if note and _EMPTY_NOTE.search(note):
                return note
    return None


def _tables(blocks: list[Block]) -> tuple[list[StandardTable], dict[str, Evidence]]:
    parts: dict[str, tuple[str, list[TableBlock]]] = {}
    notes: dict[str, list[str]] = {}
    order: list[str] = []
    for i, block in enumerate(blocks):
        if not isinstance(block, TableBlock):
            continue
        before, after = _texts_around(blocks, i)
        found = standard_id(before)
        if found is None:
            if order and not before:
                table_id = order[-1]  # directly continues the previous standard table
            else:
                continue
            title = parts[table_id][0]
        else:
            table_id, title = found
        if table_id not in parts:
            parts[table_id] = (title, [])
            order.append(table_id)
        elif title and not parts[table_id][0]:
            parts[table_id] = (title, parts[table_id][1])
        parts[table_id][1].append(block)
        # Its own note is printed under it, or between its title and the table.
        notes.setdefault(table_id, []).extend([*_until_title(after), *_until_title(before[::-1])])
    tables: list[StandardTable] = []
    evidence: dict[str, Evidence] = {}
    for index, table_id in enumerate(sorted(order)):
        title, blocks_of = parts[table_id]
        model, spans = build_standard_table(table_id, title, [b.table for b in blocks_of])
        if not any(v is not None for row in model.rows for v in row.values.values()):
            note = empty_note(notes[table_id])
            if note is not None:
                # Printed empty on purpose: its blank 合计 line is not a row.
                model = model.model_copy(update={"rows": [], "empty_note": note})
        tables.append(model)
        for key, span in spans.items():
            if model.rows:
                evidence[f"tables[{index}].{key}"] = to_evidence(span)
    return tables, evidence


def _figures_from_tables(tables: list[StandardTable], evidence: dict[str, Evidence], filled: Filled) -> None:
    by_id = {t.id: (i, t) for i, t in enumerate(tables)}
    for table_id, side, label, column, key in _TABLE_FIGURES:
        if table_id not in by_id:
            continue
        ti, table = by_id[table_id]
        for ri, row in enumerate(table.rows):
            if row.side in (side, None) and _strip_ordinal(row.name) == label:
                # A side with one value column names it 金额, 决算数 or 本年决算数 by province.
                own = [c for c, v in row.values.items()]
                col = column if column in row.values or len(own) != 1 else own[0]
                value = row.values.get(col)
                ev = evidence.get(f"tables[{ti}].rows[{ri}].values.{col}")
                if value is not None:
                    filled.put(f"key_figures.{key}", value, None)
                    if ev:
                        filled.evidence[f"key_figures.{key}"] = ev
                break
    if "09" in by_id:
        ti, table = by_id["09"]
        if table.rows:
            for column, key in three_public_columns(table.columns).items():
                value = table.rows[0].values.get(column)
                if value is not None:
                    filled.put(f"key_figures.{key}", value, None)
                    ev = evidence.get(f"tables[{ti}].rows[0].values.{column}")
                    if ev:
                        filled.evidence[f"key_figures.{key}"] = ev


def three_public_columns(columns: list[str]) -> dict[str, str]:
    """{column: key figure} for the “三公” table, by the parts of each column's header path."""
    out: dict[str, str] = {}
    for column in columns:
        parts = column.split("/")
        group = next((g for word, g in vocab.THREE_PUBLIC_GROUPS if any(word in p for p in parts)), None)
        if group is None:
            continue
        for item, needed, excluded in vocab.THREE_PUBLIC_ITEMS:
            if all(any(p.startswith(n) for p in parts) for n in needed) and not any(
                p.startswith(x) for p in parts for x in excluded
            ):
                out[column] = f"{item}_{group}"
                break
    return out


def _figures_from_narrative(blocks: list[Block], filled: Filled) -> None:
    """Key figures the tables leave empty, from the narrative (amounts there are in 万元)."""
    for key, pattern in _NARRATIVE:
        path = f"key_figures.{key}"
        if filled.get(path) is not None:
            continue
        for match in find_in_blocks(blocks, re.compile(pattern)):
            value = parse_amount(match.groups[0], unit="万元")
            if value is not None:
                filled.put(path, value, match.span)
                break
    for key, pattern in _THREE_PUBLIC_NARRATIVE:
        for match in find_in_blocks(blocks, re.compile(pattern)):
            budget, actual = (parse_amount(g) for g in match.groups[:2])
            filled.put(f"key_figures.{key}_budget", budget, match.span)
            filled.put(f"key_figures.{key}_actual", actual, match.span)
            break


def _unit(blocks: list[Block]) -> tuple[str | None, SourceSpan | None]:
    for match in find_in_blocks(blocks, _UNIT):
        return match.groups[0], match.span
    return None, None


def extract_final_account(blocks: list[Block], base: dict[str, Any]) -> FinalAccount:
    """A FinalAccount from the blocks of its segment; `base` holds department/year/pages/evidence."""
    tables, table_evidence = _tables(blocks)
    unit, unit_span = _unit(blocks)
    if unit == "元":
        tables = [_to_wan(t) for t in tables]
    filled = Filled()
    _figures_from_tables(tables, table_evidence, filled)
    _figures_from_narrative(blocks, filled)

    figures: dict[str, Decimal] = {
        path.split(".", 1)[1]: value for path, value in filled.values.items() if isinstance(value, Decimal)
    }
    evidence = dict(base.get("evidence") or {})
    evidence.update(table_evidence)
    evidence.update(filled.evidence)
    if unit_span is not None:
        evidence["unit"] = to_evidence(unit_span)
    return FinalAccount.model_validate(
        {**base, "unit": unit, "key_figures": KeyFigures(**figures), "tables": tables, "evidence": evidence}
    )


def _to_wan(table: StandardTable) -> StandardTable:
    from extractor.extract.values import yuan_to_wan

    rows = [
        row.model_copy(
            update={"values": {k: (yuan_to_wan(v) if v is not None else None) for k, v in row.values.items()}}
        )
        for row in table.rows
    ]
    return table.model_copy(update={"rows": rows})
