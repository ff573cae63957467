"""部门决算 wording the checkers read: which tables print the same rows, which table a
narrative section explains, and which table cell a narrative phrase restates.
Plain data; see extractor/check/rows.py and narrative_tables.py."""

from __future__ import annotations

# Tables that print the same class rows for the same money: (scope, [(table id, side, value
# column candidates, first found wins)]). 01's expenditure side and 03 cover all funds; 04's
# 一般公共预算 column and 05 cover the general-budget appropriation.
SAME_ROWS: tuple[tuple[str, tuple[tuple[str, str | None, tuple[str, ...]], ...]], ...] = (
    (
        "all funds",
        (
            ("01", "支出", ("决算数", "金额", "合计")),
            ("03", None, ("本年支出合计", "合计")),
        ),
    ),
    (
        "general-budget appropriation",
        (
            ("04", "支出", ("一般公共预算财政拨款", "一般公共预算", "小计", "合计")),
            ("05", None, ("合计", "本年支出/小计", "本年支出/合计", "小计")),
        ),
    ),
)

# Rows whose value is a total of the rows around them (a blank total with non-zero parts is an error).
TOTAL_ROWS = ("合计", "总计", "本年收入合计", "本年支出合计")

# Narrative section headings → the table they explain, most specific first.
SECTION_TABLES: tuple[tuple[str, str], ...] = (
    ("一般公共预算财政拨款基本支出", "06"),
    ("一般公共预算财政拨款支出", "05"),
    ("财政拨款收入支出", "04"),
    ("政府性基金", "07"),
    ("国有资本经营", "08"),
    ("三公", "09"),
    ("收入支出决算总体", "01"),
    ("收入决算", "02"),
    ("支出决算", "03"),
)

# A cell: (table id, row name candidates, side or None, column words that must all occur in the column).
Cell = tuple[str, tuple[str, ...], str | None, tuple[str, ...]]

# Phrases that restate a table cell, immediately before the amount (then 为/是/共计… and the
# number): (phrase regex, the cells it may restate; the statement passes when one agrees).
NARRATIVE_CELLS: tuple[tuple[str, tuple[Cell, ...]], ...] = (
    (
        r"财政拨款(?:收入支出|收、?支)总计",
        (("04", ("总计",), "收入", ()), ("04", ("总计",), "支出", ("合计",))),
    ),
    (r"(?<!拨款)(?:收入支出|收、?支)总计", (("01", ("总计",), "收入", ()), ("01", ("总计",), "支出", ()))),
    (r"本年收入合计", (("01", ("本年收入合计",), "收入", ()), ("02", ("合计",), None, ("本年收入合计",)))),
    (r"本年支出合计", (("01", ("本年支出合计",), "支出", ()), ("03", ("合计",), None, ("本年支出合计",)))),
    (r"一般公共预算财政拨款基本支出", (("05", ("合计",), None, ("基本支出",)),)),
    (r"一般公共预算财政拨款项目支出", (("05", ("合计",), None, ("项目支出",)),)),
    (
        r"一般公共预算财政拨款支出(?:决算)?",
        (("05", ("合计",), None, ("合计",)), ("05", ("合计",), None, ("小计",))),
    ),
    (
        r"(?:^|[，,：:；;])\s*基本支出",
        (("03", ("合计",), None, ("基本支出",)), ("05", ("合计",), None, ("基本支出",))),
    ),
    (
        r"(?:^|[，,：:；;])\s*项目支出",
        (("03", ("合计",), None, ("项目支出",)), ("05", ("合计",), None, ("项目支出",))),
    ),
    (r"人员经费", (("06", ("人员经费合计",), None, ()),)),
    (r"公用经费", (("06", ("公用经费合计",), None, ()),)),
    (r"(?:^|[，,：:；;])\s*财政拨款收入", (("02", ("合计",), None, ("财政拨款收入",)),)),
)
CONNECTOR = r"\s*(?:为|是|共计|合计|总计|达)?\s*$"

# The “三公” items a narrative names, and the 09 column words of each.
THREE_PUBLIC_SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"三公”?\s*经费", ("合计",)),
    (r"因公出国[（(]境[）)]费", ("因公出国",)),
    (r"公务用车购置(?:费)?及运行(?:维护)?费", ("公务用车购置及运行", "小计")),
    (r"公务用车购置(?!费?及)(?:费)?", ("公务用车购置费",)),
    (r"(?<!及)公务用车运行(?:维护)?(?:费)?", ("公务用车运行",)),
    (r"公务接待费", ("公务接待",)),
)
# What the amount right after a 三公 subject is: (regex before the number, 09 column word).
THREE_PUBLIC_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    (r"(?:年初)?预算(?:数)?(?:为|是)?\s*$", "预算"),
    (r"(?:支出)?决算(?:数)?(?:为|是)?\s*$", "决算"),
)

# 类/款/项 as the narrative names them: `社会保障和就业支出（类）行政事业单位养老支出（款）…（项）`.
LEVEL_MARK = r"([^，。；：:、（(）)“”\d%％;,.]{2,30})[（(](类|款|项)[）)]"

# The standard tables by their usual title (for messages; matching uses final_account.STANDARD_TABLES).
STANDARD_TITLES: dict[str, str] = {
    "01": "收入支出决算总表",
    "02": "收入决算表",
    "03": "支出决算表",
    "04": "财政拨款收入支出决算总表",
    "05": "一般公共预算财政拨款支出决算表",
    "06": "一般公共预算财政拨款基本支出决算表",
    "07": "政府性基金预算财政拨款收入支出决算表",
    "08": "国有资本经营预算财政拨款收入支出决算表",
    "09": "财政拨款“三公”经费支出决算表",
}

# Splits a narrative states in full after 其中: the parts' words, every one of them present,
# make the whole (货物 + 工程 + 服务 = 政府采购). (parts' words, what the whole is).
EXHAUSTIVE_SPLITS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("货物", "工程", "服务"), "政府采购"),
    (("人员经费", "公用经费"), "基本支出"),
    (("基本支出", "项目支出"), "支出"),
    (("因公出国", "公务用车", "公务接待"), "“三公”经费"),
)
# Numbered item lists (`1、…年初预算为 A 万元，支出决算为 B 万元`) whose items add up to the
# amount stated before the list: the attributes summed.
LIST_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    (r"年初预算(?:数)?为", "年初预算"),
    (r"(?:支出)?决算(?:数)?为", "决算"),
)
