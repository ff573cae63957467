"""Grounding: no value from a model is kept unless the document shows it.

A value passes when
1. it is written the way REPORT_FORMAT wants (a plain decimal string, an ISO date …),
2. its quote occurs in the chunk (whitespace-insensitively, see `chunk.normalise`), and
3. the value occurs in its quote: a number as one of the quote's numbers once
   thousands separators are removed (not a list's numbering such as 1．, nor a year
   such as 2022年 for an amount), with the printed precision (an amount may also
   be the quote's number in 元 moved to 万元, when the quote or the tables say 元);
   a date as 2023年3月15日 or 2023-03-15; text as a substring within one table cell;
4. a number is printed under its field's labels (`vocab.llm_labels`; an indicator's
   weight and score: in the row of its name, under a 分值 / 得分 header; any of its values,
   when quoted from a table: from a row whose own cells name it): the header above it in its column, the
   label left of it, the table's title, or in prose its clause (`Chunk.label_context`),
   so a real number taken from the wrong row, column or sentence is refused;
5. a text field is not a bare number.
Each failure is a sentence the model is re-asked with.

Step 4 is waived (`labels=False`) for a value the rules extractor read alike for the same
field: the labels stop a real number taken for the wrong field, and two independent readers
agreeing on the field is that evidence already (a document may print a value off its
column, or state it under a wording the vocabulary lacks). Steps 1-3 and an indicator's
row are never waived: the quote must still occur and print the value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from extractor.extract.llm.fields import indicator_column
from extractor.extract.llm.sections import Leaf
from extractor.render import Chunk, normalise

_ROW_VALUES = frozenset({"target", "actual", "note"})
"""An indicator's own values (its level1 / level2 labels are carried down from merged cells above)."""
_ROW_NUMBERS = frozenset({"weight", "score"})
_BARE_NUMBER = re.compile(r"^[\d\s.,，%％\-]+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_INT = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
_YUAN = re.compile(r"(?<!万)(?<!亿)元")
_ENUMERATOR = re.compile(r"\d{1,2}")
_BEFORE_ITEM = frozenset(["", "(", "|", "。", "；", ";", "：", ":", "，", ",", "、"])
_AFTER_NUMBERING = re.compile(r"\s*[.、)](?!\d)")
_DATES = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})"),
)


def _show(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return f"«{text if len(text) <= limit else text[:limit] + '…'}»"


def numbers_in(text: str) -> list[str]:
    """The numbers a text prints, thousands separators removed, as printed otherwise."""
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))
    return _NUMBER.findall(text)


def values_in(text: str, *, amount: bool) -> list[str]:
    """The numbers a quote prints as values: not a list's numbering (1. / 2、 / (3) before an
    item), nor, for an amount, a year (2022年)."""
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))
    out = []
    for m in _NUMBER.finditer(text):
        number, before, after = m.group(), text[: m.start()].rstrip()[-1:], text[m.end() :]
        if _ENUMERATOR.fullmatch(number) and before in _BEFORE_ITEM and _AFTER_NUMBERING.match(after):
            continue
        if amount and _INT.fullmatch(number) and len(number) == 4 and after.lstrip().startswith("年"):
            continue
        out.append(number)
    return out


def says_yuan(text: str) -> bool:
    return bool(_YUAN.search(unicodedata.normalize("NFKC", text)))


def format_problem(leaf: Leaf) -> str | None:
    value = leaf.value.strip()
    if not value:
        return f"{leaf.path}: the value is empty; give null when the document does not state it"
    if leaf.kind == "number" and not _DECIMAL.match(value):
        return (
            f"{leaf.path}: {value!r} is not a plain decimal string; write it like 1467.16 "
            "(no thousands separators, units, % or words)"
        )
    if leaf.kind == "int" and not _INT.match(value):
        return f"{leaf.path}: {value!r} is not a whole number; write it like 2022"
    if leaf.kind == "int" and leaf.path.endswith("year") and not 1949 <= int(value) <= 2100:
        return f"{leaf.path}: {value} is not a year; write the year the report is about, like 2022"
    if leaf.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{leaf.path}: {value!r} is not a date in the form YYYY-MM-DD"
    return None


def _number_in_quote(value: str, quote: str, yuan: bool, amount: bool) -> tuple[bool, str | None]:
    """(found, hint): hint names the printed form when only the precision differs."""
    printed = values_in(quote, amount=amount)
    if value in printed:
        return True, None
    try:
        wanted = Decimal(value)
        values = [Decimal(p) for p in printed]
    except InvalidOperation:
        return False, None
    for text, number in zip(printed, values, strict=True):
        if number == wanted:
            return False, f"the quote prints {text}: keep the printed precision"
    if yuan and any(number.scaleb(-4) == wanted for number in values):
        return True, None
    return False, None


def _cells(text: str) -> str:
    """Normalised, with cell borders kept: a text value may not run from one cell into the next."""
    return "|".join(normalise(part) for part in unicodedata.normalize("NFKC", text).split("|"))


def _holds(leaf: Leaf, yuan: bool) -> Callable[[str], bool]:
    value = leaf.value.strip()
    if leaf.kind in ("number", "int"):
        amount = leaf.kind == "number"
        return lambda text: _number_in_quote(value, text, yuan, amount)[0]
    return lambda text: normalise(value) in normalise(text)


