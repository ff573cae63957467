"""部门决算 / 单位决算 wording: the standard tables' titles and the words around them.

Titles are matched by the words they must contain, most specific first, because
provinces print them with and without `公开NN表` numbers, with the department's
name or the year in front, and with small variations (`收入支出决算表` vs
`收入支出决算总表`).
"""

from __future__ import annotations

# (id, every word the title must contain, words it must not contain), most specific first.
STANDARD_TABLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("04", ("财政拨款收入支出决算",), ("政府性基金", "国有资本")),
    ("07", ("政府性基金预算", "决算"), ()),
    ("08", ("国有资本经营预算", "决算"), ()),
    ("09", ("三公", "决算"), ()),
    ("06", ("基本支出决算",), ()),
    ("05", ("一般公共预算财政拨款", "支出决算"), ("基本支出",)),
    ("01", ("收入支出决算",), ()),
    ("02", ("收入决算",), ()),
    ("03", ("支出决算",), ()),
)
TABLE_NUMBER = r"公开\s*(0[1-9])\s*表"
"""`公开05表`: when printed, the number wins over the title's words."""

TITLE_END = r"表(?:[（(]?续(?:表)?[)）]?)?$"
"""A table title ends in 表, possibly followed by a continuation mark (续表, （续）)."""

NOTE_PREFIXES = ("注", "说明", "备注")
"""Lines under (or over) a table that explain it; never its title, never a row."""

EMPTY_TABLE_NOTE = (
    r"(没有|无)[^。]{0,40}(故本表|本表为空|本表无数据|空表)|故本表(无数据|为空)|本表为空表|此表为空"
    r"|^[（(]?(本部门|本单位|我单位|我部门)?\S{0,6}无\S{0,30}(安排|项目|支出|收支|收入)[。）)]?$"
)
"""A note saying a table is empty on purpose (`…本年度没有政府性基金…，故本表无数据。`)."""

TEMPLATE_PLACEHOLDERS = r"[XＸ]{2,}|×{2,}|（单位名称）|\(单位名称\)"
"""Placeholders of the official blank template (`上海市XX局`): a template, not a department.
(`某某` is left to the checkers' template-leftover family: redacted examples use it for real names.)"""

# The “三公” table's value columns, whatever the order and depth of its header levels
# (`预算数/公务用车购置及运行费/小计` or `公务用车购置及运行维护费/小计/预算数`):
# (key prefix, header parts that must start one level each, parts that must not appear).
THREE_PUBLIC_GROUPS = (("预算", "budget"), ("决算", "actual"))
THREE_PUBLIC_ITEMS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("vehicle_purchase", ("公务用车购置费",), ()),
    ("vehicle_operation", ("公务用车运行",), ()),
    ("vehicle", ("公务用车购置", "小计"), ()),
    ("overseas", ("因公出国",), ()),
    ("reception", ("公务接待",), ()),
    ("three_public", ("合计",), ("公务用车",)),
)

# Key figures the narrative states, used only where no table does: label regexes, each
# followed in the sentence by an optional （…） remark, a connector (为/是/共计…) and the amount.
NARRATIVE_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("income_total", ("收入合计", "收入总额")),
    ("expenditure_total", ("支出合计", "支出总额")),
    ("general_budget_appropriation_income", ("(?<!其中：)财政拨款收入", "一般公共预算财政拨款收入")),
    ("superior_subsidy_income", ("上级补助收入",)),
    ("business_income", ("事业收入",)),
    ("operating_income", ("经营收入",)),
    ("affiliated_income", ("附属单位上缴收入",)),
    ("other_income", ("其他收入",)),
    ("basic_expenditure", ("基本支出",)),
    ("project_expenditure", ("项目支出",)),
    ("grand_total", ("收、?支总计",)),
    ("initial_budget", ("财政拨款支出年初预算(?:数)?",)),
    ("operating_funds", ("机关运行经费(?:支出)?",)),
    ("procurement_total", ("政府采购支出总额", "政府采购(?:支出)?金额")),
    ("personnel_expenses", ("人员经费",)),
    ("public_expenses", ("公用经费",)),
)
AMOUNT_CONNECTOR = r"(?:[（(][^）)]{0,20}[）)])?\s*(?:为|是|共计|合计|总计|计|达)?\s*"
"""Between a label and its amount: `政府采购金额（以合同签订为准）为2319.21万元`."""

TITLE = r"(?:部门|单位)决算(?:报告)?$"
