"""A part printed after 其中 within its whole, read from laid-out tables: a budget's
绩效目标填报表 (a form the extraction does not model) and an ordinary two-line table."""

from __future__ import annotations

import pytest

from extractor.check import run_checks
from extractor.core.types import Cell, LayoutDocument, Page, Table, TableBlock
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
