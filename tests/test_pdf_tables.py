"""Born-digital PDF path: ruled tables with merged cells, continuation over pages, footers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pdfgen import PageSpec, TableSpec, make_pdf

from extractor import extract
from extractor.api import ExtractOptions
from extractor.schemas import FinalAccount

HEADER = [
    ["项目", "", "本年支出合计", "基本支出", "项目支出"],
    ["功能分类科目编码", "科目名称", "", "", ""],
    ["栏次", "", "1", "2", "3"],
]
MERGES = [(0, 0, 1, 2), (0, 2, 2, 1), (0, 3, 2, 1), (0, 4, 2, 1), (2, 0, 1, 2)]
WIDTHS = [70, 150, 80, 80, 80]


def _expenditure_table(tmp_path: Path, split: bool) -> Path:
    body = [
        ["", "合计", "1,468.53", "971.50", "497.02"],
        ["208", "社会保障和就业支出", "76.21", "70.27", "5.94"],
        ["20805", "行政事业单位养老支出", "76.21", "70.27", "5.94"],
        ["210", "卫生健康支出", "1,358.08", "867.00", "491.09"],
        ["221", "住房保障支出", "32.87", "32.87", ""],
    ]
    title = [
        ("2022年度某某局部门决算", 16.0),
        ("支出决算表", 12.0),
        ("公开03表", 9.0),
        ("部门：某某局    金额单位：万元", 9.0),
    ]
    merges = [*MERGES, (3, 0, 1, 1)]
    if not split:
        pages = [
            PageSpec(
                lines=title, table=TableSpec(rows=HEADER + body, widths=WIDTHS, merges=merges), footer="— 1 —"
            )
        ]
    else:
        # The table breaks after two body rows; page 2 repeats the header (as Word does).
        pages = [
            PageSpec(
                lines=title,
                table=TableSpec(rows=HEADER + body[:2], widths=WIDTHS, merges=merges),
                footer="— 1 —",
            ),
            PageSpec(
                table=TableSpec(rows=HEADER[:2] + body[2:], widths=WIDTHS, merges=MERGES[:4]), footer="— 2 —"
            ),
        ]
    return make_pdf(pages, tmp_path / "fa.pdf")


def _table_03(path: Path) -> tuple[FinalAccount, list[dict[str, object]]]:
    result = extract(path, ExtractOptions(ocr="never"))
    report = result.reports[0]
    assert isinstance(report, FinalAccount)
    table = next(t for t in report.tables if t.id == "03")
    return report, [r.model_dump(mode="json") for r in table.rows]


def test_ruled_table_with_merged_header_cells(tmp_path: Path) -> None:
    report, rows = _table_03(_expenditure_table(tmp_path, split=False))
    table = report.tables[0]
    assert table.columns == ["本年支出合计", "基本支出", "项目支出"]
    assert [(r["code"], r["name"]) for r in rows] == [
        (None, "合计"),
        ("208", "社会保障和就业支出"),
        ("20805", "行政事业单位养老支出"),
        ("210", "卫生健康支出"),
        ("221", "住房保障支出"),
    ]
    assert rows[0]["values"] == {"本年支出合计": "1468.53", "基本支出": "971.50", "项目支出": "497.02"}
    assert rows[4]["values"]["项目支出"] is None
    assert report.key_figures.basic_expenditure == Decimal("971.50")
    assert report.unit == "万元"


def test_table_continued_over_a_page_break_is_one_table(tmp_path: Path) -> None:
    report, rows = _table_03(_expenditure_table(tmp_path, split=True))
    assert [r["code"] for r in rows] == [None, "208", "20805", "210", "221"]
    assert report.tables[0].pages == [1, 2]


def test_every_table_value_has_evidence_that_contains_it(tmp_path: Path) -> None:
    report, rows = _table_03(_expenditure_table(tmp_path, split=True))
    for i, row in enumerate(rows):
        for column, value in row["values"].items():  # type: ignore[attr-defined]
            if value is None:
                continue
            ev = report.evidence[f"tables[0].rows[{i}].values.{column}"]
            assert value in ev.text.replace(",", "")
            assert ev.bbox is not None and ev.page in (1, 2)


def test_page_footers_are_not_content(tmp_path: Path) -> None:
    from extractor.api import layout_file

    doc = layout_file(_expenditure_table(tmp_path, split=True), ExtractOptions(ocr="never"), {})
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert not any("— 1 —" in t or "— 2 —" in t for t in texts)
