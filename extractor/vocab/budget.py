"""Wording of 部门预算 / 单位预算 (kind = "budget"), as plain data.

Provinces number and title the standard tables their own way (`公开01表`, `表一`,
`一、`, or no number at all) and name the same table differently (Jiangsu
`一般公共预算支出预算表`, Shanghai `一般公共预算支出功能分类预算表`), so a table is
recognised by the words of its title. Supporting another province's phrasing is
an edit here.
"""

from __future__ import annotations

# --- Report titles --------------------------------------------------------------------------

TITLE_PATTERN = r"(?:(?:部门|单位)预算(?:公开)?(?:报表|报告|表|情况)?|预算公开(?:报表|报告)?)$"
"""The end of a budget report's title (`…2017年度部门预算公开`, `…2024年单位预算`, `…部门预算公开报表`,
`2018年度江苏省高级人民法院预算公开`)."""

TITLE_NEEDS = (r"(?:19|20)\d{2}\s*年", r"预算公开")
"""A title also names its year or says 预算公开 (a heading `一、部门预算` alone is no title)."""

SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位预算",),
    "department": ("部门预算",),
}
"""Scope from the report's title (单位预算 → unit)."""

SCOPE_LABELS: dict[str, tuple[str, ...]] = {
    "unit": ("预算单位", "编制单位", "单位名称"),
    "department": ("预算主管部门", "编制部门", "部门名称", "部门"),
}
"""Scope from the labels before the name (`预算单位：…` → unit) where the title does not say."""

# --- Department and year --------------------------------------------------------------------

DEPARTMENT_LABELS = (
    "预算主管部门",
    "预算单位",
    "编制部门",
    "编制单位",
    "部门名称",
    "单位名称",
    "部门",
)
"""Labels printed before the department's name (`编制部门：…`, `部 门:…`), most specific first."""

DEPARTMENT_STOP = r"金额单位|单位[:：]|单位\s*[:：]|日期|\d{4}年"
"""Where a label's value ends when other header text shares its line."""

TITLE_DEPARTMENT = (
    r"^(?:第[一二三四五六七八九十]+部分)?(?:(?:19|20)\d{2}\s*年度?)"
    r"(?P<dept>[\u4e00-\u9fff（）()]{2,40}?)(?:省级|市级|区级|县级)?(?:(?:部门|单位)预算|预算公开)",
    r"^(?:第[一二三四五六七八九十]+部分)?(?P<dept>[\u4e00-\u9fff（）()]{2,40}?)(?:(?:19|20)\d{2}\s*年度?)",
)
"""A department named in the title after or before its year (`2017年度江苏省高级人民法院部门预算`,
`江苏省高级人民法院2017年度部门预算`)."""

YEAR = r"((?:19|20)\d{2})\s*年"

# --- Tables: canonical id by title (most specific first) --------------------------------------

TABLE_TITLES: list[tuple[str | None, tuple[str, ...], tuple[str, ...]]] = [
    # (canonical id or None for a table that is none of them, words all required, words excluded)
    ("three_public", ("三公",), ()),
    ("procurement", ("政府采购",), ()),
    ("project_goals", ("绩效目标",), ()),
    ("project_goals", ("项目支出", "绩效"), ()),
    ("operating_funds", ("机关运行经费",), ()),
    ("state_capital_expenditure", ("国有资本经营", "支出"), ("收支",)),
    ("gov_fund_expenditure", ("政府性基金", "支出"), ("收支",)),
    ("general_budget_basic", ("一般公共预算", "基本支出"), ()),
    ("general_budget_expenditure", ("一般公共预算", "支出"), ("收支",)),
    ("appropriation_summary", ("财政拨款", "收支"), ()),
    # 财政拨款支出预算表 / 财政拨款基本支出预算表 (Jiangsu 五/六): not one of the canonical tables.
    (None, ("财政拨款", "支出"), ()),
    # 总表 (Jiangsu, Shanghai) or 总体情况表 (Beijing, Guangdong …).
    ("income_expenditure_summary", ("收支", "总"), ()),
    ("income", ("收入", "总"), ()),
    ("expenditure", ("支出", "总"), ()),
]
TABLE_TITLE_ENDS = r"(?:预算|收支|收入|支出|经费|采购|目标)[^。；，,]{0,12}表(?:[（(][^）)]{1,12}[）)])?$"
"""A line is a table title when it ends like one (`…预算表`, `…总表`, `…预算表（经济科目）`)."""

