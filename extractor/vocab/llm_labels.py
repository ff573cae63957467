"""The labels a number must be printed under before a model's value is kept for a field.

A model can quote a real line and take a real number from it for the wrong field (two
fields swapped, a value invented from another row). So a number is kept only when the
text that labels it — in a table, the header cells above it in its column, the label
left of it in its row and the table's title; in prose, its clause and the one before —
has a word of every group below. Keys as in `extract/llm/fields.py`: a report path, or
`<kind>:<path>` for one kind. A field without an entry is not label-checked.
Plain data: add a province's wording to a group.
"""

from __future__ import annotations

_BUDGETED = ("预算",)
_SPENT = ("决算", "实际", "支出", "执行")
_INITIAL = ("预算",)
_ADJUSTED = ("预算",)
"""A report's prose names the total's budget many ways (年初预算, 资金预算, 全年预算, 调整后预算):
here only a budget is told from an amount spent; the checkers relate budget, spent and rate."""
_EXECUTED = ("执行", "实际支出", "支出", "使用")

FIELD_LABELS: dict[str, tuple[tuple[str, ...], ...]] = {
    # final_account and budget key figures
    "key_figures.income_total": (("收入合计", "收入总计", "本年收入", "收入总额", "总收入"),),
    "key_figures.expenditure_total": (("支出合计", "支出总计", "本年支出", "支出总额", "总支出"),),
    "key_figures.fiscal_appropriation_income": (("财政拨款",),),
    "key_figures.general_budget_appropriation_income": (("一般公共预算", "财政拨款"),),
    "key_figures.gov_fund_appropriation_income": (("政府性基金",),),
    "key_figures.state_capital_appropriation_income": (("国有资本",),),
    "key_figures.superior_subsidy_income": (("上级补助",),),
    "key_figures.business_income": (("事业收入",),),
    "key_figures.operating_income": (("经营收入",),),
    "key_figures.affiliated_income": (("附属单位",),),
    "key_figures.other_income": (("其他收入", "其他资金"),),
    "key_figures.carryover": (("结转", "结余"),),
    "key_figures.carryover_begin": (("年初结转", "年初结余", "上年结转"),),
    "key_figures.carryover_end": (("年末结转", "年末结余", "结转下年"),),
    "key_figures.grand_total": (("总计",),),
    "key_figures.basic_expenditure": (("基本支出",),),
    "key_figures.project_expenditure": (("项目支出", "项目预算"),),
    "key_figures.personnel_expenses": (("人员经费", "工资福利", "对个人和家庭"),),
    "key_figures.public_expenses": (("公用经费", "商品和服务"),),
    "key_figures.three_public_budget": (("三公",), _BUDGETED),
    "key_figures.three_public_actual": (("三公",), _SPENT),
    "key_figures.overseas_budget": (("出国",), _BUDGETED),
    "key_figures.overseas_actual": (("出国",), _SPENT),
    "key_figures.vehicle_budget": (("公务用车", "车辆"), _BUDGETED),
    "key_figures.vehicle_actual": (("公务用车", "车辆"), _SPENT),
    "key_figures.vehicle_purchase_budget": (("购置",), _BUDGETED),
    "key_figures.vehicle_purchase_actual": (("购置",), _SPENT),
    "key_figures.vehicle_operation_budget": (("运行",), _BUDGETED),
    "key_figures.vehicle_operation_actual": (("运行",), _SPENT),
    "key_figures.reception_budget": (("接待",), _BUDGETED),
    "key_figures.reception_actual": (("接待",), _SPENT),
    "key_figures.initial_budget": (("年初预算",),),
    "key_figures.operating_funds": (("运行经费",),),
    "key_figures.procurement_total": (("采购",),),
    # a budget prints only budgeted amounts: its 三公 lines need not say 预算
    "budget:key_figures.three_public_budget": (("三公",),),
    "budget:key_figures.overseas_budget": (("出国",),),
    "budget:key_figures.vehicle_budget": (("公务用车", "车辆"),),
    "budget:key_figures.vehicle_purchase_budget": (("购置",),),
    "budget:key_figures.vehicle_operation_budget": (("运行",),),
    "budget:key_figures.reception_budget": (("接待",),),
    # self-evaluations
    "authorized_staff": (("编制",),),
    "actual_staff": (("实有", "实际有", "在职", "在编", "现有"),),
    "retired_staff": (("退休",),),
    "total_expenditure": (("总支出", "支出合计", "支出总额", "支出总计", "共支出", "合计支出"),),
    "basic_expenditure": (("基本支出",),),
    "project_expenditure": (("项目支出",),),
    "personnel_expenditure": (("人员经费", "人员支出", "工资福利", "对个人和家庭"),),
    "public_expenditure": (("公用经费", "公用支出", "日常公用", "商品和服务"),),
    "initial_budget": (("年初预算",),),
    "adjusted_budget": (("全年预算", "调整后预算", "调整预算", "预算调整"),),
    "executed_amount": (("执行", "支出", "使用", "拨付"),),
    "execution_rate": (("执行率", "执行进度", "支出率"),),
    "three_public_total": (("三公",),),
    "funds_weight": (("分值", "权重", "满分"),),
    "funds_score": (("得分", "评分"),),
    "self_score": (("得分", "总分", "评分", "自评"),),
    "total_score": (("总分", "得分", "合计"),),
    "budget_amount": (("预算金额", "预算资金", "年度预算", "预算安排", "资金预算"),),
    "allocated_amount": (("下达", "预算", "安排", "分配", "拨付", "资金"),),
    # the total row is often stated in prose without a row word (本年度预算资金35万元，实际执行35万元)
    "funds.total.initial_budget": (_INITIAL,),
    "funds.total.adjusted_budget": (_ADJUSTED,),
    "funds.total.executed": (_EXECUTED,),
    "funds.current_year.initial_budget": (("当年", "财政拨款"), _INITIAL),
    "funds.current_year.adjusted_budget": (("当年", "财政拨款"), _ADJUSTED),
    "funds.current_year.executed": (("当年", "财政拨款"), _EXECUTED),
    "funds.carryover.initial_budget": (("结转",), _INITIAL),
    "funds.carryover.adjusted_budget": (("结转",), _ADJUSTED),
    "funds.carryover.executed": (("结转",), _EXECUTED),
    "funds.other.initial_budget": (("其他",), _INITIAL),
    "funds.other.adjusted_budget": (("其他",), _ADJUSTED),
    "funds.other.executed": (("其他",), _EXECUTED),
}
"""Field → groups of words; the value's labelling text must hold a word of each group."""

INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "weight": ("分值", "权重", "满分", "标准分", "分数"),
    "score": ("得分", "评分", "自评", "分数"),
}
"""An indicator's weight and score are told apart by their column's header (in its row: its name).
Target and actual are not: their columns hold text, so a header cannot be told from a value above."""

CODE_COLUMN_WORDS = ("编码", "代码")
"""A column whose header says it prints codes (科目编码, 功能科目代码): its cells are codes
(30224 被装购置费), never an amount for a field."""
