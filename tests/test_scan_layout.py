"""Layout of what scanned real reports print: tables whose outer left or right border is not
printed (or too faint for a scan to keep), whose outer column is read, not dropped; and a
printed row whose OCR boxes' tops differ by a point or two, read left to right."""

from __future__ import annotations

import pytest

from extractor.core.types import Line, Ruling
from extractor.layout.tables import find_tables

ROWS = [
    ("功能科目代码", "功能科目名称", "金额"),
    ("", "合计", "15,897.44"),
    ("201", "一般公共服务支出", "12,706.28"),
]
YS = [180.0, 210.0, 240.0, 270.0]
CENTRES = [150.0, 310.0, 460.0]


def _lines(xs_centre: list[float]) -> list[Line]:
    return [
        Line(text=text, bbox=(x - 20, y + 8, x + 20, y + 20), page=13)
        for row, y in zip(ROWS, YS, strict=False)
        for text, x in zip(row, xs_centre, strict=True)
        if text
    ]


def _rulings(verticals: list[float], left: float = 79.0, right: float = 539.0) -> list[Ruling]:
    hs = [Ruling(x0=left, y0=y, x1=right, y1=y) for y in YS]
    vs = [Ruling(x0=x, y0=YS[0], x1=x, y1=YS[-1]) for x in verticals]
    return hs + vs


@pytest.mark.parametrize(
    ("verticals", "expected"),
    [
        ([80.0, 233.0, 386.0, 539.0], "all four borders printed"),
        ([80.0, 233.0, 386.0], "no right border"),
        ([233.0, 386.0, 539.0], "no left border"),
        ([233.0, 386.0], "neither"),
    ],
)
def test_the_outer_columns_are_read_whichever_outer_border_is_missing(
    verticals: list[float], expected: str
) -> None:
    (table,), rest = find_tables(_lines(CENTRES), _rulings(verticals), page=13)
    grid = [[c.text if c else None for c in row] for row in table.grid()]
    assert grid == [list(r) for r in ROWS], expected
    assert rest == []


def test_one_long_rule_is_not_an_edge() -> None:
    # A title's underline that happens to touch the table runs past it: one row of three, no column.
    rulings = _rulings([80.0, 233.0, 386.0, 539.0])
    rulings[0] = Ruling(x0=79.0, y0=YS[0], x1=580.0, y1=YS[0])
    (table,), _ = find_tables(_lines(CENTRES), rulings, page=13)
    assert table.n_cols == 3


def test_a_short_overhang_is_not_a_column() -> None:
    (table,), _ = find_tables(_lines(CENTRES), _rulings([84.0, 233.0, 386.0, 535.0]), page=13)
    assert table.n_cols == 3  # 5 pt past the border on each side: a ruling's overhang, no text fits


def test_a_printed_row_reads_left_to_right_whatever_its_boxes_tops() -> None:
    # OCR puts the boxes of one printed row 1-2 pt apart; ordered by their own tops the
    # row read `部门：` `单位：万元` `江苏省人大常委会办公厅`.
    from extractor.core.types import Page
    from extractor.layout.blocks import layout_pages

    lines = (
        Line(text="部门：", bbox=(101, 170, 131, 189), page=1, size=10.5),
        Line(text="单位：万元", bbox=(754, 171, 806, 188), page=1, size=10.5),
        Line(text="江苏省人大常委会办公厅", bbox=(222, 172, 324, 186), page=1, size=10.5),
        Line(
            text="下一行的正文内容较长，用来确定正文的字号与页边距。",
            bbox=(101, 200, 806, 214),
            page=1,
            size=10.5,
        ),
    )
    doc = layout_pages("x.pdf", [Page(number=1, width=842, height=595, lines=lines)])
    text = "".join(getattr(b, "text", "") for b in doc.blocks)
    assert text.index("部门：") < text.index("江苏省人大常委会办公厅") < text.index("单位：万元")


def test_a_continued_table_without_a_top_border_keeps_its_first_row() -> None:
    # A table carried over from the page before prints no top border: the columns' rulings
    # start at the table's top, and the row above the first horizontal ruling is read.
    rulings = [Ruling(x0=79.0, y0=y, x1=539.0, y1=y) for y in YS[1:]]
    rulings += [Ruling(x0=x, y0=YS[0], x1=x, y1=YS[-1]) for x in (80.0, 233.0, 386.0, 539.0)]
    (table,), rest = find_tables(_lines(CENTRES), rulings, page=12)
    assert [[c.text if c else None for c in row] for row in table.grid()] == [list(r) for r in ROWS]
    assert rest == []