TABLE_NUMBER = (
    r"^(?:公开\s*\d{1,2}\s*表[:：]?|(?:附)?表\s*(?:十[一二]?|[一二三四五六七八九]|\d{1,2}(?:[-－]\d{1,2})?)[:：]?|"
    r"[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．])"
)
"""Number labels before a title, removed from the printed title (`公开01表：`, `表一`, `十一、`, `1.`)."""

TABLE_NUMBER_ONLY = (
    r"^(?:公开\s*\d{1,2}\s*表|(?:附)?表\s*(?:十[一二]?|[一二三四五六七八九]|\d{1,2}(?:[-－]\d{1,2})?))$"
)

NOT_BUDGET_TABLE = ("决算", "自评")
"""Words of another kind's table titles (收入支出决算总表 is a 决算 table, not a budget's 收入总表)."""

MAX_TITLE_CHARS = 60
HEADER_LINE = r"^(?:部\s*门|单\s*位|编制部门|编制单位|部门名称|单位名称|预算单位|金额单位)\s*[:：]"
"""The `部门：…` / `单位：万元` lines between a title and its table."""

UNIT = r"单\s*位\s*[:：]\s*(万元|元)"

# --- Empty tables ---------------------------------------------------------------------------

EMPTY_NOTE = (
    r"^(?:注|说明)?\s*[:：]?\s*[(（]?[^。]{0,40}(?:无|没有)[^。]{0,60}?(?:[。)）]|$)"
    r"|故本表为空表|本表为空|本表无数据"
)
"""A note saying a table is empty (`注：本单位2024年无政府性基金预算…故本表为空表。`, `（无政府性基金支出）`)."""

EMPTY_NOTE_MAX_CHARS = 80
NOTE_LABEL = r"^(?:注|说明)\s*[:：]\s*"
"""The label an empty-table note starts with, not part of the note (`注：本部门无…` → `本部门无…`)."""

# --- Structural columns ---------------------------------------------------------------------

CODE_HEADERS = ("编码", "代码")
CODE_PARTS = ("类", "款", "项")
NAME_HEADERS = ("科目名称", "项目名称", "项目", "名称", "功能科目名称")
LINE_HEADERS = ("行次", "栏次", "序号")

QUOTED_TERMS = ("三公",)
"""Terms printed in quotes (`“三公”经费`); a text layer may put both quote marks first (`“”三公经费`)."""

SIDE_WORDS: list[tuple[str, str]] = [("收入", "收入"), ("支出", "支出")]
"""Two-sided tables: a side heading containing 收入 / 支出 (`本年收入`, `财政拨款支出`) names the side."""

AMOUNT_COLUMNS = ("合计", "总计", "金额", "预算数", "预算金额", "小计")
"""Column headings that hold a row's amount when a table prints several value columns."""

TOTAL_LABELS = ("合计", "总计", "小计", "收入总计", "支出总计", "收入合计", "支出合计")

# --- Key figures ----------------------------------------------------------------------------

