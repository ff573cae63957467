"""部门预算 / 单位预算: generated budget PDFs in the ways provinces vary (number labels or
titles only, 万元 or 元, landscape, a missing table, an empty table with its note, a table
without ruling lines, a tables-only file), extracted and checked end to end."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from pdfgen import FONT, TableSpec, draw_table

from extractor.api import ExtractOptions, extract
from extractor.extract.rules.budget_cells import printed_amount
from extractor.extract.rules.budget_grid import requote
from extractor.extract.rules.budget_tables import table_id, title_of
from extractor.schemas import Budget, ResultDocument

Page = tuple[list[tuple[str, float]], TableSpec | None, list[str]]


def _pdf(path: Path, pages: list[Page], *, landscape: bool = False) -> Path:
    doc = pymupdf.open()
    for lines, table, after in pages:
        page = doc.new_page(width=842 if landscape else 595, height=595 if landscape else 842)
        y = 50.0
        for text, size in lines:
            page.insert_text((60, y + size), text, fontname=FONT, fontsize=size)
            y += size * 1.8
        if table:
            y = draw_table(page, table, 40, y + 6) + 6
        for text in after:
            page.insert_text((60, y + 10), text, fontname=FONT, fontsize=9)
            y += 16
    doc.save(path)
    doc.close()
    return path


def _summary(total: str = "1,000.00") -> TableSpec:
    """收支总表, Jiangsu style: 收入 | 支出 (功能分类 | 支出用途), three header rows."""
    return TableSpec(
        rows=[
            ["收入", "", "支出", "", "", ""],
            ["项目名称", "金额", "功能分类", "", "支出用途", ""],
            ["", "", "功能科目名称", "金额", "项目名称", "金额"],
            ["一、财政拨款", "900.00", "一、一般公共服务支出", "700.00", "一、基本支出", "600.00"],
            ["二、其他资金", "100.00", "二、住房保障支出", "300.00", "二、项目支出", "400.00"],
            ["收入合计", total, "支出合计", "", "", "1,000.00"],
        ],
        widths=[90, 80, 110, 80, 80, 80],
        merges=[
            (0, 0, 1, 2),
            (0, 2, 1, 4),
            (1, 2, 1, 2),
            (1, 4, 1, 2),
            (1, 0, 2, 1),
            (1, 1, 2, 1),
            (5, 2, 1, 3),
        ],
    )


def _expenditure() -> TableSpec:
    return TableSpec(
        rows=[["合计", "基本支出", "项目支出", "单位预留机动经费"], ["1,000.00", "600.00", "400.00", ""]],
        widths=[80, 80, 80, 100],
    )


def _function_table(total: str = "1,000.00") -> TableSpec:
    return TableSpec(
        rows=[
            ["功能科目编码", "功能科目名称", "金额"],
            ["", "合计", total],
            ["201", "一般公共服务支出", "700.00"],
            ["20101", "人大事务", "700.00"],
            ["2010101", "行政运行", "500.00"],
            ["2010102", "一般行政管理事务", "200.00"],
            ["221", "住房保障支出", "300.00"],
            ["22102", "住房改革支出", "300.00"],
            ["2210201", "住房公积金", "300.00"],
        ],
        widths=[80, 140, 80],
    )


def _three_public(vehicle: str = "30.00") -> TableSpec:
    return TableSpec(
        rows=[
            ["合计", "“三公”经费", "", "", "", "", "会议费"],
            ["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", ""],
            ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
            ["", "", "", "", "", "", ""],
            ["60.00", "40.00", "10.00", vehicle, "", "30.00", "20.00"],
        ],
        widths=[60, 60, 80, 100, 75, 90, 60],
        merges=[
            (0, 0, 4, 1),
            (0, 1, 1, 5),
            (0, 6, 4, 1),
            (1, 1, 3, 1),
            (1, 2, 3, 1),
            (1, 3, 1, 3),
            (2, 3, 2, 1),
        ],
    )


def _empty_fund() -> TableSpec:
    return TableSpec(rows=[["功能科目编码", "功能科目名称", "金额"], ["", "合计", ""]], widths=[80, 140, 80])


def _jiangsu(
    path: Path, *, label: str = "公开{n:02d}表", total: str = "1,000.00", with_three: bool = True
) -> Path:
    def title(n: int, name: str) -> list[tuple[str, float]]:
        number = label.format(n=n, cn="一二三四五六七"[n - 1])
        return [(number, 10), (name, 14), ("部门：江苏省滨江委员会办公厅", 9), ("单位：万元", 9)]

    pages: list[Page] = [
        ([("江苏省滨江委员会办公厅2019年度部门预算公开", 18), ("第一部分 部门概况", 12)], None, []),
        (title(1, "收支预算总表"), _summary(total), []),
        (title(2, "支出预算总表"), _expenditure(), []),
        (title(3, "一般公共预算支出预算表"), _function_table(), []),
        (title(4, "政府性基金支出预算表"), _empty_fund(), ["注：本部门无政府性基金预算安排。"]),
    ]
    if with_three:
        pages.append((title(5, "“三公”经费、会议费、培训费支出预算表"), _three_public(), []))
    pages.append(
        (
            [("第三部分 情况说明", 12)],
            None,
            ["滨江办公厅2019年度收入预算总计1000.00万元，", "与上年相比增加100.00万元，增长11.11%。"],
        )
    )
    return _pdf(path, pages)


def _budget(doc: ResultDocument) -> Budget:
    assert len(doc.reports) == 1
    report = doc.reports[0]
    assert isinstance(report, Budget)
    return report


def _errors(doc: ResultDocument) -> list[str]:
    return [f.message for f in doc.findings if f.status == "fail" and f.severity == "error"]


OPTIONS = ExtractOptions(ocr="never")


def test_numbered_budget_tables_by_title(tmp_path: Path) -> None:
    doc = extract(_jiangsu(tmp_path / "js.pdf"), OPTIONS)
    budget = _budget(doc)
    assert (budget.department, budget.fiscal_year, budget.scope, budget.unit) == (
        "江苏省滨江委员会办公厅",
        2019,
        "department",
        "万元",
    )
    ids = [t.id for t in budget.tables]
    assert ids == [
        "income_expenditure_summary",
        "expenditure",
        "general_budget_expenditure",
        "gov_fund_expenditure",
        "three_public",
    ]
    summary = budget.tables[0]
    assert summary.title == "收支预算总表"
    income = [(r.name, r.values) for r in summary.rows if r.side == "收入"]
    assert income[0] == ("一、财政拨款", {"金额": Decimal("900.00")})
    spend = {r.name: r.values for r in summary.rows if r.side == "支出"}
    assert spend["二、项目支出"] == {"金额": Decimal("400.00")}
    function = budget.tables[2]
    assert [r.code for r in function.rows if r.code] == [
        "201",
        "20101",
        "2010101",
        "2010102",
        "221",
        "22102",
        "2210201",
    ]
    fund = budget.tables[3]
    assert fund.rows == [] and fund.empty_note == "本部门无政府性基金预算安排。"
    three = budget.tables[4]
    assert "“三公”经费/公务用车购置及运行维护费/公务用车运行维护费" in three.columns
    kf = budget.key_figures
    assert (kf.income_total, kf.expenditure_total, kf.basic_expenditure, kf.project_expenditure) == (
        Decimal("1000.00"),
        Decimal("1000.00"),
        Decimal("600.00"),
        Decimal("400.00"),
    )
    assert (kf.three_public_budget, kf.overseas_budget, kf.vehicle_budget, kf.vehicle_operation_budget) == (
        Decimal("40.00"),
        Decimal("10.00"),
        Decimal("30.00"),
        Decimal("30.00"),
    )
    assert _errors(doc) == []
    checks = {f.check for f in doc.findings if f.status == "pass"}
    assert {"budget.balance", "budget.row_total", "budget.code_hierarchy", "budget.prose_change"} <= checks


def test_other_numbering_and_a_missing_table(tmp_path: Path) -> None:
    doc = extract(_jiangsu(tmp_path / "t.pdf", label="表{cn}", with_three=False), OPTIONS)
    budget = _budget(doc)
    assert "three_public" not in [t.id for t in budget.tables]
    assert budget.key_figures.three_public_budget is None
    assert len(budget.tables) == 4
    assert _errors(doc) == []


def test_errors_are_found(tmp_path: Path) -> None:
    doc = extract(_jiangsu(tmp_path / "bad.pdf", total="1,100.00"), OPTIONS)
    errors = _errors(doc)
    assert any("收入总计 = 支出总计" in m for m in errors), errors


def test_shanghai_titles_only_yuan_landscape(tmp_path: Path) -> None:
    """Titles without numbers, `编制部门：`, 元 to the fen moved four places, 类/款/项 codes joined."""
    header = [
        ["项目", "", "", "", "支出预算", "", ""],
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
    ]
    rows = [
        ["208", "", "", "社会保障和就业支出", "1,234,567.89", "1,000,000", "234,567.89"],
        ["208", "05", "", "行政事业单位养老支出", "1,234,567.89", "1,000,000", "234,567.89"],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "1,234,567.89", "1,000,000", "234,567.89"],
        ["合计", "", "", "", "1,234,567.89", "1,000,000", "234,567.89"],
    ]
    spec = TableSpec(
        rows=header + rows,
        widths=[40, 40, 40, 200, 110, 110, 110],
        merges=[
            (0, 0, 1, 4),
            (0, 4, 1, 3),
            (1, 0, 1, 3),
            (1, 3, 2, 1),
            (1, 4, 2, 1),
            (1, 5, 2, 1),
            (1, 6, 2, 1),
            (6, 0, 1, 4),
        ],
    )
    lines: list[tuple[str, float]] = [
        ("2024年部门支出预算总表", 14),
        ("编制部门：上海市某区滨江街道办事处", 9),
        ("单位：元", 9),
    ]
    cover: list[tuple[str, float]] = [
        ("上海市某区2024年区级部门预算", 18),
        ("预算主管部门：上海市某区滨江街道办事处", 12),
    ]
    path = _pdf(tmp_path / "sh.pdf", [(cover, None, []), (lines, spec, [])], landscape=True)
    doc = extract(path, OPTIONS)
    budget = _budget(doc)
    assert (budget.department, budget.fiscal_year, budget.scope, budget.unit) == (
        "上海市某区滨江街道办事处",
        2024,
        "department",
        "元",
    )
    table = budget.tables[0]
    assert table.id == "expenditure" and table.title == "2024年部门支出预算总表"
    assert table.columns == ["支出预算/合计", "支出预算/基本支出", "支出预算/项目支出"]
    assert [r.code for r in table.rows] == ["208", "20805", "2080505", None]
    first = table.rows[0].values
    assert first["支出预算/合计"] == Decimal("123.456789")
    assert str(first["支出预算/基本支出"]) == "100.0000"
    assert budget.key_figures.basic_expenditure == Decimal("100.0000")
    assert _errors(doc) == []


def test_unruled_table_and_tables_only_file(tmp_path: Path) -> None:
    """An Excel export without ruling lines, in a file that is only tables (no report title)."""
    unruled = TableSpec(
        rows=[
            ["功能科目编码", "功能科目名称", "金额"],
            ["201", "一般公共服务支出", "700.00"],
            ["20101", "人大事务", "700.00"],
            ["2010101", "行政运行", "700.00"],
        ],
        widths=[120, 160, 80],
        ruled=False,
    )
    lines: list[tuple[str, float]] = [
        ("公开07表", 10),
        ("一般公共预算支出预算表", 14),
        ("部门：江苏省滨江厅", 9),
        ("单位：万元", 9),
    ]
    first: list[tuple[str, float]] = [
        ("公开01表", 10),
        ("收支预算总表", 14),
        ("部门：江苏省滨江厅", 9),
        ("单位：万元", 9),
    ]
    path = _pdf(tmp_path / "tables.pdf", [(first, _summary(), []), (lines, unruled, [])])
    budget = _budget(extract(path, OPTIONS))
    assert budget.department == "江苏省滨江厅" and budget.scope == "department"
    table = next(t for t in budget.tables if t.id == "general_budget_expenditure")
    assert [(r.code, r.values.get("金额")) for r in table.rows] == [
        ("201", Decimal("700.00")),
        ("20101", Decimal("700.00")),
        ("2010101", Decimal("700.00")),
    ]


def test_narrative_only_budget(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "text.pdf",
        [
            (
                [("滨江局2020年度部门预算公开", 18)],
                None,
                [
                    "滨江局2020年度收入预算总计500.00万元。",
                    "基本支出300.00万元，项目支出200.00万元。",
                    "“三公”经费预算数为12.00万元。",
                ],
            )
        ],
    )
    budget = _budget(extract(path, OPTIONS))
    assert budget.tables == [] and budget.unit == "万元" and budget.fiscal_year == 2020
    kf = budget.key_figures
    assert (kf.income_total, kf.basic_expenditure, kf.project_expenditure, kf.three_public_budget) == (
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("200.00"),
        Decimal("12.00"),
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2024年部门财务收支预算总表", "income_expenditure_summary"),
        ("财政拨款收支预算总表", "appropriation_summary"),
        ("2024年预算单位一般公共预算支出功能分类预算表", "general_budget_expenditure"),
        ("一般公共预算基本支出预算表（经济科目）", "general_budget_basic"),
        ("财政拨款政府性基金支出预算表", "gov_fund_expenditure"),
        ("2024年部门国有资本经营预算支出功能分类预算表", "state_capital_expenditure"),
        ("部门“三公”经费和机关运行经费预算表", "three_public"),
        ("一般公共预算机关运行经费支出预算表", "operating_funds"),
        ("2018年政府采购预算表", "procurement"),
        ("收入预算总表", "income"),
        ("支出预算总表", "expenditure"),
        ("财政拨款支出预算表", None),
        # 总体情况表 / 情况表 (Beijing, Guangdong …)
        ("2025年部门收支总体情况表", "income_expenditure_summary"),
        ("部门收入总体情况表", "income"),
        ("部门支出总体情况表", "expenditure"),
        ("财政拨款收支总体情况表", "appropriation_summary"),
        ("一般公共预算支出情况表", "general_budget_expenditure"),
        ("政府性基金预算支出情况表", "gov_fund_expenditure"),
        ("一般公共预算“三公”经费支出情况表", "three_public"),
    ],
)
def test_title_to_canonical_id(title: str, expected: str | None) -> None:
    for label in ("公开05表：", "表五", "表十二", "附表5 ", "表1-3 ", "五、", "5. ", ""):
        assert title_of(label + title) == title
    assert table_id(title) == (True, expected)


@pytest.mark.parametrize(
    "title", ["收入支出决算总表", "公开02表 收入决算表", "项目支出绩效自评表", "部门概况"]
)
def test_other_kinds_tables_are_no_budget_tables(title: str) -> None:
    assert title_of(title) is None


def test_yuan_to_wan_keeps_every_digit() -> None:
    assert printed_amount("123,456.78", "元") == Decimal("12.345678")
    assert str(printed_amount("2,620,000", "元")) == "262.0000"
    assert printed_amount("1,467.16", "万元") == Decimal("1467.16")
    assert printed_amount("一、财政拨款", "元") is None


def test_units_per_table_and_a_table_across_pages(tmp_path: Path) -> None:
    """Tables in 元 beside a 三公 table in 万元 (each converted by its own unit line), and a
    收入总表 whose header is left alone at the foot of one page and whose rows follow on the next."""
    header = [
        ["项目", "", "", "", "收入预算", ""],
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入"],
    ]
    head_merges = [(0, 0, 1, 4), (0, 4, 1, 2), (1, 0, 1, 3)]
    first = TableSpec(
        rows=[*header, ["类", "款", "项", "", "", ""]],
        widths=[40, 40, 40, 200, 110, 110],
        merges=[*head_merges, (1, 3, 2, 1), (1, 4, 2, 1), (1, 5, 2, 1)],
    )
    rest = TableSpec(
        rows=[
            ["208", "", "", "社会保障和就业支出", "9,501,164", "9,501,164"],
            ["208", "05", "", "行政事业单位养老支出", "9,501,164", "9,501,164"],
            ["合计", "", "", "", "9,501,164", "9,501,164"],
        ],
        widths=[40, 40, 40, 200, 110, 110],
        merges=[(2, 0, 1, 4)],
    )
    three = TableSpec(
        rows=[
            ["2024年“三公”经费预算数", "", "", "", "", ""],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", ""],
            ["", "", "", "小计", "购置费", "运行费"],
            ["6.4", "0", "0", "6.4", "", "6.4"],
        ],
        widths=[90, 90, 80, 90, 70, 70],
        merges=[(0, 0, 1, 6), (1, 0, 2, 1), (1, 1, 2, 1), (1, 2, 2, 1), (1, 3, 1, 3)],
    )
    title: list[tuple[str, float]] = [
        ("2024年预算单位收入预算总表", 14),
        ("编制单位：上海市滨江福利院", 9),
        ("单位：元", 9),
    ]
    pages: list[Page] = [
        ([("上海市滨江福利院2024年单位预算", 18), ("预算单位：上海市滨江福利院", 12)], None, []),
        (title, first, []),
        ([], rest, []),
        (
            [("单位“三公”经费和机关运行经费预算表", 14), ("编制单位：上海市滨江福利院", 9), ("单位:万元", 9)],
            three,
            [],
        ),
    ]
    budget = _budget(extract(_pdf(tmp_path / "units.pdf", pages, landscape=True), OPTIONS))
    assert (budget.scope, budget.unit) == ("unit", "元")
    income = next(t for t in budget.tables if t.id == "income")
    assert income.columns == ["收入预算/合计", "收入预算/财政拨款收入"]
    assert [(r.code, r.name, r.values["收入预算/合计"]) for r in income.rows] == [
        ("208", "社会保障和就业支出", Decimal("950.1164")),
        ("20805", "行政事业单位养老支出", Decimal("950.1164")),
        (None, "合计", Decimal("950.1164")),
    ]
    kf = budget.key_figures
    assert (kf.three_public_budget, kf.vehicle_budget, kf.overseas_budget) == (
        Decimal("6.4"),
        Decimal("6.4"),
        Decimal("0"),
    )


def test_empty_tables_with_the_note_before_the_grid_or_instead_of_it(tmp_path: Path) -> None:
    def head(number: str, name: str) -> list[tuple[str, float]]:
        return [(number, 10), (name, 14), ("部门：江苏省滨江厅", 9), ("单位：万元", 9)]

    note_first: Page = (
        [*head("公开07表", "政府性基金支出预算表"), ("注：本部门无政府性基金预算收支。", 9)],
        _empty_fund(),
        [],
    )
    note_only: Page = (
        [*head("公开08表", "国有资本经营预算支出预算表"), ("本部门无国有资本经营预算，故本表为空表。", 9)],
        None,
        [],
    )
    pages: list[Page] = [(head("公开01表", "收支预算总表"), _summary(), []), note_first, note_only]
    budget = _budget(extract(_pdf(tmp_path / "empty.pdf", pages), OPTIONS))
    tables = {t.id: t for t in budget.tables}
    assert tables["gov_fund_expenditure"].rows == []
    assert tables["gov_fund_expenditure"].empty_note == "本部门无政府性基金预算收支。"
    assert tables["state_capital_expenditure"].rows == []
    assert tables["state_capital_expenditure"].empty_note == "本部门无国有资本经营预算，故本表为空表。"


def test_quote_marks_read_out_of_order() -> None:
    assert requote("“”三公经费") == "“三公”经费"
    assert requote("“三公”经费") == "“三公”经费"


def test_plain_text_budget(tmp_path: Path) -> None:
    """The same pipeline on a .txt budget (tables as tab-separated lines)."""
    lines = [
        "滨江局2019年度部门预算公开",
        "公开01表",
        "收支预算总表",
        "部门：滨江局",
        "单位：万元",
        "收入\t\t支出\t",
        "项目\t金额\t项目\t金额",
        "一、财政拨款\t900.00\t一、基本支出\t600.00",
        "二、其他资金\t100.00\t二、项目支出\t400.00",
        "收入合计\t1,000.00\t支出合计\t1,000.00",
        "公开03表",
        "支出预算总表",
        "单位：万元",
        "合计\t基本支出\t项目支出",
        "1,000.00\t600.00\t400.00",
    ]
    path = tmp_path / "budget.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = extract(path)
    budget = _budget(doc)
    assert (budget.department, budget.fiscal_year, budget.scope) == ("滨江局", 2019, "department")
    summary = budget.tables[0]
    assert [(r.side, r.name) for r in summary.rows] == [
        ("收入", "一、财政拨款"),
        ("收入", "二、其他资金"),
        ("收入", "收入合计"),
        ("支出", "一、基本支出"),
        ("支出", "二、项目支出"),
        ("支出", "支出合计"),
    ]
    assert budget.key_figures.project_expenditure == Decimal("400.00")
    assert _errors(doc) == []


def test_titles_and_notes_inside_the_table_frame(tmp_path: Path) -> None:
    """A tables-only file whose tables print their title, `部门：` and `单位：` lines in the first
    rows of their own frame, and an empty table's note in its last row."""
    banner = ["收支预算总表", "", "", "", "", ""]
    labels = ["部门：江苏省滨江厅", "", "", "", "单位：万元", ""]
    summary = _summary()
    framed = TableSpec(
        rows=[banner, labels, *summary.rows],
        widths=summary.widths,
        merges=[(0, 0, 1, 6), (1, 0, 1, 4), (1, 4, 1, 2)]
        + [(r + 2, c, h, w) for r, c, h, w in summary.merges],
    )
    fund = TableSpec(
        rows=[
            ["政府性基金支出预算表", "", ""],
            ["部门：江苏省滨江厅", "", "单位：万元"],
            ["功能科目编码", "功能科目名称", "金额"],
            ["", "合计", ""],
            ["注：本部门无相关收支项目", "", ""],
        ],
        widths=[100, 160, 100],
        merges=[(0, 0, 1, 3), (1, 0, 1, 2), (4, 0, 1, 3)],
    )
    path = _pdf(tmp_path / "framed.pdf", [([], framed, []), ([], fund, [])])
    budget = _budget(extract(path, OPTIONS))
    assert (budget.department, budget.scope) == ("江苏省滨江厅", "department")
    tables = {t.id: t for t in budget.tables}
    assert tables["income_expenditure_summary"].title == "收支预算总表"
    assert len(tables["income_expenditure_summary"].rows) == 8
    assert budget.key_figures.income_total == Decimal("1000.00")
    assert tables["gov_fund_expenditure"].rows == []
    assert tables["gov_fund_expenditure"].empty_note == "本部门无相关收支项目"


