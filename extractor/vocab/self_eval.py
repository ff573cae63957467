"""绩效自评 wording shared by the three self-evaluation kinds (整体 / 项目 / 转移支付):
the 自评表 form (its header cells and row labels) and the report titles.

Header cells are matched after whitespace is removed and a trailing weight or unit in
brackets is dropped (`分值（分）`, `年初预算数（万元）`), so only the words live here.
"""

from __future__ import annotations

# The indicator table: field → header texts seen across provinces.
INDICATOR_HEADERS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    # Not 绩效指标: forms print it as the row label in front of the whole indicator block.
    "name": ("三级指标", "指标名称", "具体指标"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "计划指标值", "预期目标值"),
    "actual": ("实际完成值", "实际完成指标值", "实际值", "完成值", "全年实际值"),
    "weight": ("分值", "权重", "指标分值", "标准分值"),
    "score": ("得分", "自评得分", "评分", "实际得分"),
}
NOTE_HEADERS = ("偏差原因", "扣分原因", "未完成原因", "原因分析", "偏差原因分析")
"""A note column's header starts with one of these (`偏差原因分析及改进措施`)."""

INDICATOR_WEIGHT = r"\s*(?:[（(]\s*\d+(?:\.\d+)?\s*分?\s*[)）]|\d+(?:\.\d+)?\s*分)\s*$"
"""The weight printed after a level name (`产出指标 (40分)`, `预算配置（15分）`, `效益指标30分`)."""

TOTAL_ROW = ("总分", "总计", "合计得分", "自评总分")

# The funds block (年度资金总额 …): column and row labels.
FUNDS_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初预算数", "年初预算", "年初预算金额"),
    "adjusted_budget": ("全年预算数", "全年预算", "调整后预算数", "调整预算数", "全年预算金额"),
    "executed": ("全年执行数", "执行数", "实际执行数", "实际支出数", "全年实际支出"),
    "weight": ("分值",),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}
FUNDS_ROWS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "资金总额", "项目资金总额"),
    "current_year": ("当年财政拨款", "本年财政拨款"),
    "carryover": ("上年结转资金", "上年结转", "结转资金"),
    "other": ("其他资金",),
}
GOAL_HEADERS = (("预期目标", "年度目标", "总体目标"), ("实际完成情况", "目标完成情况", "实际完成"))
"""The goals row: (planned header words, achieved header words)."""

# Numbered lists in the narrative.
PROBLEM_HEADINGS = ("存在的问题", "存在问题", "主要问题", "问题及原因", "问题和不足", "不足之处")
MEASURE_HEADINGS = ("改进措施", "整改措施", "改进建议", "有关建议", "下一步", "改进方向", "工作打算")
AFTER_MEASURES = ("自评结果", "其他需要说明", "结果应用", "附件")

PROJECT_TITLE = r"项目(?:支出)?绩效自评(?:报告|表)$"
"""A 项目支出绩效自评表/报告's title (the overall and transfer kinds have their own)."""