# (key figure, table id, side or None, row labels (ordinal removed), column words; "" = the only column)
TABLE_FIGURES: list[tuple[str, str, str | None, tuple[str, ...], tuple[str, ...]]] = [
    ("income_total", "income_expenditure_summary", "收入", ("收入总计", "收入合计", "收入预算合计"), ()),
    ("expenditure_total", "income_expenditure_summary", "支出", ("支出总计", "支出合计", "支出预算合计"), ()),
    ("fiscal_appropriation_income", "income_expenditure_summary", "收入", ("财政拨款收入", "财政拨款"), ()),
    (
        "general_budget_appropriation_income",
        "income_expenditure_summary",
        "收入",
        ("一般公共预算资金", "一般公共预算", "一般公共预算拨款"),
        (),
    ),
    (
        "gov_fund_appropriation_income",
        "income_expenditure_summary",
        "收入",
        ("政府性基金", "政府性基金预算"),
        (),
    ),
    (
        "state_capital_appropriation_income",
        "income_expenditure_summary",
        "收入",
        ("国有资本经营预算", "国有资本经营预算资金"),
        (),
    ),
    ("business_income", "income_expenditure_summary", "收入", ("事业收入",), ()),
    ("operating_income", "income_expenditure_summary", "收入", ("事业单位经营收入", "经营收入"), ()),
    ("other_income", "income_expenditure_summary", "收入", ("其他收入", "其他资金"), ()),
    ("carryover", "income_expenditure_summary", "收入", ("上年结转", "上年结转和结余", "上年结转资金"), ()),
    ("basic_expenditure", "expenditure", None, ("合计", "总计", ""), ("基本支出",)),
    ("project_expenditure", "expenditure", None, ("合计", "总计", ""), ("项目支出",)),
    ("basic_expenditure", "income_expenditure_summary", "支出", ("基本支出",), ()),
    ("project_expenditure", "income_expenditure_summary", "支出", ("项目支出",), ()),
    ("personnel_expenses", "income_expenditure_summary", "支出", ("支出总计", "支出合计"), ("人员经费",)),
    ("public_expenses", "income_expenditure_summary", "支出", ("支出总计", "支出合计"), ("公用经费",)),
    ("personnel_expenses", "general_budget_basic", None, ("合计", "总计"), ("人员经费",)),
    ("public_expenses", "general_budget_basic", None, ("合计", "总计"), ("公用经费",)),
    ("operating_funds", "operating_funds", None, ("合计", "总计"), ()),
    ("procurement_total", "procurement", None, ("合计", "总计"), ()),
]

# The 三公 table's columns (one printed line): key figure ← words of the column's own heading
# (its last path part), words that heading must not hold, words of the group heading above it.
THREE_PUBLIC_COLUMNS: list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    ("overseas_budget", ("出国",), (), ()),
    ("reception_budget", ("接待",), (), ()),
    ("vehicle_purchase_budget", ("购置",), ("运行",), ("公务用车",)),
    ("vehicle_operation_budget", ("运行",), ("购置", "机关"), ()),
    ("vehicle_budget", ("小计",), (), ("公务用车",)),
    ("vehicle_budget", ("购置及运行",), (), ()),
    ("three_public_budget", ("小计",), (), ("三公",)),
    ("three_public_budget", ("合计",), (), ("三公",)),
    ("operating_funds", ("机关运行经费",), (), ()),
]
THREE_PUBLIC_TOTAL_WHEN_ONLY_THREE = "合计"
"""A 三公 table with no other expense groups (会议费/培训费) has its 三公 total in the bare 合计 column."""
OTHER_EXPENSE_COLUMNS = ("会议费", "培训费")