@pytest.mark.parametrize("vehicle", ["30.00", ""])
def test_an_empty_table_note_under_printed_amounts_is_flagged(tmp_path: Path, vehicle: str) -> None:
    """A template's `故本表为空表` left under a 三公 table that prints its amounts: the amounts are
    kept and the note flagged; the same note under a table with no amount is a true note."""
    three = _three_public(vehicle)
    if not vehicle:
        three = TableSpec(rows=[three.rows[0], ["", "", "", "", "", "", ""]], widths=three.widths)
    pages: list[Page] = [
        ([("公开01表", 10), ("收支预算总表", 14), ("单位：万元", 9)], _summary(), []),
        (
            [("公开05表", 10), ("“三公”经费、会议费、培训费支出预算表", 14), ("单位：万元", 9)],
            three,
            ["注：本部门2019年无“三公”经费预算，故本表为空表。"],
        ),
    ]
    doc = extract(_pdf(tmp_path / "note.pdf", pages), OPTIONS)
    flagged = [f for f in doc.findings if f.check == "complete.empty_note_printed" and f.status == "fail"]
    three_public = next(t for t in _budget(doc).tables if t.id == "three_public")
    if vehicle:
        assert three_public.rows and three_public.empty_note is None
        assert len(flagged) == 1 and flagged[0].evidence["(note)"].page == 2
        assert "故本表为空表" in flagged[0].message
    else:
        assert flagged == []


