"""转移支付绩效自评报告 stated in prose, in two wordings built here: amounts, the goal, and
indicators whose targets sit in the goal section and whose actual values sit in the
completion section."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pdfgen import PageSpec, make_pdf

from extractor import extract
from extractor.api import ExtractOptions
from extractor.schemas import TransferSelfEval

NEVER = ExtractOptions(ocr="never")

REPORT = """2023年度中央财政医疗服务与保障能力提升补助资金绩效自评报告
一、基本情况
（一）资金概况
2023年，省财政厅下达我局中央财政医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）85万元，截至2023年12月31日，实际支出80.75万元，执行率95%。
（二）绩效目标
年度目标：推进医保信息化标准化建设，提升医保经办服务能力，提高群众满意度。
产出指标：数量指标：医保信息化标准化建设完成率≥90%；质量指标：医保经办服务事项网上办理率不低于80%；时效指标：资金拨付及时率100%。效益指标：社会效益指标：医保业务办理时限压缩≥20%；满意度指标：服务对象满意度指标：参保群众满意度≥85%。
二、绩效目标完成情况
截至年底，医保信息化标准化建设完成率100%，医保经办服务事项网上办理率达到86.5%，资金拨付及时率为100%，医保业务办理时限压缩25%，参保群众满意度92%。
三、存在的问题
1.部分基层经办人员业务能力不足。
2.资金支出进度偏慢。
四、改进措施
1.加强基层经办人员培训。
2.加快资金支出进度。
江北区医疗保障局
2024年3月15日
"""


def test_transfer_report_in_prose(tmp_path: Path) -> None:
    path = tmp_path / "transfer.txt"
    path.write_text(REPORT, encoding="utf-8")
    report = extract(path, NEVER).reports[0]
    assert isinstance(report, TransferSelfEval)
    assert (report.department, report.fiscal_year) == ("江北区医疗保障局", 2023)
    assert report.program_name == "中央财政医疗服务与保障能力提升补助资金"
    assert (report.allocated_amount, report.executed_amount, report.execution_rate) == (
        Decimal("85"),
        Decimal("80.75"),
        Decimal("95"),
    )
    assert report.annual_goal == "推进医保信息化标准化建设，提升医保经办服务能力，提高群众满意度。"
    got = [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in report.indicators]
    assert got == [
        ("产出指标", "数量指标", "医保信息化标准化建设完成率", "≥90%", "100%", None),
        ("产出指标", "质量指标", "医保经办服务事项网上办理率", "不低于80%", "86.5%", None),
        ("产出指标", "时效指标", "资金拨付及时率", "100%", "100%", None),
        ("效益指标", "社会效益指标", "医保业务办理时限压缩", "≥20%", "25%", None),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥85%", "92%", None),
    ]
    assert report.problems == ["部分基层经办人员业务能力不足。", "资金支出进度偏慢。"]
    assert report.measures == ["加强基层经办人员培训。", "加快资金支出进度。"]
    for path_ in ("allocated_amount", "annual_goal", "indicators[2].target", "indicators[4].actual"):
        assert path_ in report.evidence


def test_transfer_report_other_wording_as_pdf(tmp_path: Path) -> None:
    lines = [
        ("江北区2024年农村饮水安全工程补助资金", 16.0),
        ("绩效自评报告", 16.0),
        ("一、项目概况", 12.0),
        ("资金名称：农村饮水安全工程补助资金。上级下达资金120万元，", 10.0),
        ("已支出114万元，资金执行率达95%。", 10.0),
        ("二、年度绩效目标", 12.0),
        ("总体目标：保障农村居民饮水安全。", 10.0),
        ("1.新建供水站数量≥3个；2.受益人口不少于1.2万人；", 10.0),
        ("3.受益群众满意度≥90%。", 10.0),
        ("三、目标实现情况", 12.0),
        ("全年新建供水站数量4个，受益人口1.35万人，受益群众满意度达96%。", 10.0),
    ]
    pdf = make_pdf([PageSpec(lines=lines)], tmp_path / "water.pdf")
    report = extract(pdf, NEVER).reports[0]
    assert isinstance(report, TransferSelfEval)
    assert report.program_name == "农村饮水安全工程补助资金"
    assert (report.allocated_amount, report.executed_amount, report.execution_rate) == (
        Decimal("120"),
        Decimal("114"),
        Decimal("95"),
    )
    assert report.annual_goal == "保障农村居民饮水安全。"
    got = [(i.name, i.target, i.actual) for i in report.indicators]
    assert got == [
        ("新建供水站数量", "≥3个", "4个"),
        ("受益人口", "不少于1.2万人", "1.35万人"),
        ("受益群众满意度", "≥90%", "96%"),
    ]