NUM = r"(-?\d[\d,，]*(?:\.\d+)?)"
# Narrative sentences, used only where the tables leave a key figure empty (amounts in 万元).
NARRATIVE_FIGURES: list[tuple[str, str]] = [
    ("income_total", rf"收入预算(?:总计|合计)?为?\s*{NUM}\s*万元"),
    ("expenditure_total", rf"支出预算(?:总计|合计)?为?\s*{NUM}\s*万元"),
    (
        "fiscal_appropriation_income",
        rf"财政拨款(?:（补助）|\(补助\))?收入(?:预算)?(?:总计)?为?\s*{NUM}\s*万元",
    ),
    ("general_budget_appropriation_income", rf"一般公共预算(?:财政拨款)?收入(?:预算)?为?\s*{NUM}\s*万元"),
    # 财政拨款 income of a source = its 拨款支出 (the 财政拨款收支总表 balances per source), so a
    # narrative that states only the 支出 side (`政府性基金拨款支出预算0.00万元`) states the income too.
    (
        "gov_fund_appropriation_income",
        rf"政府性基金(?:预算)?(?:财政拨款)?(?:收入|拨款支出)(?:预算)?为?\s*{NUM}\s*万元",
    ),
    (
        "state_capital_appropriation_income",
        rf"国有资本经营预算(?:财政拨款)?(?:收入|拨款支出)(?:预算)?为?\s*{NUM}\s*万元",
    ),
    ("business_income", rf"(?<!单位)事业收入(?:预算)?为?\s*{NUM}\s*万元"),
    ("operating_income", rf"事业单位经营收入(?:预算)?为?\s*{NUM}\s*万元"),
    ("other_income", rf"其他(?:收入|资金)(?:收入)?(?:预算)?(?:总计)?为?\s*{NUM}\s*万元"),
    ("carryover", rf"上年结转(?:和结余)?(?:资金)?(?:预算数?)?为?\s*{NUM}\s*万元"),
    ("basic_expenditure", rf"基本支出(?:预算数?)?为?\s*{NUM}\s*万元"),
    ("project_expenditure", rf"项目支出(?:预算数?)?为?\s*{NUM}\s*万元"),
    ("personnel_expenses", rf"人员经费(?:预算)?为?\s*{NUM}\s*万元"),
    ("public_expenses", rf"公用经费(?:预算)?为?\s*{NUM}\s*万元"),
    ("three_public_budget", rf"[“\"]?三公[”\"]?经费(?:财政拨款)?(?:支出)?预算(?:数|安排)?为?\s*{NUM}\s*万元"),
    ("overseas_budget", rf"因公出国\s*[（(]境[)）]\s*费(?:预算)?(?:支出)?为?\s*{NUM}\s*万元"),
    ("reception_budget", rf"公务接待费(?:预算)?(?:支出)?为?\s*{NUM}\s*万元"),
    ("vehicle_budget", rf"公务用车购置及运行(?:维护)?费(?:预算)?(?:支出)?为?\s*{NUM}\s*万元"),
    ("vehicle_purchase_budget", rf"公务用车购置(?:费)?(?:预算)?(?:支出)?数?为?\s*{NUM}\s*万元"),
    ("vehicle_operation_budget", rf"公务用车运行(?:维护)?费(?:预算)?(?:支出)?为?\s*{NUM}\s*万元"),
    ("operating_funds", rf"(?:一般公共预算)?机关运行经费(?:预算)?(?:支出)?(?:预算)?为?\s*{NUM}\s*万元"),
    ("procurement_total", rf"政府采购(?:支出)?(?:预算)?(?:总金额|总额)?(?:合计)?为?\s*{NUM}\s*万元"),
]

# --- Narrative claims the checks recompute --------------------------------------------------

CHANGE_WORDS = {"增加": 1, "增长": 1, "上升": 1, "增幅": 1, "减少": -1, "下降": -1, "降低": -1, "降幅": -1}
CHANGE_CLAIM = (
    rf"{NUM}\s*万元[^。；]{{0,40}}?(?:比|较|与)\s*(?:上年|(?:19|20)\d{{2}}\s*年)[^。；\d]{{0,16}}?"
    r"(增加|减少|增长|下降|上升|降低)了?\s*"
    rf"(?:{NUM}\s*万元[，,、]?\s*(?:增加|减少|增长|下降|上升|降低|降幅|增幅)?(?:了|为)?\s*)?{NUM}\s*[%％]"
)
"""`X万元，比2025年预算执行数增加A万元，增长P%` / `…与上年相比增加A万元，增长P%`: P = A / (X ∓ A)."""

CHANGE_NEXT_SENTENCE = (
    rf"{NUM}\s*万元[^。；\d]{{0,80}}?[。，,]\s*(?:与上年相比|比上年|较上年)[，,]?\s*(增加|减少)了?\s*{NUM}\s*万元[，,、]\s*"
    rf"(?:增长|下降|上升|降低|减少|增加|降幅|增幅)(?:了|为)?\s*{NUM}\s*[%％]"
)
"""`…支出13656.34万元，主要用于…。与上年相比增加309.03万元，增长2.31%` — the year-on-year clause
follows the amount's own sentence (the amount's clause names no other number)."""

PREVIOUS_CLAIM = (
    rf"(?:上年|(?:19|20)\d{{2}}\s*年)[^。；\d]{{0,12}}?(?:预算)?执行数为\s*{NUM}\s*万元[^。；]{{0,24}}?"
    rf"(?:19|20)\d{{2}}\s*年预算安排\s*{NUM}\s*万元[^。；]{{0,30}}?(增加|减少|增长|下降|上升|降低)了?\s*"
    rf"(?:{NUM}\s*万元[，,、]?\s*(?:增加|减少|增长|下降|上升|降低|降幅|增幅)?(?:了|为)?\s*)?{NUM}\s*[%％]"
)
"""`2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，比2023年预算执行数减少0.76万元，下降1.39%`."""