def label_problem(leaf: Leaf, chunk: Chunk, yuan: bool) -> str | None:
    """Why the text labelling the value does not name its field (None: it does, or no labels apply).

    A table's title labels every cell (and a sentence's subject every clause), so it names the
    field only where the value's own labels name no other field of the section (公用经费合计
    under a 基本支出决算表 title is not 基本支出), and it never qualifies it (预算 / 决算).
    """
    if not leaf.labels:
        return None
    whole_row = "]." in leaf.path  # an indicator's weight or score: its row names it
    places = chunk.label_context(
        leaf.quote,
        _holds(leaf, yuan),
        whole_row=whole_row,
        amount=leaf.kind == "number",
        narrower=lambda headers: _narrower(leaf, headers),
    )
    missing: tuple[str, ...] = ()
    for own_text, loose_text in places:
        own, loose = normalise(own_text), normalise(loose_text)
        rival = any(normalise(r) in own for r in leaf.rivals)
        for index, group in enumerate(leaf.labels):
            words = [normalise(word) for word in group]
            if any(word in own for word in words):
                continue
            if (
                index == 0
                and not (rival and not any(w in own for w in words))
                and any(w in loose for w in words)
            ):
                continue
            missing = missing or group
            break
        else:
            return None  # one place where the quote prints the value under its labels
    return (
        f"{leaf.path}: {leaf.value} is not printed under a label of this field "
        f"(expected {' / '.join(missing)} in its row, its column's header or its sentence); "
        "quote the row or sentence that states this field"
    )


def _narrower(leaf: Leaf, headers: list[str]) -> bool:
    """The header nearest the cell that names a field names another one and not this field: the
    `因公出国（境）费 / 决算数` cell under `“三公”经费` is the 出国 figure, not the 三公 total."""
    own = [normalise(word) for word in leaf.labels[0]] if leaf.labels else []
    rivals = [normalise(word) for word in leaf.rivals if normalise(word) not in own]
    for header in (normalise(h) for h in headers):
        if any(word in header for word in own):
            return False
        if any(word in header for word in rivals):
            return True
    return False


def _date_in_quote(value: str, quote: str) -> bool:
    wanted = dt.date.fromisoformat(value)
    text = unicodedata.normalize("NFKC", quote)
    for pattern in _DATES:
        for m in pattern.finditer(text):
            try:
                if dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) == wanted:
                    return True
            except ValueError:
                continue
    return False


def _row_problem(leaf: Leaf, rows: list[tuple[str, ...]]) -> str | None:
    """An indicator's value quoted from a table must sit in the row that names the indicator: its
    own cells, not a label beside it (a merged cell of prose left of many rows names many)."""
    if rows and not any(normalise(str(leaf.row)) in normalise("".join(cells)) for cells in rows):
        return (
            f"{leaf.path}: {_show(leaf.value)} is quoted from a table row that is not the row of "
            f"{_show(str(leaf.row))}; quote that indicator's row"
        )
    return None


def leaf_problem(leaf: Leaf, chunk: Chunk, *, yuan_tables: bool = False, labels: bool = True) -> str | None:
    """Why a value is not grounded in the chunk, or None when it is (`labels=False`: step 4 waived)."""
    problem = format_problem(leaf)
    if problem:
        return problem
    if not leaf.quote.strip():
        return f"{leaf.path}: the quote is empty; copy the document text the value was read from"
    if not chunk.contains(leaf.quote):
        return (
            f"{leaf.path}: the quote {_show(leaf.quote)} does not occur in the document; "
            "copy the text exactly as it is printed, or give null"
        )
    value = leaf.value.strip()
    if leaf.kind in ("number", "int"):
        yuan = leaf.unit == "万元" and (yuan_tables or says_yuan(leaf.quote))
        found, hint = _number_in_quote(value, leaf.quote, yuan, leaf.kind == "number")
        if found:
            if leaf.row is not None and leaf.path.rpartition(".")[2] in _ROW_NUMBERS:
                problem = _row_problem(leaf, chunk.table_rows(leaf.quote, _holds(leaf, yuan), printed=True))
                if problem:
                    return problem
            return label_problem(leaf, chunk, yuan) if labels else None
        return f"{leaf.path}: {value} does not occur in its quote {_show(leaf.quote)}" + (
            f" ({hint})" if hint else ""
        )
    if leaf.kind == "date":
        if _date_in_quote(value, leaf.quote):
            return None
        return f"{leaf.path}: the date {value} is not the date printed in its quote {_show(leaf.quote)}"
    if normalise(value) not in _cells(leaf.quote):
        return f"{leaf.path}: {_show(value)} does not occur in its quote {_show(leaf.quote)}"
    if leaf.row is not None and leaf.path.rpartition(".")[2] in _ROW_VALUES:
        rows = chunk.table_rows(leaf.quote, _holds(leaf, False), printed=True)
        problem = _row_problem(leaf, rows)
        if problem:
            return problem
        column = indicator_column(leaf.path.rpartition(".")[2])
        if rows and column and labels:
            return label_problem(dataclasses.replace(leaf, labels=(column,)), chunk, False)
    if leaf.kind == "text" and "]." not in leaf.path and _BARE_NUMBER.match(value):
        return f"{leaf.path}: {_show(value)} is a bare number, not the text this field asks for"
    return None


def grounding_problems(leaves: Iterable[Leaf], chunk: Chunk, *, yuan_tables: bool = False) -> list[str]:
    """Every value's problem, in order (empty: all grounded)."""
    out = []
    for leaf in leaves:
        problem = leaf_problem(leaf, chunk, yuan_tables=yuan_tables)
        if problem:
            out.append(problem)
    return out
