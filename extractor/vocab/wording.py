"""Wording an auditor reads for, whatever the report kind: template leftovers, comparison
and direction words, year phrases, punctuation. Plain data (regular expressions)."""

from __future__ import annotations

# Placeholders of a blank template, never a real name or number: (pattern, what it is).
PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    (r"(?<![A-Za-z])[XＸx]{2,}(?![A-Za-z])", "placeholder XX"),
    (r"[×＊*]{2,}", "placeholder ××"),
    (r"某某", "placeholder 某某"),
    (r"【[^】\d]{1,30}】", "bracketed placeholder 【…】"),  # not a document number (沪府规【2016】168号)
    (r"[（(](?:单位|部门|预算单位|主管部门)名称[）)]", "placeholder （单位名称）"),
    (r"[（(](?:增加|删除|选填|可选)内容[）)]", "template instruction （增加内容）"),
)

# Instruction text of the template that should have been deleted.
INSTRUCTIONS: tuple[str, ...] = (
    r"仍保留该表格式",
    r"在本表下方作[^。]{0,6}说明",
    r"(?:请|需)(?:根据|按照)?实际情况(?:填写|填报|说明)",
    r"此处(?:填写|填报|说明)",
    r"(?:填写|填报)说明[：:]",
    r"如无此项",
    r"[（(]如[^）)]{0,20}(?:作|填|写)[^）)]{0,30}[）)]",
    r"[（(]不涉及的[^）)]{0,20}不列[）)]",
    r"[（(]按[^）)]{0,40}填写[）)]",
    r"由[^。，]{0,20}(?:根据|按照)[^。]{0,30}填写",
)

# Two opposite words printed as alternatives (`下降（增长）`): the template's choice left unmade.
ALTERNATIVES = r"(增加|减少|增长|下降|上升|降低|大于|小于|高于|低于)[（(](增加|减少|增长|下降|上升|降低|大于|小于|高于|低于)[）)]"

# A reason announced and not given: `主要原因是。`
EMPTY_REASON = r"(?:主要)?原因(?:是|为|主要是|[：:])\s*[。；]"

UP = ("增加", "增长", "上升", "提高", "大于", "高于", "超过")
DOWN = ("减少", "下降", "降低", "减小", "小于", "低于")
SAME = ("持平", "等于", "相等", "相同", "一致", "无变化", "没有变化")

# Words that make a sentence compare with another year (a previous year may then be named).
COMPARES = r"比|较|与[^。；]{0,20}相比|同比|上年|上一年|增加|减少|增长|下降|上升|降低|持平|变动|变化"

# Repeated punctuation that is never right (`。。`, `，，`); `……` and `——` are fine.
DOUBLED_PUNCTUATION = r"([。，、；：！？,;:])\s*\1|[。，；][，。；]"

# Function words that are never doubled in running text.
DOUBLED_WORDS = r"(的|了|和|及|与|在|是|为|对|将|从)\1"

# Function-classification names changed by the Ministry of Finance, with the first year of the
# new name: a report of that year or later that prints the old name kept a stale template.
RENAMED: tuple[tuple[str, str, int], ...] = (
    ("医疗卫生与计划生育支出", "卫生健康支出", 2019),
    ("文化体育与传媒支出", "文化旅游体育与传媒支出", 2019),
    ("国土海洋气象等支出", "自然资源海洋气象等支出", 2019),
    ("其他国土资源事务支出", "其他自然资源事务支出", 2019),
)

# The heading of one 项 in a narrative that explains the items one by one:
# `“城乡社区支出（类）城乡社区管理事务（款）城管执法（项）”604.34万元`, `1. 行政运行（项）支出…`.
ITEM_HEADING = (
    r"(?:(?P<cls>[\u4e00-\u9fff]{2,20})（类）)?(?:(?P<kuan>[\u4e00-\u9fff、（）()]{2,30}?)（款）)?"
    r"(?P<name>[\u4e00-\u9fff、]{2,30}?(?:（[\u4e00-\u9fff]{1,4}）[\u4e00-\u9fff、]{0,20}?)?)（项）"
)

# What the narrative says an item is for and why it changed: `主要用于…。`, `主要原因是：…。`
ITEM_CLAUSES = r"(?P<what>主要用于|主要原因(?:是|为)?[：:]?)(?P<said>[^。；]{2,80})"

# Words a template's item clause adds to the item's name (`…经费增加`, `…支出保持不变`).
ITEM_CLAUSE_FILLERS = (
    "经费",
    "资金",
    "支出",
    "增加",
    "减少",
    "增长",
    "下降",
    "持平",
    "保持不变",
    "不变",
    "的",
    "等",
)

# The level labels of a 功能分类 name in a narrative (`社会福利（款）`) and the length of the
# code each level has in the tables (201 类, 20101 款, 2010101 项).
LEVEL_LABEL = r"（(类|款|项)）"
LEVEL_CODE_LENGTH = {"类": 3, "款": 5, "项": 7}
# The name before a level label: the run of name characters that ends there.
LEVEL_NAME_TAIL = r"[\u4e00-\u9fff、]{2,30}$"

# The level of government a report states for itself on its cover (`2024年区级部门预算`), and
# a definition that names a level (`基本支出预算：是市级预算主管部门…`, `是与市级财政有经费领拨关系的部门`).
LEVEL_OF_REPORT = r"([省市区县])级(?:部门|单位)?(?:预算|决算)"
LEVEL_IN_DEFINITION = r"(?:是指|是|指)与?([省市区县])级(?:预算主管部门|预算单位|财政|部门)"
