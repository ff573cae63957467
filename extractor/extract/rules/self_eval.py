"""The self-evaluation kinds: overall (text or form), project (text or form), transfer payments."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from extractor.core.types import Block, Paragraph, SourceSpan, Table, TableBlock
from extractor.extract.rules.evidence import Filled
from extractor.extract.rules.forms import FundsBlock, Value, funds_block, goals, indicators, labelled_value
from extractor.extract.rules.prose import NUM, first, numbered_items
from extractor.extract.values import parse_amount, parse_count, parse_percent
from extractor.schemas import Indicator, OverallSelfEval, ProjectSelfEval, TransferSelfEval
from extractor.vocab import overall_self_eval as overall_vocab
from extractor.vocab import self_eval as vocab

_PROBLEM_WORDS = vocab.PROBLEM_HEADINGS
_MEASURE_WORDS = vocab.MEASURE_HEADINGS
_AFTER_MEASURES = vocab.AFTER_MEASURES


def _tables(blocks: list[Block]) -> list[Table]:
    return [b.table for b in blocks if isinstance(b, TableBlock)]


def _put_value(filled: Filled, path: str, value: Value | None, parse: str = "amount") -> None:
    if value is None:
        return
    parsed: object
    if parse == "amount":
        parsed = parse_amount(value.text.replace("%", ""))
    elif parse == "percent":
        parsed = parse_percent(value.text)
    elif parse == "count":
        parsed = parse_count(value.text)
    else:
        parsed = value.text
    filled.put(path, parsed, value.span)


def _put_match(
    filled: Filled,
    path: str,
    blocks: list[Block],
    pattern: str,
    parse: str = "amount",
    exclude: str | None = None,
    not_after: str | None = None,
) -> None:
    if filled.get(path) is not None:
        return
    match = first(blocks, pattern, exclude=exclude, not_after=not_after)
    if match is None:
        return
    text = match.groups[0]
    value: object = (
        parse_amount(text)
        if parse == "amount"
        else parse_percent(text)
        if parse == "percent"
        else parse_count(text)
    )
    filled.put(path, value, match.span)


def _indicator_models(tables: list[Table], filled: Filled) -> tuple[list[Indicator], Value | None]:
    """The indicator rows as models, and the 总分 row's 得分."""
    rows, total_weight, total_score = indicators(tables)
    out = []
    for i, row in enumerate(rows):
        data: dict[str, object] = {}
        for field, value in row.fields.items():
            if field in ("weight", "score"):
                data[field] = parse_amount(value.text)
            else:
                data[field] = value.text
            if value.span is not None:
                filled.put(f"indicators[{i}].{field}", data[field], value.span)
        out.append(Indicator.model_validate(data))
    del total_weight  # Σ 分值 is recomputed by the checkers, not a field of the report
    return out, total_score


def _items(blocks: list[Block], filled: Filled) -> tuple[list[str], list[str]]:
    problems = numbered_items(blocks, _PROBLEM_WORDS, _MEASURE_WORDS + _AFTER_MEASURES)
    measures = numbered_items(blocks, _MEASURE_WORDS, _AFTER_MEASURES + _PROBLEM_WORDS)
    for name, items in (("problems", problems), ("measures", measures)):
        for i, item in enumerate(items):
            filled.put(f"{name}[{i}]", item.text, item.span)
    return [i.text for i in problems], [i.text for i in measures]


def _funds_fields(funds: FundsBlock | None, filled: Filled) -> None:
    if funds is None:
        return
    total = funds.rows.get("total", {})
    _put_value(filled, "funds_weight", total.get("weight"))
    _put_value(filled, "execution_rate", total.get("rate"), "percent")
    _put_value(filled, "funds_score", total.get("score"))


