"""Failure classes seen on published reports the rules were not written from, rebuilt here as
variants: tables titled without 公开NN表 numbers, a title set over several cover lines, the
previous page's note glued to a title, empty tables printed with a note, a banner over the
三公 header, an amount and the next cell's label in one text span, other form and prose wording."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pymupdf
from pdfgen import FONT, PageSpec, TableSpec, make_pdf

from extractor import extract
from extractor.api import ExtractOptions
from extractor.schemas import FinalAccount, OverallSelfEval, ProjectSelfEval

NEVER = ExtractOptions(ocr="never")


# The banner row, then 合计 / 出国 / 车 (小计, 运行) / 接待 over 预算数 | 决算数.
THREE_PUBLIC_MERGES = [
    (0, 0, 1, 10),
    (1, 0, 2, 2),
    (1, 2, 2, 2),
    (1, 4, 1, 4),
    (2, 4, 1, 2),
    (2, 6, 1, 2),
    (1, 8, 2, 2),
]


def _final_account_pdf(path: Path) -> Path:
    income = [
        ["项目", "", "本年收入合计", "财政拨款收入", "其他收入"],
        ["功能分类科目编码", "科目名称", "", "", ""],
        ["合计", "", "1,050.00", "1,000.00", "50.00"],
        ["201", "一般公共服务支出", "1,050.00", "1,000.00", "50.00"],
    ]
    spending = [
        ["项目", "", "本年支出合计", "基本支出", "项目支出"],
        ["功能分类科目编码", "科目名称", "", "", ""],
        ["合计", "", "1,040.00", "800.00", "240.00"],
        ["201", "一般公共服务支出", "1,040.00", "800.00", "240.00"],
    ]
    fund = [
        ["项目", "", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"],
        ["功能分类科目编码", "科目名称", "", "", "", ""],
        ["合计", "", "", "", "", ""],
    ]
    three = [
        ["财政拨款“三公”经费", "", "", "", "", "", "", "", "", ""],
        ["合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "公务接待费", ""],
        ["", "", "", "", "小计", "", "公务用车运行维护费", "", "", ""],
        ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数", "预算数", "决算数", "预算数", "决算数"],
        ["12.00", "10.50", "0.00", "0.00", "8.00", "7.50", "8.00", "7.50", "4.00", "3.00"],
    ]
    code_merges = [(0, 0, 1, 2), (2, 0, 1, 2)]
    value_merges = [(0, c, 2, 1) for c in range(2, 5)]
    return make_pdf(
        [
            # A cover set over three lines: the department's name is split before 局/委员会.
            PageSpec(
                lines=[("江北区住房和城乡", 22.0), ("建设管理委员会", 22.0), ("2023 年度部门决算", 22.0)]
            ),
            PageSpec(
                lines=[("收入决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(income, [60, 120, 90, 90, 90], merges=code_merges + value_merges),
                after=["注：本表反映部门本年度取得的各项收入情况。"],
            ),
            PageSpec(
                lines=[("支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(spending, [60, 120, 90, 90, 90], merges=code_merges + value_merges),
                after=["注：本表反映部门本年度各项支出情况。"],
            ),
            PageSpec(
                lines=[("政府性基金预算财政拨款收入支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(fund, [50, 100, 70, 70, 70, 70], merges=code_merges),
                after=[
                    "说明：江北区住房和城乡建设管理委员会本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"
                ],
            ),
            PageSpec(
                lines=[("财政拨款“三公”经费支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(
                    three,
                    [46] * 10,
                    merges=THREE_PUBLIC_MERGES,
                ),
            ),
        ],
        path,
    )


def test_final_account_titled_tables_cover_lines_empty_note_and_banner(tmp_path: Path) -> None:
    result = extract(_final_account_pdf(tmp_path / "fa.pdf"), NEVER)
    report = result.reports[0]
    assert isinstance(report, FinalAccount)
    assert len(result.reports) == 1
    assert (report.department, report.fiscal_year) == ("江北区住房和城乡建设管理委员会", 2023)
    assert [(t.id, t.title) for t in report.tables] == [
        ("02", "收入决算表"),
        ("03", "支出决算表"),
        ("07", "政府性基金预算财政拨款收入支出决算表"),
        ("09", "财政拨款“三公”经费支出决算表"),
    ]
    fund = report.tables[2]
    assert fund.rows == []
    assert (
        fund.empty_note
        == "江北区住房和城乡建设管理委员会本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"
    )
    spending = report.tables[1]
    assert [(r.code, r.name) for r in spending.rows] == [(None, "合计"), ("201", "一般公共服务支出")]
    figures = report.key_figures
    assert (figures.basic_expenditure, figures.project_expenditure) == (Decimal("800.00"), Decimal("240.00"))
    assert (figures.three_public_budget, figures.three_public_actual) == (Decimal("12.00"), Decimal("10.50"))
    assert (figures.vehicle_budget, figures.vehicle_operation_actual) == (Decimal("8.00"), Decimal("7.50"))
    assert (figures.reception_budget, figures.reception_actual) == (Decimal("4.00"), Decimal("3.00"))
    assert report.model_extra == {}  # not a template


def test_blank_template_is_flagged_and_names_no_department(tmp_path: Path) -> None:
    pdf = make_pdf(
        [
            PageSpec(lines=[("上海市XX局", 22.0), ("2024 年度部门决算", 22.0)]),
            PageSpec(
                lines=[("支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(
                    [
                        ["项目", "", "本年支出合计", "基本支出", "项目支出"],
                        ["功能分类科目编码", "科目名称", "", "", ""],
                        ["合计", "", "", "", ""],
                        ["205", "教育支出", "", "", ""],
                    ],
                    [60, 120, 90, 90, 90],
                    merges=[(0, 0, 1, 2), (2, 0, 1, 2)] + [(0, c, 2, 1) for c in range(2, 5)],
                ),
            ),
        ],
        tmp_path / "template.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    assert report.department is None
    assert (report.model_extra or {}).get("template") is True
    assert [(r.code, r.name) for r in report.tables[0].rows] == [(None, "合计"), ("205", "教育支出")]


def test_amount_and_next_label_in_one_span_are_split_at_the_column_border(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "2023年度江北区财政局部门决算", fontname=FONT, fontsize=18)
    page.insert_text((72, 120), "收入支出决算总表", fontname=FONT, fontsize=12)
    xs, ys = [60, 200, 260, 420, 480], [140, 160, 180, 200]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x, text in ((62, "收入"), (262, "支出")):
        page.insert_text((x, 154), text, fontname=FONT, fontsize=8)
    for x, text in ((62, "项目"), (202, "决算数"), (262, "项目"), (422, "决算数")):
        page.insert_text((x, 174), text, fontname=FONT, fontsize=8)
    # Word's export: the right-aligned income amount and the next cell's label in ONE span.
    page.insert_text((62, 194), "一、财政拨款收入", fontname=FONT, fontsize=8)
    page.insert_text((222, 194), "950.25 一、一般公共服务支出", fontname=FONT, fontsize=8)
    page.insert_text((440, 194), "900.00", fontname=FONT, fontsize=8)
    path = tmp_path / "span.pdf"
    doc.save(path)
    report = extract(path, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    rows = [(r.side, r.name, r.values) for r in report.tables[0].rows]
    assert rows == [
        ("收入", "一、财政拨款收入", {"决算数": Decimal("950.25")}),
        ("支出", "一、一般公共服务支出", {"决算数": Decimal("900.00")}),
    ]


def test_form_with_weighted_level2_and_other_header_words(tmp_path: Path) -> None:
    rows = [
        ["项目名称", "社区养老服务补贴", "", "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际值", "权重（分）", "评分", "扣分原因"],
        ["决策指标（20分）", "预算配置（15分）", "资金到位率", "100%", "100%", "15", "15", ""],
        ["", "项目立项(5分)", "立项规范性", "规范", "规范", "5", "4", "程序不全"],
        ["产出指标（80分）", "数量指标", "服务人次", "≥5000人次", "5200人次", "80", "80", ""],
        ["自评总分", "", "", "", "", "100", "99", ""],
    ]
    merges = [(0, 1, 1, 7), (2, 0, 2, 1), (5, 0, 1, 5)]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[("2024年度项目支出绩效自评表", 14.0)],
                table=TableSpec(rows=rows, widths=[80, 84, 60, 66, 66, 50, 30, 56], merges=merges),
            )
        ],
        tmp_path / "form.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, ProjectSelfEval)
    got = [
        (i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.note) for i in report.indicators
    ]
    assert got == [
        ("决策指标", "预算配置", "资金到位率", "100%", "100%", Decimal("15"), Decimal("15"), None),
        ("决策指标", "项目立项", "立项规范性", "规范", "规范", Decimal("5"), Decimal("4"), "程序不全"),
        ("产出指标", "数量指标", "服务人次", "≥5000人次", "5200人次", Decimal("80"), Decimal("80"), None),
    ]
    assert report.total_score == Decimal("99")


def test_overall_report_stating_everything_in_sentences(tmp_path: Path) -> None:
    lines = [
        ("江北区民政局2023年度部门整体支出绩效自评报告", 16.0),
        ("一、部门基本情况", 12.0),
        ("本局核定编制52名，实有人员47名，退休人员9人。", 10.0),
        ("二、部门整体支出情况", 12.0),
        ("2023年度部门全年总支出为1,234.56万元，其中基本支出1,000.00万元，", 10.0),
        ("项目支出234.56万元。", 10.0),
        ("三、自评结论", 12.0),
        ("经综合评价，本部门2023年度整体支出自评得分92.5分，自评等级为“良好”。", 10.0),
        ("江北区民政局", 10.0),
        ("二〇二四年三月十八日", 10.0),
    ]
    report = extract(make_pdf([PageSpec(lines=lines)], tmp_path / "overall.pdf"), NEVER).reports[0]
    assert isinstance(report, OverallSelfEval)
    assert (report.department, report.fiscal_year) == ("江北区民政局", 2023)
    assert (report.authorized_staff, report.actual_staff, report.retired_staff) == (
        Decimal("52"),
        Decimal("47"),
        Decimal("9"),
    )
    assert report.total_expenditure == Decimal("1234.56")
    assert (report.basic_expenditure, report.project_expenditure) == (Decimal("1000.00"), Decimal("234.56"))
    assert (report.self_score, report.grade) == (Decimal("92.5"), "良好")
    assert str(report.report_date) == "2024-03-18"


def test_row_broken_by_a_page_break_is_joined_again(tmp_path: Path) -> None:
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    widths = [70, 70, 96, 70, 70, 40, 40]
    first = [
        ["项目名称", "城乡医疗救助", "", "", "", "", ""],
        header,
        ["产出指标", "数量指标", "救助人次", "≥3000人次", "3120人次", "20", "20"],
        ["", "时效指标", "重点工作任务", "", "", "", ""],
    ]
    rest = [
        ["", "", "完成时间", "2023年底前", "按时完成", "10", "9"],
        ["满意度指标", "满意度", "群众满意度", "≥90%", "95%", "10", "10"],
        ["总分", "", "", "", "", "100", "98"],
    ]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[("2023年度项目支出绩效自评表", 14.0)],
                table=TableSpec(first, widths, merges=[(0, 1, 1, 6)]),
            ),
            PageSpec(table=TableSpec(rest, widths, merges=[(2, 0, 1, 5)])),
        ],
        tmp_path / "split.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, ProjectSelfEval)
    got = [(i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in report.indicators]
    assert got == [
        ("数量指标", "救助人次", "≥3000人次", "3120人次", Decimal("20"), Decimal("20")),
        ("时效指标", "重点工作任务完成时间", "2023年底前", "按时完成", Decimal("10"), Decimal("9")),
        ("满意度", "群众满意度", "≥90%", "95%", Decimal("10"), Decimal("10")),
    ]
    assert report.total_score == Decimal("98")


def test_a_cover_page_is_part_of_the_report_it_covers(tmp_path: Path) -> None:
    body = [
        ("江北区民政局2023年度部门整体支出绩效自评报告", 16.0),
        ("一、部门基本情况", 12.0),
        ("本局核定编制52名，实有人员47名，退休人员9人，主要职责是负责全区社会救助、养老服务", 10.0),
        ("和社区治理等工作，内设科室八个，下属事业单位两个，承担民生保障的具体实施工作。", 10.0),
        ("经综合评价，本部门整体支出自评得分92.5分。", 10.0),
    ]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[
                    ("江北区民政局", 22.0),
                    ("2024年度部门整体支出绩效自评报告", 22.0),
                    ("2025年3月", 14.0),
                ]
            ),
            PageSpec(lines=body),
        ],
        tmp_path / "cover.pdf",
    )
    reports = extract(pdf, NEVER).reports
    assert len(reports) == 1
    report = reports[0]
    assert isinstance(report, OverallSelfEval)
    # The title over the content names the year; the cover's own title is not a second report.
    assert (report.fiscal_year, report.authorized_staff, report.self_score) == (
        2023,
        Decimal("52"),
        Decimal("92.5"),
    )
    assert report.pages == [1, 2]


LAYOUT_TEXT = (
    "2023年度江北区财政局部门决算\n"
    "\f"
    "收入支出决算总表\n"
    "单位：万元\n"
    "收入                                        支出\n"
    "项目                              决算数    项目                          决算数\n"
    "一、一般公共预算财政拨款收入    1,200.50    一、一般公共服务支出        1,180.00\n"
    "二、政府性基金预算财政拨款收入              二、外交支出\n"
    "本年收入合计                    1,250.50    本年支出合计                1,230.00\n"
    "\f"
    "支出决算表\n"
    "单位：万元\n"
    "科目编码  科目名称              本年支出合计      基本支出      项目支出\n"
    "          合计                      1,040.00        800.00        240.00\n"
    "201       一般公共服务支出          1,040.00        800.00        240.00\n"
    "\f"
)


def test_text_copy_of_a_pdf_keeps_pages_and_space_aligned_tables(tmp_path: Path) -> None:
    path = tmp_path / "copied.txt"
    path.write_text(LAYOUT_TEXT, encoding="utf-8")
    result = extract(path, NEVER)
    assert result.source.pages == 3
    report = result.reports[0]
    assert isinstance(report, FinalAccount)
    assert [(t.id, t.pages) for t in report.tables] == [("01", [2]), ("03", [3])]
    summary, spending = report.tables
    assert [(r.side, r.name, r.values) for r in summary.rows][:2] == [
        ("收入", "一、一般公共预算财政拨款收入", {"决算数": Decimal("1200.50")}),
        ("收入", "二、政府性基金预算财政拨款收入", {"决算数": None}),
    ]
    assert spending.columns == ["本年支出合计", "基本支出", "项目支出"]
    assert [(r.code, r.name, r.values["基本支出"]) for r in spending.rows] == [
        (None, "合计", Decimal("800.00")),
        ("201", "一般公共服务支出", Decimal("800.00")),
    ]
    figures = report.key_figures
    assert (figures.income_total, figures.general_budget_appropriation_income) == (
        Decimal("1250.50"),
        Decimal("1200.50"),
    )
    assert report.evidence["key_figures.basic_expenditure"].page == 3


def test_a_page_stored_sideways_is_read_as_displayed(tmp_path: Path) -> None:
    upright = make_pdf(
        [
            PageSpec(
                lines=[("2023年度江北区财政局部门决算", 18.0), ("支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(
                    [
                        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                        ["", "合计", "1,040.00", "800.00", "240.00"],
                        ["201", "一般公共服务支出", "1,040.00", "800.00", "240.00"],
                    ],
                    [60, 120, 90, 90, 90],
                ),
            )
        ],
        tmp_path / "upright.pdf",
    )
    # A producer that stores the page landscape with its content turned, and /Rotate 90 to show it upright.
    sideways = pymupdf.open()
    page = sideways.new_page(width=842, height=595)
    with pymupdf.open(upright) as source:
        page.show_pdf_page(page.rect, source, 0, rotate=90)
    page.set_rotation(90)
    path = tmp_path / "sideways.pdf"
    sideways.save(path)
    report = extract(path, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    assert report.department == "江北区财政局"
    assert [(r.code, r.name, r.values["基本支出"]) for r in report.tables[0].rows] == [
        (None, "合计", Decimal("800.00")),
        ("201", "一般公共服务支出", Decimal("800.00")),
    ]


def test_amounts_low_on_every_page_are_table_rows_not_footers(tmp_path: Path) -> None:
    pages = []
    titles = (
        "收入决算表",
        "支出决算表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
    )
    for n, title in enumerate(titles):
        rows = [["科目编码", "科目名称", "金额"]]
        rows += [[f"2{n:02d}{i:02d}", f"第{n}类项目{i}", f"{n}{i}.{i:02d}"] for i in range(1, 37)]
        # The same amount on the last line of every page, down in the footer's band: a table row.
        rows.append([f"2{n:02d}99", f"第{n}类其他支出", "621.28"])
        spec = TableSpec(rows, [80, 160, 90], ruled=False)
        pages.append(PageSpec(lines=[(title, 12.0), ("单位：万元", 9.0)], table=spec))
    pdf = make_pdf([PageSpec(lines=[("2023年度江北区财政局部门决算", 18.0)]), *pages], tmp_path / "foot.pdf")
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    assert len(report.tables) == 4
    for table in report.tables:
        assert table.rows[-1].values == {"金额": Decimal("621.28")}, table.title


def test_unruled_table_keeps_its_closing_total_row(tmp_path: Path) -> None:
    rows = [["科目编码", "科目名称", "金额"]] + [
        [f"201{i:02d}", f"支出项目{i}", f"{i}.00"] for i in range(1, 6)
    ]
    rows.append(["", "合计", "15.00"])  # code cell blank, one amount: two words on the line
    pdf = make_pdf(
        [
            PageSpec(lines=[("2023年度江北区财政局部门决算", 18.0)]),
            PageSpec(
                lines=[("支出决算表", 12.0), ("单位：万元", 9.0)],
                table=TableSpec(rows, [80, 160, 90], ruled=False),
                after=["注：本表反映部门本年度各项支出情况。"],
            ),
        ],
        tmp_path / "unruled_total.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    last = report.tables[0].rows[-1]
    assert (last.code, last.name, last.values) == (None, "合计", {"金额": Decimal("15.00")})
    assert len(report.tables[0].rows) == 6
