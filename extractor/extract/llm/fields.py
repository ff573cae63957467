"""What each field means, for prompts and response models (the schemas carry no descriptions;
`schemas/` is left as REPORT_FORMAT v1 states it, so they live here, keyed by field path).

A path is the JSON path inside a report. `<kind>:<path>` overrides a shared path for one kind.
UNITS says which numbers are amounts (万元, so 元 may be converted) and which are not.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "department": "部门 / 单位名称 as printed for this report (a form's 预算部门名称 or 主管部门)",
    "fiscal_year": "the year the report is about, e.g. 2022 for a 2022年度 report (an integer)",
    "unit": "金额单位 printed on the tables: 万元 or 元",
    "report_date": "报告日期, ISO YYYY-MM-DD",
    # final_account key figures
    "key_figures.income_total": "本年收入合计 (公开01表, income side)",
    "key_figures.expenditure_total": "本年支出合计 (公开01表, expenditure side)",
    "key_figures.general_budget_appropriation_income": "一般公共预算财政拨款收入",
    "key_figures.gov_fund_appropriation_income": "政府性基金预算财政拨款收入",
    "key_figures.state_capital_appropriation_income": "国有资本经营预算财政拨款收入",
    "key_figures.superior_subsidy_income": "上级补助收入",
    "key_figures.business_income": "事业收入",
    "key_figures.operating_income": "经营收入",
    "key_figures.affiliated_income": "附属单位上缴收入",
    "key_figures.other_income": "其他收入",
    "key_figures.carryover_begin": "年初结转和结余",
    "key_figures.carryover_end": "年末结转和结余",
    "key_figures.grand_total": "总计 (收入/支出总计)",
    "key_figures.basic_expenditure": "基本支出 (公开03表 合计 row)",
    "key_figures.project_expenditure": "项目支出 (公开03表 合计 row)",
    "key_figures.personnel_expenses": "人员经费合计",
    "key_figures.public_expenses": "公用经费合计",
    "key_figures.three_public_budget": "“三公”经费合计 预算数",
    "key_figures.three_public_actual": "“三公”经费合计 决算数",
    "key_figures.overseas_budget": "因公出国（境）费 预算数",
    "key_figures.overseas_actual": "因公出国（境）费 决算数",
    "key_figures.vehicle_budget": "公务用车购置及运行（维护）费 小计 预算数",
    "key_figures.vehicle_actual": "公务用车购置及运行（维护）费 小计 决算数",
    "key_figures.vehicle_purchase_budget": "公务用车购置费 预算数",
    "key_figures.vehicle_purchase_actual": "公务用车购置费 决算数",
    "key_figures.vehicle_operation_budget": "公务用车运行（维护）费 预算数",
    "key_figures.vehicle_operation_actual": "公务用车运行（维护）费 决算数",
    "key_figures.reception_budget": "公务接待费 预算数",
    "key_figures.reception_actual": "公务接待费 决算数",
    "key_figures.initial_budget": "财政拨款支出 年初预算数 (narrative)",
    "key_figures.operating_funds": "机关运行经费",
    "key_figures.procurement_total": "政府采购支出总额",
    # budget (部门预算 / 单位预算, REPORT_FORMAT v1.1): the 预算数 of the current year
    "budget:unit": "金额单位 printed on the budget tables: 万元 or 元",
    "budget:key_figures.income_total": "收入总计 / 本年收入合计 (收支总表, income side)",
    "budget:key_figures.expenditure_total": "支出总计 / 本年支出合计 (收支总表, expenditure side)",
    "budget:key_figures.fiscal_appropriation_income": "财政拨款收入 (一般公共预算 + 政府性基金 + 国有资本经营)",
    "budget:key_figures.general_budget_appropriation_income": "一般公共预算（财政）拨款收入",
    "budget:key_figures.gov_fund_appropriation_income": "政府性基金预算（财政）拨款收入",
    "budget:key_figures.state_capital_appropriation_income": "国有资本经营预算（财政）拨款收入",
    "budget:key_figures.business_income": "事业收入",
    "budget:key_figures.operating_income": "事业单位经营收入",
    "budget:key_figures.other_income": "其他收入",
    "budget:key_figures.carryover": "上年结转（结余）",
    "budget:key_figures.basic_expenditure": "基本支出 (支出预算总表 / 一般公共预算支出 合计)",
    "budget:key_figures.project_expenditure": "项目支出",
    "budget:key_figures.personnel_expenses": "人员经费 (工资福利支出 + 对个人和家庭的补助)",
    "budget:key_figures.public_expenses": "公用经费 (商品和服务支出 …)",
    "budget:key_figures.three_public_budget": "“三公”经费 预算数 合计",
    "budget:key_figures.overseas_budget": "因公出国（境）费 预算数",
    "budget:key_figures.reception_budget": "公务接待费 预算数",
    "budget:key_figures.vehicle_budget": "公务用车购置及运行费 预算数",
    "budget:key_figures.vehicle_purchase_budget": "公务用车购置费 预算数",
    "budget:key_figures.vehicle_operation_budget": "公务用车运行（维护）费 预算数",
    "budget:key_figures.operating_funds": "机关运行经费 预算",
    "budget:key_figures.procurement_total": "政府采购预算 总额",
    # overall_self_eval
    "authorized_staff": "编制数 (people)",
    "actual_staff": "实有（在职）人数 (people)",
    "retired_staff": "退休人数 (people)",
    "total_expenditure": "总支出",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费（支出）",
    "public_expenditure": "公用经费 / 日常公用支出",
    "initial_budget": "年初预算数 (department-wide)",
    "adjusted_budget": "全年预算数 (department-wide)",
    "executed_amount": "全年执行数 (department-wide)",
    "execution_rate": "预算执行率, percent without the % sign",
    "three_public_total": "“三公”经费支出",
    "funds_weight": "the funds row's 分值 (weight)",
    "funds_score": "the funds row's 得分 (score)",
    "self_score": "自评得分 (total score)",
    "grade": "自评等级 as printed (优秀/良好/中/差)",
    "problems": "the numbered 存在的问题 items, one per item, text as printed without the number",
    "measures": "the numbered 改进措施 / 建议 items, one per item, text as printed without the number",
    "indicators": "绩效指标 rows: 一级指标, 二级指标, 三级指标 (name), 指标值/年度指标值 (target), "
    "实际完成值 (actual), 分值 (weight), 得分 (score), 偏差原因/扣分原因 (note)",
    # project_self_eval
    "project_name": "项目支出名称 / 项目名称 / 专项名称",
    "implementer": "实施单位",
    "funds.total.initial_budget": "年度资金总额: 年初预算数",
    "funds.total.adjusted_budget": "年度资金总额: 全年预算数",
    "funds.total.executed": "年度资金总额: 全年执行数",
    "funds.current_year.initial_budget": "当年财政拨款: 年初预算数",
    "funds.current_year.adjusted_budget": "当年财政拨款: 全年预算数",
    "funds.current_year.executed": "当年财政拨款: 全年执行数",
    "funds.carryover.initial_budget": "上年结转资金: 年初预算数",
    "funds.carryover.adjusted_budget": "上年结转资金: 全年预算数",
    "funds.carryover.executed": "上年结转资金: 全年执行数",
    "funds.other.initial_budget": "其他资金: 年初预算数",
    "funds.other.adjusted_budget": "其他资金: 全年预算数",
    "funds.other.executed": "其他资金: 全年执行数",
    "goal_planned": "年度总体目标: 预期目标 (text as printed)",
    "goal_achieved": "年度总体目标: 实际完成情况 (text as printed)",
    "total_score": "总分 (the 得分 of the 总分 row)",
    "budget_amount": "年度预算金额 stated in the text of a 项目支出绩效自评报告",
    "project_self_eval:execution_rate": "the funds row's 执行率, percent without the % sign",
    # transfer_self_eval
    "program_name": "资金名称 / 项目名称 of the transfer payment",
    "allocated_amount": "下达资金 / 预算下达数",
    "annual_goal": "年度目标 (text as printed)",
    "transfer_self_eval:executed_amount": "执行数 / 实际支出 (of the transfer payment)",
    "transfer_self_eval:execution_rate": "执行率, percent without the % sign",
}

PERCENT_FIELDS = frozenset({"execution_rate"})
COUNT_FIELDS = frozenset(
    {
        "authorized_staff",
        "actual_staff",
        "retired_staff",
        "funds_weight",
        "funds_score",
        "self_score",
        "total_score",
    }
)

INDICATOR_FIELDS: dict[str, str] = {
    "level1": "一级指标 (carried down from a merged cell; without a weight such as (40分))",
    "level2": "二级指标 (carried down from a merged cell)",
    "name": "三级指标 / 指标名称",
    "target": "指标值 / 年度指标值 / 预期目标, text as printed (≥95%, 按时完成)",
    "actual": "实际完成值, text as printed",
    "weight": "分值, a plain number",
    "score": "得分, a plain number",
    "note": "偏差原因 / 扣分原因 / 改进措施 when printed",
}


def describe(kind: str, path: str) -> str:
    return DESCRIPTIONS.get(f"{kind}:{path}") or DESCRIPTIONS.get(path) or path


def unit_of(path: str) -> str:
    """万元 for amounts, % for rates, 个 for counts and scores (only amounts may be converted from 元)."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf in PERCENT_FIELDS:
        return "%"
    if leaf in COUNT_FIELDS:
        return "个"
    return "万元"


def labels_of(kind: str, path: str) -> tuple[tuple[str, ...], ...]:
    """The label groups a number for `path` must be printed under (`vocab.llm_labels`); () for none."""
    from extractor.vocab.llm_labels import FIELD_LABELS

    return FIELD_LABELS.get(f"{kind}:{path}") or FIELD_LABELS.get(path) or ()


def indicator_column(key: str) -> tuple[str, ...]:
    """The header words of an indicator's weight / score column (`vocab.llm_labels`); () for others."""
    from extractor.vocab.llm_labels import INDICATOR_COLUMNS

    return INDICATOR_COLUMNS.get(key, ())