NAMED_SHARE_CLAIM = (
    rf"{NUM}\s*万元[，,]?\s*(?:\S{{0,2}})?占(?:比)?\s*([^的，。；\d]{{1,10}})的\s*{NUM}\s*[%％]"
)
"""`因公出国（境）费支出110万元，占“三公”经费的18.85%` — a share of a named total."""

SHARE_BASES = {
    "三公经费": "three_public_budget",
    "三公经费预算": "three_public_budget",
    "本年支出合计": "expenditure_total",
    "支出合计": "expenditure_total",
    "支出预算": "expenditure_total",
    "本年收入合计": "income_total",
    "收入合计": "income_total",
    "收入预算": "income_total",
    "基本支出": "basic_expenditure",
    "项目支出": "project_expenditure",
}
"""The key figure a named share is of (quotes removed from the name)."""

NARRATIVE_SUBJECT_BEFORE = (
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=本年)|(?<=其中)|(?<=年度)|(?<=\d年)|(?<=\d 年)"
    r"|(?<=[院局办厅处会部门位委心所站馆队室]))"
)
"""A total's label in the narrative opens its clause or follows the department's name (`…法院本年
收入预算`), never another word (`财政拨款收入预算`, `基本支出预算` are other amounts)."""

NARRATIVE_NOT_AFTER = r"(?:比|较|与)(?:上年|\d{4}年)|增加|减少|增长|下降|执行数"
"""An amount right after these words is a change or last year's figure, not this budget's."""

# Narrative amounts compared with the key figure they state (label pattern → key figure).
NARRATIVE_VS_TABLE: list[tuple[str, str]] = [
    ("income_total", rf"收入预算(?:总计|合计)?为?\s*{NUM}\s*万元"),
    ("expenditure_total", rf"支出预算(?:总计|合计)?为?\s*{NUM}\s*万元"),
    ("basic_expenditure", rf"基本支出(?:预算数?)?为?\s*{NUM}\s*万元"),
    ("project_expenditure", rf"项目支出(?:预算数?)?为?\s*{NUM}\s*万元"),
    ("three_public_budget", rf"[“\"]?三公[”\"]?经费(?:财政拨款)?(?:支出)?预算(?:数|安排)?为?\s*{NUM}\s*万元"),
    ("operating_funds", rf"机关运行经费(?:预算)?(?:支出)?(?:预算)?为?\s*{NUM}\s*万元"),
]

LIST_INTRO = r"财政拨款支出(?:预算)?(?:的)?主要内容如下"
"""A narrative that lists every 财政拨款 item (类/款/项 with its amount) under this line."""
LIST_ITEM = rf"^\s*\d+\s*[.．、]\s*[“\"]?[^”\"]*（项）[”\"]?\s*{NUM}\s*万元"
"""`1. “一般公共服务支出（类）…（项）”25.77万元，…` — one listed item and its amount."""

SHARE_LIST_INTRO = rf"{NUM}\s*万元[，,。]?\s*其中\s*[:：]\s*$"
"""`本年支出预算合计21,955.35万元，其中：` — the whole of the shares listed in the next paragraphs."""
SHARE_LIST_ITEM = rf"^[^。；\d]{{0,30}}?(?P<claim>{NUM}\s*万元[，,]\s*占\s*{NUM}\s*[%％])"
"""`单位预留机动经费2,388.04万元，占10.87%；` — one listed share (no other amount before it);
the claim itself in group `claim`."""

# --- 项目绩效目标 forms -----------------------------------------------------------------------

GOAL_FORMS_CLAIM = (
    r"编报绩效目标的项目(?:共)?\s*(\d+)\s*个[，,]\s*涉及项目预算资金\s*" + NUM + r"\s*万元"
    r"|(?:共)?\s*(\d+)\s*个项目实行绩效目标管理[，,]\s*涉及财政性资金(?:合计)?\s*" + NUM + r"\s*万元"
)
"""The narrative's count and total of the projects with a 绩效目标 form (Shanghai and Jiangsu wording)."""
GOAL_FORM_TOTAL_LABELS = ("项目资金总额",)
"""The label of a 绩效目标填报表's total funds, the amount printed right of it."""
