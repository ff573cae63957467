"""Variants the samples do not contain, made here: other departments and years, reworded
titles, other column orders, amounts printed in 元, other form wording."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pdfgen import PageSpec, TableSpec, make_pdf

from extractor import extract
from extractor.api import ExtractOptions
from extractor.schemas import FinalAccount, ProjectSelfEval

NEVER = ExtractOptions(ocr="never")


def test_other_column_order_and_amounts_in_yuan(tmp_path: Path) -> None:
    header = [
        ["项目", "", "项目支出", "基本支出", "本年支出合计"],
        ["科目编码", "科目名称", "", "", ""],
    ]
    body = [
        ["", "合计", "2,345,600.00", "10,000,000.00", "12,345,600.00"],
        ["201", "一般公共服务支出", "2,345,600.00", "10,000,000.00", "12,345,600.00"],
    ]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[
                    ("2023年度某某县财政局单位决算", 18.0),
                    ("本单位决算由以下表格组成，金额以元列示。", 10.0),
                    ("表格中单元格空白表示数据为零。", 10.0),
                    ("支出决算表", 12.0),
                    ("单位：元", 9.0),
                ],
                table=TableSpec(
                    rows=header + body,
                    widths=[44, 110, 112, 112, 112],
                    merges=[(0, 0, 1, 2), (0, 2, 2, 1), (0, 3, 2, 1), (0, 4, 2, 1)],
                ),
            )
        ],
        tmp_path / "yuan.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    assert (report.department, report.fiscal_year, report.unit) == ("某某县财政局", 2023, "元")
    table = report.tables[0]
    assert table.id == "03"
    assert table.columns == ["项目支出", "基本支出", "本年支出合计"]
    total = table.rows[0].values
    assert total == {
        "项目支出": Decimal("234.56"),
        "基本支出": Decimal("1000"),
        "本年支出合计": Decimal("1234.56"),
    }
    assert report.key_figures.basic_expenditure == Decimal("1000")
    assert report.key_figures.project_expenditure == Decimal("234.56")


def test_project_form_with_other_wording(tmp_path: Path) -> None:
    rows = [
        ["项目名称", "乡村道路养护", "", "", "", "", "", "", ""],
        ["主管部门", "某某县交通运输局", "", "", "实施单位", "某某县公路事务中心", "", "", ""],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        ["", "年度资金总额", "120", "100", "80", "10", "80%", "8", ""],
        ["", "其中：当年财政拨款", "120", "100", "80", "", "", "", ""],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        ["", "产出指标（50分）", "数量指标", "养护里程", "≥120公里", "118公里", "30", "28", "雨季停工"],
        ["", "", "时效指标", "完成时间", "2023年底", "按时完成", "20", "20", ""],
        ["", "满意度指标（40分）", "服务对象满意度指标", "群众满意度", "≥90%", "93%", "40", "40", ""],
        ["总分", "", "", "", "", "", "100", "96", ""],
    ]
    merges = [
        (0, 1, 1, 8),
        (1, 1, 1, 3),
        (1, 5, 1, 4),
        (2, 0, 3, 1),
        (5, 0, 4, 1),
        (6, 1, 2, 1),
        (9, 0, 1, 6),
    ]
    widths = [44, 66, 62, 70, 56, 56, 34, 34, 60]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[("2023年度项目支出绩效自评表", 14.0)],
                table=TableSpec(rows=rows, widths=widths, merges=merges),
            )
        ],
        tmp_path / "form.pdf",
    )
    result = extract(pdf, NEVER)
    report = result.reports[0]
    assert isinstance(report, ProjectSelfEval)
    assert report.project_name == "乡村道路养护"
    assert report.department == "某某县交通运输局"
    assert report.implementer == "某某县公路事务中心"
    assert report.funds and report.funds.total
    assert (report.funds.total.initial_budget, report.funds.total.executed) == (Decimal("120"), Decimal("80"))
    assert (report.execution_rate, report.funds_score, report.total_score) == (
        Decimal("80"),
        Decimal("8"),
        Decimal("96"),
    )
    names = [(i.level1, i.level2, i.name, i.weight, i.score, i.note) for i in report.indicators]
    assert names == [
        ("产出指标", "数量指标", "养护里程", Decimal("30"), Decimal("28"), "雨季停工"),
        ("产出指标", "时效指标", "完成时间", Decimal("20"), Decimal("20"), None),
        ("满意度指标", "服务对象满意度指标", "群众满意度", Decimal("40"), Decimal("40"), None),
    ]
    # The form's own numbers are consistent: every check passes or is skipped, none fails.
    assert [f.message for f in result.findings if f.status == "fail"] == []


def test_a_document_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    import pytest

    from extractor import InputError

    pdf = make_pdf(
        [PageSpec(lines=[("会议通知", 16.0), ("请各单位于下周一参加会议。", 10.0)])], tmp_path / "n.pdf"
    )
    with pytest.raises(InputError, match="no 部门决算, 部门预算 or 绩效自评 report"):
        extract(pdf, NEVER)


def test_table_without_ruling_lines(tmp_path: Path) -> None:
    rows = [
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["", "合计", "1,468.53", "971.50", "497.02"],
        ["208", "社会保障和就业支出", "76.21", "70.27", "5.94"],
        ["210", "卫生健康支出", "1,358.08", "867.00", "491.09"],
        ["221", "住房保障支出", "32.87", "32.87", ""],
    ]
    pdf = make_pdf(
        [
            PageSpec(
                lines=[
                    ("2022年度某某局部门决算", 18.0),
                    ("以下为本部门支出决算情况，表格未加框线。", 10.0),
                    ("支出决算表", 12.0),
                    ("公开03表", 9.0),
                ],
                table=TableSpec(rows=rows, widths=[60, 130, 100, 90, 90], ruled=False),
            )
        ],
        tmp_path / "unruled.pdf",
    )
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, FinalAccount)
    table = report.tables[0]
    assert table.columns == ["本年支出合计", "基本支出", "项目支出"]
    assert [(r.code, r.name) for r in table.rows] == [
        (None, "合计"),
        ("208", "社会保障和就业支出"),
        ("210", "卫生健康支出"),
        ("221", "住房保障支出"),
    ]
    assert table.rows[2].values["基本支出"] == Decimal("867.00")
    assert table.rows[3].values["项目支出"] is None
