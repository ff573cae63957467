"""转移支付绩效自评报告 wording: a short prose report about one transfer-payment fund.

Its indicators are usually stated only in prose: the targets listed in the goal section
(`数量指标：参保人数≥55万人；…`), the actual values in the completion section
(`参保人数达到56.3万人`). Level names and the comparison words live here.
"""

from __future__ import annotations

PROGRAM_LABELS = ("资金名称", "项目名称", "专项名称", "转移支付名称")
"""Form cells or `label：` lines naming the fund."""

TITLE_TAIL = r"(?:项目)?(?:整体)?(?:绩效)?自评(?:报告|表)$"
"""Cut from the title to leave the fund's name (`…补助资金绩效自评报告`)."""
TITLE_HEAD = r"^.*?(?:19|20)\d{2}\s*年度?"
"""Cut from the title: the place and the year before the fund's name."""

ALLOCATED = (
    r"下达[^。；，,]{0,40}?{NUM}\s*万元",
    r"(?:预算|资金)(?:总额|规模|安排)(?:为|共)?\s*{NUM}\s*万元",
)
EXECUTED = (
    r"(?:实际支出|已支出|累计支出|实际使用|已使用|共支出|执行金额|执行数|已拨付|实际拨付)(?:资金)?(?:为|共)?\s*{NUM}\s*万元",
)
RATE = r"执行率(?:为|达|达到)?\s*(\d+(?:\.\d+)?)\s*%"

GOAL_LABEL = r"(?:年度(?:绩效|总体)?目标|绩效目标|总体目标)(?:为|是)?[:：]\s*"
"""`年度目标：…。` — the annual goal is the first sentence after it."""
GOAL_HEADINGS = ("绩效目标", "年度目标", "目标设定", "总体目标")
COMPLETION_HEADINGS = ("完成情况", "实现情况", "目标完成", "目标实现", "绩效表现", "取得的成效", "实施效果")

LEVEL1 = r"(产出|效益|成本|满意度)指标"
LEVEL2 = (
    r"(数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|"
    r"可持续影响|服务对象满意度|满意度)指标"
)
COMPARATORS = r"≥|≤|＞|＜|>|<|=|＝|不低于|不少于|不高于|不超过|高于|低于|达到|达|为"
ACTUAL_VERBS = r"(?:实际)?(?:达到|达|为|完成|实现|是)?"

TITLE = r"(?:转移支付|补助资金|补助经费|奖补资金|中央直达).*绩效自评(?:报告|表)$"
"""A transfer-payment report's title: most name the fund (`…补助资金绩效自评报告`), not 转移支付."""
