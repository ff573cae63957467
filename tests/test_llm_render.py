"""What a request carries: a table row cut by a page break reaches the model (and grounding) whole;
long reports are sent as the chunks of each section, never cut blindly."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import PageSpec, TableSpec, make_pdf

from extractor.api import ExtractOptions, layout_file
from extractor.core.types import Cell, Table, TableBlock
from extractor.extract.llm.grounding import leaf_problem
from extractor.extract.llm.sections import Leaf
from extractor.render import build_chunk, row_groups

WIDTHS = [220.0, 90.0, 90.0]
HEADER = ["项目", "预算数", "决算数"]


def _pdf(tmp_path: Path, first: list[list[str]], second: list[list[str]]) -> Path:
    pages = [
        PageSpec(lines=[("支出决算表", 14)], table=TableSpec(rows=[HEADER, *first], widths=WIDTHS)),
        PageSpec(table=TableSpec(rows=second, widths=WIDTHS)),
    ]
    return make_pdf(pages, tmp_path / "split.pdf")


def _lines(path: Path) -> list[str]:
    doc = layout_file(path, ExtractOptions(ocr="never"), {})
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert len(tables) == 1 and tables[0].table.pages == (1, 2)  # the layout merged the two parts
    return [" ".join(line.split()) for line in build_chunk(list(doc.blocks)).text.split("\n")]


@pytest.mark.parametrize(
    ("label", "rest"),
    [
        ("机关事业单位基本养老", "保险缴费支出"),
        ("对个人和家庭的", "补助支出"),
        ("Other current", " transfers"),
    ],
)
def test_a_row_cut_by_a_page_break_is_rendered_whole(tmp_path: Path, label: str, rest: str) -> None:
    path = _pdf(
        tmp_path,
        [["一般公共服务支出", "80.00", "79.00"], [label, "12.50", "12.40"]],
        [[rest.strip(), "", ""], ["合计", "92.50", "91.40"]],
    )
    lines = _lines(path)
    assert f"| {label}{rest} | 12.50 | 12.40 |" in lines
    assert not any(line.startswith(f"| {rest.strip()}") for line in lines)
    assert "| 合计 | 92.50 | 91.40 |" in lines  # the next row stays a row of its own


def test_rows_of_their_own_stay_apart(tmp_path: Path) -> None:
    """A numbered item, a 合计, or a row with numbers of its own is not the rest of the row above."""
    path = _pdf(
        tmp_path,
        [["一、基本支出", "80.00", "79.00"]],
        [["二、项目支出", "", ""], ["其中：专项业务费", "12.50", "12.40"]],
    )
    lines = _lines(path)
    assert "| 一、基本支出 | 80.00 | 79.00 |" in lines
    assert "| 二、项目支出 | | |" in lines


def test_the_whole_row_grounds_a_value_and_keeps_both_pages() -> None:
    cells = (
        Cell(row=0, col=0, text="项目", page=1),
        Cell(row=0, col=1, text="决算数", page=1),
        Cell(row=1, col=0, text="机关事业单位基本养老", page=1, bbox=(60, 700, 280, 718)),
        Cell(row=1, col=1, text="12.40", page=1, bbox=(280, 700, 370, 718)),
        Cell(row=2, col=0, text="保险缴费支出", page=2, bbox=(60, 72, 280, 90)),
        Cell(row=2, col=1, text="", page=2),
    )
    table = Table(n_rows=3, n_cols=2, cells=cells, pages=(1, 2))
    assert row_groups(table) == [[0], [1, 2]]
    chunk = build_chunk([TableBlock(table=table)])
    quote = "| 机关事业单位基本养老保险缴费支出 | 12.40 |"
    assert quote in chunk.text
    leaf = Leaf("x", "12.40", quote, "number", "万元", labels=(("养老保险缴费",), ("决算",)))
    assert leaf_problem(leaf, chunk) is None  # the label is whole only when the row is
    span = chunk.locate("机关事业单位基本养老保险缴费支出")
    assert span is not None and span.page == 1