_DATE = re.compile(
    r"(\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
# 自评报告 print a grade in full or in one character; the format keeps it as printed.
_GRADES: dict[str, str] = {}


def _cn_number(text: str) -> int:
    """`2023`, `二〇二三` (digit by digit) or `十二` / `二十一` (tens) as an int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _report_date(blocks: list[Block], filled: Filled) -> None:
    """A date on a line of its own (the signature block), or after 报告日期：; Chinese numerals too."""
    label = re.compile(overall_vocab.REPORT_DATE_LABEL)
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        text = label.sub("", re.sub(r"\s+", "", block.text), count=1)
        m = _DATE.fullmatch(text)
        if not m:
            continue
        try:
            date = dt.date(*(_cn_number(g) for g in m.groups()))
        except (ValueError, KeyError):
            continue
        filled.put("report_date", date, block.spans[0])
        return


def _staff_from_table(tables: list[Table], filled: Filled) -> None:
    from extractor.extract.rules.grid import grid_of

    for table in tables:
        rows = grid_of(table)
        for r, row in enumerate(rows):
            keys = [re.sub(r"\s+", "", c.text) for c in row]
            if "编制数" in keys and r + 1 < len(rows):
                numbers = [c for c in rows[r + 1] if re.fullmatch(r"\d+", c.text.strip())]
                if numbers:
                    filled.put("authorized_staff", Decimal(numbers[0].text.strip()), numbers[0].span())
                if len(numbers) > 1:
                    filled.put("actual_staff", Decimal(numbers[1].text.strip()), numbers[1].span())
                return


def _three_public_from_table(tables: list[Table], filled: Filled, year: int | None) -> None:
    from extractor.extract.rules.grid import grid_of

    for table in tables:
        rows = grid_of(table)
        col = None
        for row in rows:
            keys = [re.sub(r"\s+", "", c.text) for c in row]
            for c, key in enumerate(keys):
                if key.endswith("决算数") and (year is None or str(year) in key):
                    col = c
            if col is not None and keys and keys[0] in ("三公经费", "“三公”经费") and col < len(row):
                value = parse_amount(row[col].text)
                filled.put("three_public_total", value, row[col].span())
                return


def extract_overall(blocks: list[Block], base: dict[str, Any]) -> OverallSelfEval:
    tables = _tables(blocks)
    filled = Filled()
    _report_date(blocks, filled)
    _staff_from_table(tables, filled)
    _three_public_from_table(tables, filled, base.get("fiscal_year"))
    for path, pattern, parse, exclude, not_after in overall_vocab.SENTENCES:
        regex = pattern.replace("{NUM}", NUM).replace("{INT}", r"(\d+)")
        _put_match(filled, path, blocks, regex, parse, exclude=exclude, not_after=not_after)
    grade = first(blocks, overall_vocab.GRADE)
    if grade:
        filled.put("grade", _GRADES.get(grade.groups[0], grade.groups[0]), grade.span)
    # A 整体支出绩效自评表: the funds row and the indicator table.
    funds = funds_block(tables)
    if funds:
        total = funds.rows.get("total", {})
        _put_value(filled, "initial_budget", total.get("initial_budget"))
        _put_value(filled, "adjusted_budget", total.get("adjusted_budget"))
        _put_value(filled, "executed_amount", total.get("executed"))
        _funds_fields(funds, filled)
    for table_value, path in (
        (r"基本支出[:：]\s*" + NUM, "basic_expenditure"),
        (r"项目支出[:：]\s*" + NUM, "project_expenditure"),
    ):
        _form_text_amount(tables, table_value, path, filled)
    indicator_list, total_score = _indicator_models(tables, filled)
    if total_score is not None:
        _put_value(filled, "self_score", total_score)
    problems, measures = _items(blocks, filled)
    return OverallSelfEval.model_validate(
        {
            **base,
            **_scalars(filled),
            "indicators": indicator_list,
            "problems": problems,
            "measures": measures,
            "evidence": {**base["evidence"], **filled.evidence},
        }
    )


def _form_text_amount(tables: list[Table], pattern: str, path: str, filled: Filled) -> None:
    from extractor.extract.rules.grid import grid_of

    if filled.get(path) is not None:
        return
    for table in tables:
        for row in grid_of(table):
            for cell in row:
                m = re.search(pattern, re.sub(r"\s+", "", cell.text))
                if m:
                    filled.put(path, parse_amount(m.group(1)), cell.span())
                    return


def _scalars(filled: Filled) -> dict[str, object]:
    return {k: v for k, v in filled.values.items() if "." not in k and "[" not in k and not k.startswith("_")}


_PROJECT_LABELS = ("项目支出名称", "专项名称", "项目名称")
_IMPLEMENTER = ("实施单位",)
_DEPARTMENT_LABELS = ("主管部门", "项目主管部门", "市级预算部门名称", "预算部门名称", "单位名称")


def extract_project(blocks: list[Block], base: dict[str, Any]) -> ProjectSelfEval:
    tables = _tables(blocks)
    filled = Filled()
    for labels, path, parse in (
        (_PROJECT_LABELS, "project_name", "text"),
        (_IMPLEMENTER, "implementer", "text"),
        (("年度预算金额",), "budget_amount", "amount"),
        (("项目立项目的",), "goal_planned", "text"),
        (("项目绩效目标完成情况",), "goal_achieved", "text"),
    ):
        _put_value(filled, path, labelled_value(tables, labels), parse)
    plan, done = goals(tables)
    _put_value(filled, "goal_planned", plan, "text")
    _put_value(filled, "goal_achieved", done, "text")
    funds = funds_block(tables)
    funds_data: dict[str, object] | None = None
    if funds:
        funds_data = {}
        for row_key, columns in funds.rows.items():
            row: dict[str, object] = {}
            for col in ("initial_budget", "adjusted_budget", "executed"):
                value = columns.get(col)
                row[col] = parse_amount(value.text) if value else None
                if value and value.span:
                    filled.put(f"funds.{row_key}.{col}", row[col], value.span)
            funds_data[row_key] = row
        _funds_fields(funds, filled)
    else:
        funds_data = _funds_from_usage(tables, filled)
    indicator_list, total_score = _indicator_models(tables, filled)
    if total_score is not None:
        _put_value(filled, "total_score", total_score)
    problems = _cell_items(tables, ("存在的问题",), "problems", filled)
    measures = _cell_items(tables, ("改进措施",), "measures", filled)
    if not problems and not measures:
        problems, measures = _items(blocks, filled)
    return ProjectSelfEval.model_validate(
        {
            **base,
            **_scalars(filled),
            "funds": funds_data,
            "indicators": indicator_list,
            "problems": problems,
            "measures": measures,
            "evidence": {**base["evidence"], **filled.evidence},
        }
    )


_USAGE_LABELS = ("项目支出管理和使用情况", "项目支出管理和使用基本情况", "项目支出管理和使用")
_USAGE_PATTERNS = [
    ("initial_budget", rf"(?:本年度预算资金|项目年初预算(?:批复)?|项目资金预算|年初预算)\s*{NUM}\s*万元"),
    ("adjusted_budget", rf"(?:全年预算|全面预算|调整后预算)\s*{NUM}\s*万元"),
    ("executed", rf"(?:实际执行|实际支出|，支出|,支出)\s*{NUM}\s*万元"),
]


def _funds_from_usage(tables: list[Table], filled: Filled) -> dict[str, object] | None:
    """A 自评报告's funds sentence (本年度预算资金 35 万元，全年预算 35 万元，实际执行 35 万元，执行率 100%)."""
    usage = labelled_value(tables, _USAGE_LABELS)
    if usage is None:
        return None
    row: dict[str, object] = {}
    for key, pattern in _USAGE_PATTERNS:
        m = re.search(pattern, usage.text)
        row[key] = parse_amount(m.group(1)) if m else None
        if m and usage.span:
            filled.put(f"funds.total.{key}", row[key], _excerpt(usage.span, m.group(0)))
    m = re.search(r"执行率\s*(\d+(?:\.\d+)?)\s*%", usage.text)
    if m:
        filled.put(
            "execution_rate", Decimal(m.group(1)), _excerpt(usage.span, m.group(0)) if usage.span else None
        )
    if not any(v is not None for v in row.values()):
        return None
    return {"total": row, "current_year": None, "carryover": None, "other": None}


def _excerpt(span: SourceSpan, text: str) -> SourceSpan:
    return SourceSpan(page=span.page, bbox=span.bbox, text=text)


def _cell_items(tables: list[Table], labels: tuple[str, ...], path: str, filled: Filled) -> list[str]:
    value = labelled_value(tables, labels)
    if value is None or value.text in ("无", "无。", "/", "—"):
        return []
    filled.put(f"{path}[0]", value.text, value.span)
    return [value.text]


def extract_transfer(blocks: list[Block], base: dict[str, Any], title: str) -> TransferSelfEval:
    """Form rows and numbered lists as for the other kinds; the rest from prose (rules/transfer.py)."""
    from extractor.extract.rules import transfer

    filled = Filled()
    indicator_list, _ = _indicator_models(_tables(blocks), filled)
    problems, measures = _items(blocks, filled)
    report = transfer.extract_transfer(blocks, base, title, indicator_list, filled)
    return report.model_copy(update={"problems": problems, "measures": measures})