@pytest.mark.parametrize("item", ["05", "5"])
def test_a_code_part_printed_without_its_leading_zero(tmp_path: Path, item: str) -> None:
    """An Excel export prints the 项 part `5` for `05`: the code is read whole (2080505), the
    printed parts are kept as the code's evidence, and the table is flagged."""
    header = [["功能分类科目编码", "", "", "功能分类科目名称", "合计"], ["类", "款", "项", "", ""]]
    rows = [
        ["208", "", "", "社会保障和就业支出", "1,234.56"],
        ["208", "05", "", "行政事业单位养老支出", "1,234.56"],
        ["208", "05", item, "机关事业单位基本养老保险缴费支出", "1,234.56"],
    ]
    spec = TableSpec(
        rows=header + rows, widths=[40, 40, 40, 200, 110], merges=[(0, 0, 1, 3), (0, 3, 2, 1), (0, 4, 2, 1)]
    )
    cover: list[tuple[str, float]] = [
        ("上海市某区2024年区级部门预算", 18),
        ("预算主管部门：上海市某区滨江街道办事处", 12),
    ]
    lines: list[tuple[str, float]] = [("2024年部门支出预算总表", 14), ("单位：万元", 9)]
    doc = extract(_pdf(tmp_path / "codes.pdf", [(cover, None, []), (lines, spec, [])]), OPTIONS)
    budget = _budget(doc)
    assert [r.code for r in budget.tables[0].rows] == ["208", "20805", "2080505"]
    assert budget.evidence["tables[0].rows[2].code"].text == f"208 05 {item}"
    flagged = [f for f in doc.findings if f.check == "table.code_printed" and f.status == "fail"]
    assert [(f.expected, f.actual) for f in flagged] == ([] if item == "05" else [("2080505", "208 05 5")])
