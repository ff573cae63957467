"""The #11 families on hand-made reports and narratives (other amounts, other wordings):
the same row across tables, blank totals, narrative amounts against the tables, year-on-year
arithmetic, rates against their label and a zero budget, shares by candidate wholes, sums
stated in the narrative. Each wrong case is flagged; the same case written right passes."""

from __future__ import annotations

from typing import Any

import pytest
from test_checks_wording import Block, _run

from extractor.check import run_checks
from extractor.core.types import SourceSpan
from extractor.schemas import FinalAccount, Finding


def _table(table_id: str, columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": table_id, "title": f"表{table_id}", "columns": columns, "rows": rows}


def _two_sided(value: str) -> dict[str, Any]:
    return _table(
        "01",
        ["决算数"],
        [
            {"name": "一、一般公共预算财政拨款收入", "side": "收入", "values": {"决算数": "500.00"}},
            {"name": "七、教育支出", "side": "支出", "values": {"决算数": value}},
            {"name": "本年支出合计", "side": "支出", "values": {"决算数": "500.00"}},
        ],
    )


def _by_code(value: str) -> dict[str, Any]:
    return _table(
        "03",
        ["本年支出合计", "基本支出", "项目支出"],
        [
            {
                "name": "合计",
                "values": {"本年支出合计": "500.00", "基本支出": "300.00", "项目支出": "200.00"},
            },
            {
                "code": "205",
                "name": "教育支出",
                "values": {"本年支出合计": value, "基本支出": "300.00", "项目支出": "200.00"},
            },
        ],
    )


def _failed(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check and f.status == "fail"]


@pytest.mark.parametrize(("in_03", "ok"), [("500.00", True), ("500.01", False)])
def test_the_same_class_prints_the_same_amount_in_every_table(in_03: str, ok: bool) -> None:
    report = FinalAccount.model_validate({"tables": [_two_sided("500.00"), _by_code(in_03)]})
    failed = _failed(run_checks([report]), "cross.same_row")
    assert (failed == []) is ok
    if not ok:
        assert failed[0].severity == "error" and "500.01" in failed[0].message


def test_a_blank_total_with_parts_is_an_error() -> None:
    table = _table(
        "03",
        ["本年支出合计"],
        [
            {"name": "合计", "values": {"本年支出合计": None}},
            {"code": "205", "name": "教育支出", "values": {"本年支出合计": "120.00"}},
            {"code": "208", "name": "社会保障和就业支出", "values": {"本年支出合计": "30.00"}},
        ],
    )
    failed = _failed(run_checks([FinalAccount.model_validate({"tables": [table]})]), "table.blank_total")
    assert [f.actual for f in failed] == ["blank"]


def _fa_with_tables(three_public_budget: str | None = "12.00") -> FinalAccount:
    return FinalAccount.model_validate(
        {
            "fiscal_year": 2023,
            "tables": [
                _table(
                    "05",
                    ["合计", "基本支出", "项目支出"],
                    [
                        {
                            "code": "205",
                            "name": "教育支出",
                            "values": {"合计": "480.00", "基本支出": "280.00", "项目支出": "200.00"},
                        },
                        {
                            "code": "20502",
                            "name": "普通教育",
                            "values": {"合计": "480.00", "基本支出": "280.00", "项目支出": "200.00"},
                        },
                        {
                            "code": "2050204",
                            "name": "高中教育",
                            "values": {"合计": "480.00", "基本支出": "280.00", "项目支出": "200.00"},
                        },
                        {
                            "name": "合计",
                            "values": {"合计": "480.00", "基本支出": "280.00", "项目支出": "200.00"},
                        },
                    ],
                ),
                _table(
                    "06",
                    ["决算数"],
                    [
                        {"name": "人员经费合计", "values": {"决算数": "250.00"}},
                        {"name": "公用经费合计", "values": {"决算数": "30.00"}},
                    ],
                ),
                _table(
                    "09",
                    ["预算数/合计", "决算数/合计", "预算数/公务接待费", "决算数/公务接待费"],
                    [
                        {
                            "values": {
                                "预算数/合计": three_public_budget,
                                "决算数/合计": "9.50",
                                "预算数/公务接待费": "12.00",
                                "决算数/公务接待费": "9.50",
                            }
                        }
                    ],
                ),
            ],
        }
    )


def _narrative(*paragraphs: str) -> list[list[Block]]:
    return [[("h", "五、一般公共预算财政拨款支出决算情况说明"), *(("p", p) for p in paragraphs)]]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("一般公共预算财政拨款支出480.00万元，主要用于教育支出（类）480.00万元。", []),
        ("教育支出（类）480.10万元，占100.00%。", ["480.10"]),
        ("一般公共预算财政拨款基本支出281.00万元。其中：人员经费250.00万元；公用经费30.00万元。", ["281"]),
        ("其中：人员经费251.00万元，公用经费30.00万元。", ["251"]),
        ("“三公”经费财政拨款支出年初预算为12.00万元，支出决算为9.50万元。", []),
        ("“三公”经费财政拨款支出年初预算为12.50万元，支出决算为9.50万元。", ["12.50"]),
        ("教育支出（类）普通教育（款）高中教育（项）。年初预算为500.00万元，支出决算为480.00万元。", []),
        ("教育支出（类）普通教育（款）高中教育（项）。年初预算为500.00万元，支出决算为470.00万元。", ["470"]),
    ],
)
def test_narrative_amounts_against_the_tables(text: str, wrong: list[str]) -> None:
    failed = _failed(_run(_fa_with_tables(), _narrative(text)), "narrative.table_amount")
    assert [f.actual for f in failed] == wrong


