"""Budget checks on reports built in code: the display rounding policy (rounded or truncated
passes, a last-digit slip is a warning, more is an error), multi-level row totals, the code
hierarchy, the narrative's year-on-year arithmetic, named shares and misnamed 项."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.check import run_checks
from extractor.core.types import SourceSpan
from extractor.schemas import Budget, BudgetKeyFigures, BudgetTable, Finding, TableRow


def _row(
    name: str | None, code: str | None = None, side: str | None = None, **values: str | None
) -> TableRow:
    return TableRow(
        name=name,
        code=code,
        side=side,
        values={k.replace("__", "/"): (Decimal(v) if v is not None else None) for k, v in values.items()},
    )


def _budget(tables: list[BudgetTable], **figures: str) -> Budget:
    return Budget(
        department="滨江局",
        fiscal_year=2026,
        tables=tables,
        key_figures=BudgetKeyFigures(**{k: Decimal(v) for k, v in figures.items()}),
    )


def _findings(report: Budget, *paragraphs: str) -> list[Finding]:
    spans = [SourceSpan(page=1, text=p) for p in paragraphs]
    return run_checks([report], [spans])


def _fails(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check and f.status == "fail"]


def _expenditure(total: str, basic: str, project: str, reserve: str | None = None) -> BudgetTable:
    return BudgetTable(
        id="expenditure",
        title="支出预算总表",
        columns=["合计", "基本支出", "项目支出", "单位预留机动经费"],
        rows=[_row(None, 合计=total, 基本支出=basic, 项目支出=project, 单位预留机动经费=reserve)],
    )


def test_row_total_counts_every_printed_column() -> None:
    # A Jiangsu total includes 单位预留机动经费 beside 基本支出 and 项目支出.
    ok = _findings(_budget([_expenditure("28849.38", "17123.19", "11543.27", "182.92")]))
    assert _fails(ok, "budget.row_total") == []
    assert any(f.check == "budget.row_total" and f.status == "pass" for f in ok)


def test_display_rounding_policy() -> None:
    # 元 amounts shown in 万元 with two decimals, truncated: 100.119 + 200.119 = 300.238 printed 300.23.
    truncated = _findings(_budget([_expenditure("300.23", "100.11", "200.11")]))
    assert _fails(truncated, "budget.row_total") == []
    # One more unit of the last digit: a warning, not an error.
    slip = _fails(_findings(_budget([_expenditure("300.26", "100.11", "200.11")])), "budget.row_total")
    assert [f.severity for f in slip] == ["warning"]
    # A real difference: an error.
    wrong = _fails(_findings(_budget([_expenditure("310.22", "100.11", "200.11")])), "budget.row_total")
    assert [f.severity for f in wrong] == ["error"]


def test_multi_level_header_totals() -> None:
    """预算数/合计 = 人员经费 + 公用经费 (under 基本支出, which prints no total) + 项目支出."""
    table = BudgetTable(
        id="income_expenditure_summary",
        title="财务收支预算总表",
        rows=[
            _row("收入总计", side="收入", 预算数="1212.1164"),
            _row(
                "支出总计",
                side="支出",
                预算数__合计="1212.1164",
                预算数__基本支出__人员经费="738.0214",
                预算数__基本支出__公用经费="212.0950",
                预算数__项目支出="262.0000",
            ),
        ],
    )
    findings = _findings(_budget([table]))
    assert _fails(findings, "budget.row_total") == []
    assert _fails(findings, "budget.balance") == []
    broken = table.model_copy(
        update={
            "rows": [
                table.rows[0],
                table.rows[1].model_copy(
                    update={"values": {**table.rows[1].values, "预算数/项目支出": Decimal("260")}}
                ),
            ]
        }
    )
    assert [f.severity for f in _fails(_findings(_budget([broken])), "budget.row_total")] == ["error"]
    assert _fails(_findings(_budget([broken])), "budget.balance") == []


def test_code_hierarchy() -> None:
    table = BudgetTable(
        id="general_budget_expenditure",
        title="一般公共预算支出预算表",
        columns=["金额"],
        rows=[
            _row("合计", 金额="1000.00"),
            _row("一般公共服务支出", "201", 金额="700.00"),
            _row("人大事务", "20101", 金额="700.00"),
            _row("行政运行", "2010101", 金额="500.00"),
            _row("一般行政管理事务", "2010102", 金额="200.00"),
            _row("住房保障支出", "221", 金额="300.00"),
        ],
    )
    assert _fails(_findings(_budget([table])), "budget.code_hierarchy") == []
    rows = list(table.rows)
    rows[3] = _row("行政运行", "2010101", 金额="520.00")
    fails = _fails(_findings(_budget([table.model_copy(update={"rows": rows})])), "budget.code_hierarchy")
    assert fails and all(f.severity == "error" for f in fails)
    assert "20101" in fails[0].message


def test_three_public_and_appropriation_key_figures() -> None:
    good = _budget(
        [],
        three_public_budget="670.12",
        overseas_budget="180.00",
        reception_budget="185.72",
        vehicle_budget="304.40",
        vehicle_purchase_budget="0",
        vehicle_operation_budget="304.40",
        fiscal_appropriation_income="950.12",
        general_budget_appropriation_income="950.12",
    )
    assert _fails(_findings(good), "budget.key_figures") == []
    bad = good.model_copy(
        update={"key_figures": good.key_figures.model_copy(update={"reception_budget": Decimal("228.00")})}
    )
    assert [f.severity for f in _fails(_findings(bad), "budget.key_figures")] == ["error"]


def test_narrative_year_on_year() -> None:
    report = _budget([])
    right = _findings(
        report,
        "住房改革支出（款）提租补贴（项）支出1959.99万元，与上年相比增加865.57万元，增长79.09%。",
        "2025年当年预算执行数为54.60万元，2026年预算安排53.84万元，比2025年预算执行数减少0.76万元，下降1.39%。",
    )
    assert _fails(right, "budget.prose_change") == []
    assert sum(1 for f in right if f.check == "budget.prose_change" and f.status == "pass") >= 3
    wrong = _findings(
        report,
        "住房改革支出（款）提租补贴（项）支出1959.99万元，与上年相比增加865.57万元，增长79.05%。",
        "2025年当年预算执行数为348.52万元，2026年预算安排352.67万元，比2025年预算执行数增加0.53%。",
    )
    fails = _fails(wrong, "budget.prose_change")
    assert len(fails) == 2 and all(f.severity == "error" for f in fails)
    assert fails[0].evidence["(narrative)"].text.startswith("1959.99")


def test_named_share_and_misnamed_item() -> None:
    table = BudgetTable(
        id="general_budget_expenditure",
        title="一般公共预算支出预算表",
        columns=["金额"],
        rows=[
            _row("法院", "20405", 金额="8032.89"),
            _row("行政运行", "2040501", 金额="1600.00"),
            _row("一般行政管理事务", "2040502", 金额="6432.89"),
        ],
    )
    report = _budget([table], three_public_budget="584.35")
    findings = _findings(
        report,
        "因公出国（境）费支出110.00万元，占“三公”经费的18.82%；公务接待费支出156.55万元，占“三公”经费的26.72%。",
        "法院（款）一般行政事务管理（项）支出6432.89万元。法院（款）行政运行（项）支出1600万元。",
    )
    shares = [f for f in findings if f.check == "prose.share"]
    assert [f.status for f in shares if f.status != "skipped"] == ["pass", "fail"]
    vs_table = [f for f in findings if f.check == "budget.prose_vs_table"]
    assert [(f.status, f.severity) for f in vs_table] == [("fail", "warning"), ("pass", "error")]
    assert vs_table[0].expected == "一般行政管理事务"


def test_narrative_amount_against_the_tables() -> None:
    table = BudgetTable(
        id="general_budget_expenditure",
        title="一般公共预算支出功能分类预算表",
        columns=["一般公共预算支出/合计"],
        rows=[
            _row("社会福利", "20810", 一般公共预算支出__合计="696.4796"),
            _row("社会福利事业单位", "2081005", 一般公共预算支出__合计="696.4796"),
        ],
    )
    ok = _findings(
        _budget([table]), "“社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”696.48万元"
    )
    assert [f.status for f in ok if f.check == "budget.prose_vs_table"] == ["pass"]
    bad = _findings(
        _budget([table]), "“社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元"
    )
    assert [(f.status, f.severity) for f in bad if f.check == "budget.prose_vs_table"] == [("fail", "error")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("1. 人大事务行政运行（项）支出4545.94 万元，与上年相比减少17.89 万元。", [("pass", "error")]),
        # the 款's total stated as its 项's
        ("1. 人大事务行政运行（项）支出10528.33 万元，与上年相比减少17.89 万元。", [("fail", "error")]),
        # a 项 whose own name begins like a 款 is that 项, not the 款 + the rest
        ("2. 人大事务其他支出（项）支出9.00 万元。", []),
    ],
)
def test_an_item_named_with_its_kuan_unlabelled(sentence: str, expected: list[tuple[str, str]]) -> None:
    table = BudgetTable(
        id="general_budget_expenditure",
        title="一般公共预算支出预算表",
        columns=["金额"],
        rows=[
            _row("人大事务", "20101", 金额="10528.33"),
            _row("行政运行", "2010101", 金额="4545.94"),
            _row("人大事务其他支出", "2010199", 金额="5982.39"),
        ],
    )
    findings = _findings(_budget([table]), sentence)
    assert [(f.status, f.severity) for f in findings if f.check == "budget.prose_vs_table"] == expected


def test_a_blank_part_makes_a_failed_sum_a_warning() -> None:
    """A 项 whose cell is blank while its 款 does not add up: the blank may be an unread value."""
    rows = [
        _row("对个人和家庭的补助", "303", 金额="2156.75"),
        _row("离休费", "30301", 金额="300.06"),
        _row("住房公积金", "30311", 金额=None),
        _row("提租补贴", "30312", 金额="1235.41"),
    ]
    table = BudgetTable(
        id="general_budget_basic", title="一般公共预算基本支出预算表", columns=["金额"], rows=rows
    )
    fails = _fails(_findings(_budget([table])), "budget.code_hierarchy")
    assert [f.severity for f in fails] == ["warning"] and "blank" in fails[0].message
    rows[2] = _row("住房公积金", "30311", 金额="621.28")
    complete = _findings(_budget([table.model_copy(update={"rows": rows})]))
    assert _fails(complete, "budget.code_hierarchy") == []
    rows[2] = _row("住房公积金", "30311", 金额="600.00")
    wrong = _fails(_findings(_budget([table.model_copy(update={"rows": rows})])), "budget.code_hierarchy")
    assert [f.severity for f in wrong] == ["error"]


def test_year_on_year_in_the_next_sentence_and_across_a_broken_paragraph() -> None:
    report = _budget([])
    findings = _findings(
        report,
        "此外，基本支出预算数为17123.19万元。与上年相比增加1408.29万元，增长8.96%。",
        # A layout broke this sentence over three paragraphs.
        "13656.34 万元，主要用于行政支出及办案业务。与上年相比增加",
        "309.03 万元，增长2.31",
        "%。主要原因是人员经费增加。",
    )
    changes = [f for f in findings if f.check == "budget.prose_change"]
    # 309.03 / 13347.31 = 2.3153…: printed 2.31 is the truncated form, which the rounding policy accepts.
    assert [(f.status, f.severity) for f in changes] == [("pass", "error"), ("pass", "error")]
    assert changes[1].expected == "2.32"


def test_a_code_printed_wrong_has_no_parent() -> None:
    rows = [
        _row("卫生健康支出", "210", 金额="50.3724"),
        _row("行政事业单位医疗", "21011", 金额="50.3724"),
        _row("事业单位医疗", "71102", 金额="50.3724"),  # 类 printed `7` for `210`
    ]
    table = BudgetTable(id="expenditure", title="支出预算总表", columns=["金额"], rows=rows)
    fails = _fails(_findings(_budget([table])), "budget.code_parent")
    assert len(fails) == 1 and fails[0].severity == "warning" and "probably 2101102" in fails[0].message
    rows[2] = _row("事业单位医疗", "2101102", 金额="50.3724")
    assert _fails(_findings(_budget([table.model_copy(update={"rows": rows})])), "budget.code_parent") == []
    # A table that prints only 项-level codes has no parents to check.
    only_items = table.model_copy(update={"rows": [_row("事业单位医疗", "2101102", 金额="1")]})
    assert [f for f in _findings(_budget([only_items])) if f.check == "budget.code_parent"] == []


def test_shares_of_three_public_from_its_parts_and_decrease_wording() -> None:
    report = _budget([], overseas_budget="70", vehicle_budget="411.20", reception_budget="27")
    findings = _findings(
        report,
        "因公出国（境）费支出70万元，占“三公”经费的13.77%；公务用车购置及运行费支出411.20万元，占“三公”经费的80.92%。",
        "公诉、审判、侦查、执行等检察监督支出（项）1,895万元，与上年相比减少134万元，降幅0.66%。",
    )
    shares = [f for f in findings if f.check == "prose.share"]
    assert [f.status for f in shares] == ["pass", "fail"]  # 411.20 / 508.20 = 80.91
    changes = [f for f in findings if f.check == "budget.prose_change"]
    assert [(f.status, f.expected) for f in changes] == [("fail", "6.60")]


def test_listed_items_add_up_to_the_appropriation_total() -> None:
    report = _budget([], fiscal_appropriation_income="950.1164")
    intro = "财政拨款支出主要内容如下："
    first = "1. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，主要用于退休人员。"
    wrapped = "2. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”696.48万元，主要用于人员经费，比2023年增加"
    rest = "3.84%。主要原因是人员增加。"
    third = "3. “卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）”199.80万元，主要用于医疗保险。"
    ok = [
        f
        for f in _findings(report, intro, first, wrapped, rest, third)
        if f.check == "budget.prose_item_list"
    ]
    assert [(f.status, f.severity) for f in ok] == [("pass", "warning")]
    bad_item = third.replace("199.80", "241.98")
    bad = [
        f
        for f in _findings(report, intro, first, wrapped, rest, bad_item)
        if f.check == "budget.prose_item_list"
    ]
    assert [(f.status, f.actual) for f in bad] == [("fail", "992.30")]


def test_shares_listed_under_their_whole() -> None:
    findings = _findings(
        _budget([]),
        "滨江院本年支出预算合计21,955.35万元，其中：",
        "基本支出13,994.31万元，占63.74%；",
        "项目支出5,573万元，占25.38%；",
        "单位预留机动经费2,388.04万元，占10.87%。",
    )
    shares = [(f.status, f.expected) for f in findings if f.check == "prose.share"]
    # 2388.04 / 21955.35 = 10.8768…: printed 10.87 is truncated, which the rounding policy accepts.
    assert shares == [("pass", "63.74"), ("pass", "25.38"), ("pass", "10.88")]


def test_a_share_after_an_underlined_blank_is_read() -> None:
    # A filled-in underline before the share, as OCR reads it (jianchayuan 2018 scanned, p25).
    findings = _findings(
        _budget([]),
        "本年收入预算合计21,955.35万元，其中：",
        "一般公共预算收入21,940.96万元，占_99.93%；",
        "其他资金14.39万元，占_0.60%；",
    )
    shares = [(f.status, f.actual, f.expected) for f in findings if f.check == "prose.share"]
    assert shares == [("pass", "99.93", "99.93"), ("fail", "0.60", "0.07")]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("1．行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）580.01万元。", []),
        ("（二）社会保障和就业（类）", []),
        (
            "1．行政事业单位离退休（类）机关事业单位基本养老保险缴费支出（项）580.01万元。",
            ["行政事业单位离退休（款）"],
        ),
        ("住房保障支出（类）住房保障支出（款）住房公积金（项）289.59万元。", ["住房保障支出（类）"]),
        # a name the tables do not print is not judged
        ("3．其他社会保障和就业支出（类）其他支出（项）12.00万元。", []),
    ],
)
def test_a_level_label_against_the_printed_codes(sentence: str, flagged: list[str]) -> None:
    table = BudgetTable(
        id="general_budget_expenditure",
        title="一般公共预算支出预算表",
        columns=["金额"],
        rows=[
            _row("社会保障和就业支出", "208", 金额="580.01"),
            _row("行政事业单位离退休", "20805", 金额="580.01"),
            _row("机关事业单位基本养老保险缴费支出", "2080505", 金额="580.01"),
            _row("住房保障支出", "221", 金额="289.59"),
            _row("住房改革支出", "22102", 金额="289.59"),
            _row("住房公积金", "2210201", 金额="289.59"),
        ],
    )
    failed = _fails(_findings(_budget([table]), sentence), "prose.item_level")
    assert [f.expected for f in failed] == flagged
