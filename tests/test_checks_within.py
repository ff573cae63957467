"""Checks read from laid-out tables the extraction does not model: a part printed after 其中
within its whole (a budget's 绩效目标填报表, an ordinary two-line table), and the narrative's
number and total of 绩效目标 projects against the forms it prints."""

from __future__ import annotations

import pytest

from extractor.check import run_checks
from extractor.core.types import Cell, LayoutDocument, Page, SourceSpan, Table, TableBlock
from extractor.schemas import Budget, Finding


def _table(rows: list[list[str]]) -> LayoutDocument:
    cells = tuple(
        Cell(
            row=r,
            col=c,
            text=text,
            page=1,
            bbox=(40.0 + 80 * c, 100.0 + 20 * r, 110.0 + 80 * c, 116.0 + 20 * r),
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )
    table = Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells, pages=(1,), bbox=(40, 100, 700, 400))
    page = Page(number=1, width=842, height=595, lines=())
    return LayoutDocument(path="form.pdf", n_pages=1, pages=(page,), blocks=(TableBlock(table=table),))


def _failed(rows: list[list[str]]) -> list[Finding]:
    report = Budget(department="滨江街道办事处", fiscal_year=2023)
    findings = run_checks([report], [[]], layout=_table(rows))
    return [f for f in findings if f.check == "table.part_within_whole" and f.status == "fail"]


def _form(whole: str, part: str) -> list[list[str]]:
    return [
        ["项目资金（元）", "项目资金总额", "10,903,043.00", "年度资金申请总额", whole],
        ["", "其中：财政资金", "10,903,043.00", "其中：当年财政拨款", part],
        ["", "", "", "上年结转资金", "0.00"],
        ["", "其他资金", "0.00", "其他资金", "0.00"],
    ]


@pytest.mark.parametrize(
    ("whole", "part", "flagged"),
    [
        ("10,903,043.00", "11,419,043.00", ["11419043"]),
        ("10,903,043.00", "10,903,043.00", []),
        ("10,903,043.00", "9,000,000.00", []),
    ],
)
def test_a_part_above_its_whole_in_a_form(whole: str, part: str, flagged: list[str]) -> None:
    failed = _failed(_form(whole, part))
    assert [f.actual for f in failed] == flagged
    assert all(f.evidence["(part)"].page == 1 and "当年财政拨款" in f.evidence["(part)"].text for f in failed)


def test_each_column_against_the_same_column_of_the_whole() -> None:
    rows = [
        ["项目", "年初预算", "决算"],
        ["一般公共预算财政拨款收入", "120.00", "100.00"],
        ["其中：专项收入", "110.00", "105.00"],
        [
            "其中：行政事业性收费",
            "5.00",
            "5.00",
        ],  # a second part: compared with the whole too, not its sibling
    ]
    assert [(f.actual, f.expected) for f in _failed(rows)] == [("105", "≤ 100")]


# --- the narrative's 绩效目标 projects against the forms it prints --------------------------------


def _forms_run(totals: list[str], sentence: str) -> list[Finding]:
    rows = []
    for total in totals:
        rows += [
            ["项目名称", "某项目", "", "", ""],
            ["项目资金（元）", "项目资金总额", total, "年度资金申请总额", total],
        ]
    report = Budget(department="滨江街道办事处", fiscal_year=2023)
    paragraphs = [SourceSpan(page=1, text=sentence)]
    return [
        f for f in run_checks([report], [paragraphs], layout=_table(rows)) if f.check == "budget.goal_forms"
    ]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("本部门编报绩效目标的项目2个，涉及项目预算资金1000.00万元。", "pass"),
        ("本部门编报绩效目标的项目2个，涉及项目预算资金976.80万元。", "fail"),
        ("本部门编报绩效目标的项目3个，涉及项目预算资金1000.00万元。", "fail"),
        ("2018年本部门共2个项目实行绩效目标管理，涉及财政性资金合计1000万元。", "pass"),
    ],
)
def test_the_stated_projects_against_the_printed_forms(sentence: str, status: str) -> None:
    (finding,) = _forms_run(["4,100,000.00", "5,900,000.00"], sentence)
    assert finding.status == status and finding.expected == "2 / 1000"


def test_no_printed_form_no_judgement() -> None:
    # the forms published in another file: a table without them
    report = Budget(department="滨江街道办事处", fiscal_year=2023)
    paragraphs = [SourceSpan(page=1, text="本部门编报绩效目标的项目2个，涉及项目预算资金1000.00万元。")]
    layout = _table([["项目", "金额"], ["合计", "1,000.00"]])
    assert [
        f for f in run_checks([report], [paragraphs], layout=layout) if f.check == "budget.goal_forms"
    ] == []
