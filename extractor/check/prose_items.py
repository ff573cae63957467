"""An item's explanation about that item: the narrative that explains each 项 (`“…（款）城管执法
（项）”604.34万元，主要用于…。…主要原因是：…`) is often written by copying the item before it
and editing; an edit forgotten leaves one item's purpose or reason naming another item."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractor.check.base import Context, check
from extractor.check.text import evidence, squeeze
from extractor.core.types import SourceSpan
from extractor.schemas import Finding
from extractor.vocab import wording as vocab

ITEM_KINDS = ("final_account", "budget")
_ITEM = re.compile(vocab.ITEM_HEADING)
_CLAUSES = re.compile(vocab.ITEM_CLAUSES)


@dataclass(frozen=True)
class _Item:
    name: str
    parents: tuple[str, ...]
    """The 类 and 款 names printed with it (a 项 may share its 款's name)."""
    text: str
    """What the narrative says of it, up to the next item."""
    para: SourceSpan


def _items(ctx: Context) -> list[_Item]:
    items: list[_Item] = []
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        found = list(_ITEM.finditer(text))
        for n, m in enumerate(found):
            end = found[n + 1].start() if n + 1 < len(found) else len(text)
            parents = tuple(p for p in (m.group("cls"), m.group("kuan")) if p)
            items.append(_Item(m.group("name"), parents, text[m.end() : end], para))
    return items


def _only_names(said: str, other: _Item) -> bool:
    """The clause is the other item's template phrase (`事业单位离退休经费增加`, `城乡社区管理事务
    一般行政管理事务`): its name, its 款 and filler words, nothing of its own. A reason that
    mentions another item among other words (`…本年度调入行政运行项`) is not a copy."""
    if other.name not in said:
        return False
    rest = said
    for word in sorted((other.name, *other.parents, *vocab.ITEM_CLAUSE_FILLERS), key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(rest) <= 2


@check(
    "prose.item_copied",
    ITEM_KINDS,
    "warning",
    "an item's stated purpose or reason names that item, not another item of the narrative",
    needs_source=True,
)
def purpose_of_another_item(ctx: Context) -> Iterator[Finding]:
    items = _items(ctx)
    named = {item.name: item for item in items if len(item.name) >= 4}
    for item in items:
        for clause in _CLAUSES.finditer(item.text):
            said = clause.group("said")
            if item.name in said:
                continue
            others = [
                other
                for name, other in named.items()
                if name not in item.name and name not in item.parents and _only_names(said, other)
            ]
            if not others:
                continue
            other = max((o.name for o in others), key=len)
            f = ctx.finding(
                "prose.item_copied",
                "warning",
                "fail",
                f"“{item.name}（项）”: {clause.group('what')}“{said[:40]}” names another item, “{other}”"
                " (copied from it?)",
                expected=item.name,
                actual=other,
            )
            phrase = clause.group(0)[:60]
            yield f.model_copy(update={"evidence": evidence(ctx.source, item.para, phrase)})


_LEVEL_LABEL = re.compile(vocab.LEVEL_LABEL)
_NAME_TAIL = re.compile(vocab.LEVEL_NAME_TAIL)


def _printed_levels(ctx: Context) -> dict[str, set[int]]:
    """Every 功能分类 name the report's tables print, with the lengths of its codes (3: 类,
    5: 款, 7: 项)."""
    out: dict[str, set[int]] = {}
    for table in getattr(ctx.report, "tables", []):
        for row in table.rows:
            code = (row.code or "").replace(" ", "")
            if row.name and code.isdigit() and code.startswith("2") and len(code) in (3, 5, 7):
                out.setdefault(_bare(row.name), set()).add(len(code))
    return out


def _bare(name: str) -> str:
    return re.sub(r"支出$", "", name)


@check(
    "prose.item_level",
    ITEM_KINDS,
    "warning",
    "a name the narrative labels （类）/（款）/（项） is printed at that level in the tables",
    needs_source=True,
)
def level_labels(ctx: Context) -> Iterator[Finding]:
    printed = _printed_levels(ctx)
    if not printed:
        return
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        start = 0
        for m in _LEVEL_LABEL.finditer(text):
            tail = _NAME_TAIL.search(text[start : m.start()])
            start = m.end()
            name = tail.group(0) if tail else ""
            levels = printed.get(_bare(name), set())
            wanted = vocab.LEVEL_CODE_LENGTH[m.group(1)]
            if not levels or wanted in levels:
                continue
            at = {3: "类", 5: "款", 7: "项"}[min(levels)]
            f = ctx.finding(
                "prose.item_level",
                "warning",
                "fail",
                f"“{name}（{m.group(1)}）”: the tables print {name} as a {at}, not a {m.group(1)}",
                expected=f"{name}（{at}）",
                actual=f"{name}（{m.group(1)}）",
            )
            yield f.model_copy(update={"evidence": evidence(ctx.source, para, f"{name}（{m.group(1)}）")})
