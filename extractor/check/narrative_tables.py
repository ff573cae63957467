"""The narrative against the tables it explains: every amount it states for a table row or
total (a class, 款 or 项 named with （类）/（款）/（项）, a named total, a “三公” item) equals
the printed cell, and is not stated where the table prints nothing. The names it gives a
class, 款 or 项 are the names the table prints."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from extractor.check.base import Context, check, fmt, half_unit
from extractor.check.text import AMOUNT, dec, evidence, narrative_blocks, sentences, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import FinalAccount, Finding, StandardTable, TableRow
from extractor.vocab.final_account_checks import (
    CONNECTOR,
    LEVEL_MARK,
    NARRATIVE_CELLS,
    SECTION_TABLES,
    THREE_PUBLIC_ATTRIBUTES,
    THREE_PUBLIC_SUBJECTS,
    Cell,
)

FA = ("final_account",)
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_TOTAL_COLUMNS = ("合计", "本年支出合计", "决算数", "本年支出/小计", "小计", "金额")


def _norm(name: str | None) -> str:
    return _ORDINAL.sub("", squeeze(name or ""))


def _column(table: StandardTable, row: TableRow, words: Sequence[str]) -> str | None:
    for column in table.columns:
        if column not in row.values:
            continue
        parts = column.split("/")
        if all(any(w in p for p in parts) for w in words):
            return column
    return None


def _row(table: StandardTable, names: Sequence[str], side: str | None) -> tuple[int, TableRow] | None:
    for ri, row in enumerate(table.rows):
        if (side is None or row.side == side) and _norm(row.name) in names:
            return ri, row
    return None


class _Cells:
    """Table cells by (table id, row, side, column words), with their field paths."""

    def __init__(self, report: FinalAccount) -> None:
        self.by_id = {t.id: (ti, t) for ti, t in enumerate(report.tables)}

    def get(self, cell: Cell) -> tuple[str, Decimal | None] | None:
        table_id, names, side, words = cell
        if table_id not in self.by_id:
            return None
        ti, table = self.by_id[table_id]
        if table_id == "09" and table.rows:
            found: tuple[int, TableRow] | None = (0, table.rows[0])
        else:
            found = _row(table, names, side)
        if found is None:
            return None
        ri, row = found
        column = _column(table, row, words)
        if column is None:
            return None
        return f"tables[{ti}].rows[{ri}].values.{column}", row.values.get(column)


def _agrees(stated: Decimal, printed: Decimal | None) -> bool:
    if printed is None:
        return stated == 0
    # A narrative may print fewer decimals than the table, never a different amount.
    exponent = stated.as_tuple().exponent
    table_exp = printed.as_tuple().exponent
    assert isinstance(exponent, int) and isinstance(table_exp, int)
    return stated == printed or (exponent > table_exp and abs(stated - printed) <= half_unit(stated))


def _finding(
    ctx: Context,
    label: str,
    stated: Decimal,
    options: list[tuple[str, Decimal | None]],
    span: SourceSpan,
    phrase: str,
) -> Finding:
    ok = any(_agrees(stated, printed) for _, printed in options)
    shown = " or ".join("blank" if p is None else fmt(p) for _, p in options)
    message = f"{label}: the narrative states {fmt(stated)}, the table prints {shown}"
    if not ok and all(p is None for _, p in options):
        message += " (the table is blank where the narrative states an amount)"
    f = ctx.finding(
        "narrative.table_amount",
        "error",
        "pass" if ok else "fail",
        message,
        expected=shown,
        actual=fmt(stated),
        tolerance="0",
        fields=[path for path, _ in options],
    )
    return f.model_copy(update={"evidence": {**f.evidence, **evidence(ctx.source, span, phrase)}})


def _section_table(text: str) -> str | None:
    return next((tid for word, tid in SECTION_TABLES if word in text), None)


def _sections(ctx: Context) -> Iterator[tuple[str | None, SourceSpan]]:
    """Each paragraph with the table its section explains."""
    current: str | None = None
    for kind, span in narrative_blocks(ctx.source, list(ctx.paragraphs)):
        text = squeeze(span.text)
        if _SECTION.match(text) and len(text) <= 40 and not re.search(r"\d+\.?\d*\s*万元", text):
            current = _section_table(text) if ("情况" in text or "说明" in text) else None
            continue
        if kind == "paragraph":
            yield current, span


@check(
    "narrative.table_amount",
    FA,
    "error",
    "an amount the narrative states for a table row or total equals the printed cell",
    needs_source=True,
)
def table_amounts(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    cells = _Cells(report)
    for section, span in _sections(ctx):
        for sentence in sentences(span.text):
            yield from _named_totals(ctx, cells, sentence.text, span)
            yield from _three_public(ctx, cells, sentence.text, span)
        yield from (f for f in _levels(ctx, cells, section, span) if f.check == "narrative.table_amount")


@check(
    "narrative.level_name",
    FA,
    "warning",
    "a class, 款 or 项 the narrative names （类/款/项） is printed under that name in the table it explains",
    needs_source=True,
)
def level_names(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    assert isinstance(report, FinalAccount)
    cells = _Cells(report)
    for section, span in _sections(ctx):
        yield from (f for f in _levels(ctx, cells, section, span) if f.check == "narrative.level_name")


def _named_totals(ctx: Context, cells: _Cells, sentence: str, span: SourceSpan) -> Iterator[Finding]:
    for m in AMOUNT.finditer(sentence):
        if m.group(2) != "万元":
            continue
        before = sentence[max(0, m.start() - 40) : m.start()]
        before = re.split(r"[\d%％]", before)[-1]
        for phrase, candidates in NARRATIVE_CELLS:
            hit = re.search(f"(?:{phrase}){CONNECTOR}", before)
            if not hit:
                continue
            options = [c for c in (cells.get(cell) for cell in candidates) if c is not None]
            if options:
                label = squeeze(hit.group(0))
                yield _finding(ctx, label, dec(m.group(1)), options, span, squeeze(hit.group(0) + m.group(0)))
            break


def _three_public(ctx: Context, cells: _Cells, sentence: str, span: SourceSpan) -> Iterator[Finding]:
    for m in AMOUNT.finditer(sentence):
        if m.group(2) != "万元":
            continue
        before = sentence[: m.start()]
        last: tuple[int, tuple[str, ...]] | None = None
        for pattern, words in THREE_PUBLIC_SUBJECTS:
            for s in re.finditer(pattern, before):
                if last is None or s.end() > last[0]:
                    last = (s.end(), words)
        if last is None:
            continue
        gap = before[last[0] :]
        gap = re.split(r"[，,；]", gap)[-1] if re.search(r"\d", gap) else gap
        attribute = next(
            (a for regex, a in THREE_PUBLIC_ATTRIBUTES if re.search(regex, gap) and len(gap) <= 12), None
        )
        if attribute is None:
            continue
        found = cells.get(("09", (), None, (*last[1], attribute)))
        if found is not None:
            yield _finding(
                ctx, f"“三公” {'/'.join(last[1])} {attribute}", dec(m.group(1)), [found], span, m.group(0)
            )


def _levels(ctx: Context, cells: _Cells, section: str | None, span: SourceSpan) -> Iterator[Finding]:
    """`X（类）Y（款）Z（项）` chains: the names exist in the section's table, and the amount agrees."""
    if section is None or section not in cells.by_id:
        return
    ti, table = cells.by_id[section]
    coded = [(ri, r) for ri, r in enumerate(table.rows) if r.code]
    if not coded:
        return
    text = span.text
    marks = list(re.finditer(LEVEL_MARK, text))
    chains: list[list[re.Match[str]]] = []
    for mark in marks:
        if mark.group(2) == "类" or not chains or mark.start() - chains[-1][-1].end() > 2:
            chains.append([mark])
        else:
            chains[-1].append(mark)
    for n, chain in enumerate(chains):
        parent = ""
        row: tuple[int, TableRow] | None = None
        for mark in chain:
            name = _norm(re.sub(r"^.*[“”\"]", "", mark.group(1)))
            length = {"类": 3, "款": 5, "项": 7}[mark.group(2)]
            found = next(
                (
                    (ri, r)
                    for ri, r in coded
                    if len(r.code or "") == length
                    and (r.code or "").startswith(parent)
                    and _norm(r.name) == name
                ),
                None,
            )
            if found is None:
                printed = [
                    r.name
                    for _, r in coded
                    if len(r.code or "") == length and (r.code or "").startswith(parent)
                ]
                if printed:
                    yield _name_finding(ctx, table, mark, printed, span)
                row = None
                break
            row, parent = found, found[1].code or ""
        if row is None:
            continue
        end = chain[-1].end()
        stop = chains[n + 1][0].start() if n + 1 < len(chains) else len(text)
        tail = text[end:stop]
        direct = re.match(r"[”\"]?\s*(?:支出)?(?:决算(?:数)?)?(?:为|是)?\s*" + AMOUNT.pattern, tail)
        actual = direct or re.search(r"(?:支出)?决算(?:数)?(?:为|是)\s*" + AMOUNT.pattern, tail)
        if actual is None or actual.group(2) != "万元":
            continue
        ri, r = row
        column = next((c for c in _TOTAL_COLUMNS if c in r.values), None)
        if column is None:
            continue
        yield _finding(
            ctx,
            f"{r.code} {r.name} (公开{table.id}表)",
            dec(actual.group(1)),
            [(f"tables[{ti}].rows[{ri}].values.{column}", r.values.get(column))],
            span,
            squeeze(chain[-1].group(0) + actual.group(0)),
        )


def _name_finding(
    ctx: Context, table: StandardTable, mark: re.Match[str], printed: list[str | None], span: SourceSpan
) -> Finding:
    level = mark.group(2)
    names = "、".join(n or "" for n in printed[:6])
    return ctx.finding(
        "narrative.level_name",
        "warning",
        "fail",
        f"the narrative names the {level} “{squeeze(mark.group(1))}（{level}）”, but 公开{table.id}表 prints no such "
        f"{level} there (it prints: {names})",
        expected=names,
        actual=squeeze(mark.group(1)),
    ).model_copy(update={"evidence": evidence(ctx.source, span, squeeze(mark.group(0)))})
