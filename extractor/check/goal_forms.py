"""The narrative's count and total of the 项目绩效目标 forms against the forms it publishes
(`编报绩效目标的项目5个，涉及项目预算资金3328.13万元` over five 绩效目标填报表 whose 项目资金总额
add to 3351.33万元). Read from the laid-out tables: the extraction does not model the forms.
Where no form is printed (published separately), nothing is judged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from extractor.check.base import Context, check, fmt
from extractor.check.budget import unit_of_last_digit
from extractor.check.text import dec, evidence, squeeze
from extractor.check.within import cell_amount, distinct_cells
from extractor.core.types import Cell
from extractor.schemas import Evidence, Finding
from extractor.vocab import budget as vocab

_CLAIM = re.compile(vocab.GOAL_FORMS_CLAIM)
_YUAN = Decimal(10000)


def _form_totals(ctx: Context) -> list[tuple[Cell, Decimal]]:
    """Each printed form's 项目资金总额, in 万元 (the form's own unit label says 元 or 万元)."""
    out: list[tuple[Cell, Decimal]] = []
    for block in ctx.source.blocks if ctx.source else ():
        if block.table is None:
            continue
        for row in block.table.grid():
            cells = [cell for _, cell in distinct_cells(row)]
            texts = [squeeze(c.text) for c in cells]
            for i, text in enumerate(texts):
                if text not in vocab.GOAL_FORM_TOTAL_LABELS or i + 1 >= len(texts):
                    continue
                value = cell_amount(cells[i + 1])
                if value is None or value < 0:
                    continue
                unit = next(
                    (u for t in texts for u in ("万元", "元") if f"（{u}）" in t or f"({u})" in t), None
                )
                if unit is None:
                    continue
                out.append((cells[i + 1], value / _YUAN if unit == "元" else value))
    return out


@check(
    "budget.goal_forms",
    ("budget",),
    "warning",
    "the narrative's number and total of 绩效目标 projects agree with the forms it prints",
    needs_source=True,
)
def goal_forms(ctx: Context) -> Iterator[Finding]:
    forms = _form_totals(ctx)
    if not forms:
        return
    total = sum((v for _, v in forms), Decimal(0))
    for para in ctx.paragraphs:
        text = squeeze(para.text)
        for m in _CLAIM.finditer(text):
            count, stated = int(m.group(1) or m.group(3)), dec(m.group(2) or m.group(4))
            tolerance = unit_of_last_digit(stated)
            ok = count == len(forms) and abs(total - stated) <= tolerance
            f = ctx.finding(
                "budget.goal_forms",
                "warning",
                "pass" if ok else "fail",
                f"“{m.group(0)}”: the {len(forms)} forms printed add to {fmt(total.quantize(Decimal('0.01')))}万元"
                + ("" if count == len(forms) else f" ({count} stated)"),
                expected=f"{len(forms)} / {fmt(total.quantize(Decimal('0.01')))}",
                actual=f"{count} / {fmt(stated)}",
                tolerance=fmt(tolerance),
            )
            first = forms[0][0]
            where = {"(form)": Evidence(page=first.page, bbox=first.bbox, text=first.text)}
            yield f.model_copy(update={"evidence": {**evidence(ctx.source, para, m.group(0)), **where}})
