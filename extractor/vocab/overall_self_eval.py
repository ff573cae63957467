"""部门整体支出绩效自评报告 wording: the sentences that state its scalar fields.

Each entry is (field, regex with one group for the value, how to parse it, a word whose
presence in the sentence disqualifies it, a pattern the text just before must not match).
Entries for one field are tried in order; a value read from a table always wins.
`{NUM}` is an amount, `{INT}` a count; amounts may be followed by 万元 or 元.
"""

from __future__ import annotations

STAFF_VERB = r"(?:为|共|共有|有|达)?\s*"

SENTENCES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    (
        "authorized_staff",
        r"(?:核定|批复|核定行政|核定事业)?编制(?:数|人数)?" + STAFF_VERB + r"{INT}\s*[人名]",
        "count",
        None,
        None,
    ),
    (
        "actual_staff",
        r"(?:实有|实际有|在职在编|实际在职|在职|在编在岗|现有在职|现有)(?:人员|人数|职工|干部职工)?(?:数)?"
        + STAFF_VERB
        + r"{INT}\s*[人名]",
        "count",
        None,
        None,
    ),
    (
        "retired_staff",
        r"(?:离)?退休(?:人员|职工|干部)?(?:人数)?" + STAFF_VERB + r"{INT}\s*[人名]",
        "count",
        None,
        None,
    ),
    (
        "total_expenditure",
        r"(?:总支出|支出总额|全年总支出|本年支出合计|本年度支出|全年支出|共支出|累计支出)(?:为|共计|合计|总计|达)?\s*{NUM}\s*万元",
        "amount",
        None,
        None,
    ),
    ("basic_expenditure", r"基本支出(?:为|共计)?\s*{NUM}\s*万元", "amount", None, "预算"),
    ("project_expenditure", r"项目支出(?:为|共计)?\s*{NUM}\s*万元", "amount", None, "预算"),
    ("personnel_expenditure", r"人员(?:经费|支出)(?:为|共计)?\s*{NUM}\s*万元", "amount", None, None),
    ("public_expenditure", r"(?:公用经费|日常公用支出)[^\d。，,]{0,12}?{NUM}\s*万元", "amount", None, None),
    ("personnel_expenditure", r"工资福利支出\s*{NUM}\s*万元", "amount", "占比", None),
    ("public_expenditure", r"商品和服务支出\s*{NUM}\s*万元", "amount", "占比", None),
    # Department-wide only: `基本支出年初预算数为815.5万元` is the basic expenditure's budget.
    (
        "initial_budget",
        r"(?:部门)?年初预算(?:数|总额)?为?\s*{NUM}\s*万元",
        "amount",
        r"(?:基本|项目)支出\S{0,4}预算",
        None,
    ),
    (
        "adjusted_budget",
        r"(?:全年预算|调整后预算)(?:数|总额)?为?\s*{NUM}\s*万元",
        "amount",
        r"(?:基本|项目)支出\S{0,4}预算",
        None,
    ),
    (
        "three_public_total",
        r"[“\"]?三公[”\"]?经费(?:支出)?(?:为|共计|合计)?\s*{NUM}\s*万元",
        "amount",
        None,
        None,
    ),
    ("self_score", r"(?:自评|综合|评价|最终)?得分(?:为)?\s*(\d+(?:\.\d+)?)\s*分", "count", None, None),
)

GRADE = (
    r"(?:自评|评价|绩效)?(?:等级|等次|结果|级别)(?:为|是|[:：])?\s*[“\"]?"
    r"(优秀|良好|合格|不合格|优|良|中|差|一般|较差)[”\"]?(?:等级|等次|级)?"
)
"""The grade stated in prose (`自评等级为“优”`, `评价结果为良好`)."""

REPORT_DATE_LABEL = r"(?:报告|填报|编制|评价)(?:日期|时间)[:：]?\s*"
"""A labelled date line; an unlabelled date standing alone on a line counts too."""

FORM_LABELS = ("市级预算部门名称", "预算部门名称", "部门名称", "单位名称", "主管部门")
"""Form cells naming the department."""

TITLE = r"(?:部门|单位)?整体支出绩效(?:自评|评价)(?:报告|表)$"