def test_an_amount_stated_where_the_table_is_blank() -> None:
    findings = _run(
        _fa_with_tables(three_public_budget=None),
        _narrative("“三公”经费年初预算为12.00万元，支出决算为9.50万元。"),
    )
    (failed,) = _failed(findings, "narrative.table_amount")
    assert "blank" in failed.message


def test_a_class_named_otherwise_than_the_table_prints_it() -> None:
    text = "教育支出（类）普通教育（款）初中教育（项）。年初预算为500.00万元，支出决算为480.00万元。"
    (failed,) = _failed(_run(_fa_with_tables(), _narrative(text)), "narrative.level_name")
    assert failed.severity == "warning" and "高中教育" in failed.message


def _prose(*paragraphs: str, **key_figures: str) -> list[Finding]:
    report = FinalAccount.model_validate({"key_figures": key_figures})
    spans = [SourceSpan(page=1, text=p) for p in paragraphs]
    return run_checks([report], [spans])


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("机关运行经费支出58.30万元，比2022年度增加8.30万元，增长16.60%。", "pass"),
        ("机关运行经费支出58.30万元，比2022年度增加8.30万元，增长14.24%。", "fail"),
        ("培训费支出12.00万元，比上年增加12.00万元，增长100.00%。", "fail"),  # from a base of 0
        ("上年决算数为50.00万元，本年决算数为58.30万元，增加8.30万元，增长16.60%。", "pass"),
        (
            "上年决算数为500.00万元，本年决算数为58.30万元，增加8.30万元，增长16.60%。",
            "fail",
        ),  # a digit too many
    ],
)
def test_year_on_year_statements(text: str, status: str) -> None:
    statuses = {f.status for f in _prose(text) if f.check == "prose.change"}
    assert status in statuses and (status == "fail" or statuses == {"pass"})


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。", "pass"),  # truncated
        ("年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.46%。", "pass"),  # rounded
        ("年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.44%。", "fail"),
        (
            "年初预算为0.00万元，支出决算为95.89万元，完成年初预算的95.89%。",
            "fail",
        ),  # a rate of a zero budget
        ("全年预算为120.00万元，支出决算为114.00万元，完成年初预算的95.00%。", "fail"),  # label: 全年 vs 年初
        ("年初预算为0.00万元，支出决算为0.00万元，完成年初预算的0.00%。", "skipped"),
    ],
)
def test_rates_against_their_label_and_budget(text: str, status: str) -> None:
    (finding,) = [f for f in _prose(text) if f.check == "prose.completion_rate"]
    assert finding.status == status, finding.message


def test_a_share_is_tried_against_every_whole_the_sentence_allows() -> None:
    # 2336.91 / 2940.05 (本年支出合计) = 79.49%, not of 本年收入合计 2946.25 (79.32%).
    text = "本年收入合计2946.25万元。基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%。"
    findings = [
        f
        for f in _prose(text, income_total="2946.25", expenditure_total="2940.05")
        if f.check == "prose.share"
    ]
    assert [f.status for f in findings] == ["pass", "pass"]
    wrong = text.replace("79.49%", "78.49%")
    (bad, _) = [
        f
        for f in _prose(wrong, income_total="2946.25", expenditure_total="2940.05")
        if f.check == "prose.share"
    ]
    assert bad.status == "fail" and "2940.05" in bad.message


@pytest.mark.parametrize(
    ("text", "severity", "words"),
    [
        (
            "政府采购支出总额150.00万元，其中：政府采购货物支出50.00万元、政府采购工程支出20.00万元、政府采购服务支出80.00万元。",
            None,
            "",
        ),
        (
            "政府采购支出总额150.00万元，其中：政府采购货物支出50.00万元、政府采购工程支出50.00万元、政府采购服务支出100.00万元。",
            "error",
            "counted twice",
        ),
        (
            "政府采购支出总额150.00万元，其中：政府采购货物支出50.01万元、政府采购工程支出20.00万元、政府采购服务支出80.00万元。",
            "warning",
            "rounding-level",
        ),
    ],
)
def test_a_whole_and_its_parts_in_the_narrative(text: str, severity: str | None, words: str) -> None:
    failed = [f for f in _prose(text) if f.check == "prose.split" and f.status == "fail"]
    assert [f.severity for f in failed] == ([severity] if severity else [])
    assert all(words in f.message for f in failed)


def test_numbered_items_add_up_to_the_stated_total() -> None:
    head = "一般公共预算财政拨款支出年初预算为300.00万元，支出决算为290.00万元。其中："
    items = [
        "1、教育支出（类）年初预算为100.00万元，支出决算为95.00万元。",
        "2、科学技术支出（类）年初预算为150.00万元，支出决算为145.00万元。",
    ]
    failed = [f for f in _prose(head, *items) if f.check == "prose.item_list" and f.status == "fail"]
    assert sorted(f.actual or "" for f in failed) == ["290", "300"]
    fixed = [items[0], items[1].replace("150.00", "200.00").replace("145.00", "195.00")]
    assert [f for f in _prose(head, *fixed) if f.check == "prose.item_list" and f.status == "fail"] == []


def test_two_changes_stated_for_one_total() -> None:
    first = "本年收入合计830.00万元，比上年增加30.00万元，增长3.75%。"
    second = "本年收入合计830.00万元，较上年增加40.00万元，增长5.06%。"
    failed = [
        f for f in _prose(first, second) if f.check == "prose.change_consistency" and f.status == "fail"
    ]
    assert len(failed) == 1 and "30" in failed[0].message and "40" in failed[0].message
    assert [f for f in _prose(first, first) if f.check == "prose.change_consistency"] == []
