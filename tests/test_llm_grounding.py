"""Grounding: a model's value is kept only when its quote is in the document and the value in its quote;
chunks keep the page and box of every piece of text."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.core.types import Cell, Heading, Paragraph, SourceSpan, Table, TableBlock
from extractor.extract.llm.grounding import leaf_problem, numbers_in
from extractor.extract.llm.sections import SECTIONS, Leaf, assemble, leaves
from extractor.render import build_chunk, text_chunk

DOC = text_chunk(
    "单位：元\n| 本年收入合计 | 12,345,600.00 |\n"
    "2023年度支出合计1,467.16万元，执行率 93.77%。报告日期：2024年3月5日。\n"
    "一是预算编制\n不够精准。\n"
)


def problem(
    value: str, quote: str, kind: str = "number", unit: str | None = "万元", **kw: bool
) -> str | None:
    return leaf_problem(Leaf("x", value, quote, kind, unit), DOC, **kw)  # type: ignore[arg-type]


def test_numbers_in_a_quote() -> None:
    assert numbers_in("合计 1,467.16 万元，占 93.77%，共１２人") == ["1467.16", "93.77", "12"]


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        ("1467.16", "支出合计1,467.16万元"),  # thousands separator removed
        ("1467.16", "支出合计1,467.16 万元"),  # whitespace inside the quote does not matter
        ("93.77", "执行率 93.77%"),
        ("1234.56", "本年收入合计 | 12,345,600.00"),  # 元 → 万元: the table says 元 …
    ],
)
def test_grounded_numbers(value: str, quote: str) -> None:
    assert problem(value, quote, yuan_tables=True) is None


def test_yuan_conversion_needs_yuan() -> None:
    assert problem("1234.56", "本年收入合计 | 12,345,600.00") is not None  # … and nothing says 元 here
    assert problem("1234.56", "单位：元\n| 本年收入合计 | 12,345,600.00") is None  # the quote says 元
    assert problem("0.146716", "支出合计1,467.16万元") is not None  # 万元 is not 元


def test_a_number_must_keep_its_printed_precision() -> None:
    reason = problem("93.8", "执行率 93.77%")
    assert reason and "does not occur" in reason
    reason = problem("1467.160", "支出合计1,467.16万元")
    assert reason and "keep the printed precision" in reason


def test_the_quote_must_be_in_the_document() -> None:
    reason = problem("1467.16", "支出合计1467.16万元整")
    assert reason and "does not occur in the document" in reason


def test_formats() -> None:
    assert "plain decimal string" in (problem("1,467.16", "支出合计1,467.16万元") or "")
    assert "plain decimal string" in (problem("93.77%", "执行率 93.77%") or "")
    assert problem("2024-03-05", "报告日期：2024年3月5日", "date") is None
    assert "not the date" in (problem("2024-05-03", "报告日期：2024年3月5日", "date") or "")
    assert "YYYY-MM-DD" in (problem("2024年3月5日", "报告日期：2024年3月5日", "date") or "")
    assert "empty" in (problem(" ", "执行率 93.77%") or "")


def test_text_is_matched_without_whitespace() -> None:
    assert problem("预算编制不够精准。", "一是预算编制 不够精准。", "text", None) is None
    assert problem("预算编制不够精准", "一是预算编制不够精准。", "text", None) is None
    assert problem("预算执行不够精准", "一是预算编制不够精准。", "text", None) is not None


def test_each_indicator_value_has_its_own_quote() -> None:
    """In prose the target is in the goal sentence and the actual value in the completion
    sentence: no single quote holds both, so each value is quoted (and checked) on its own."""
    chunk = text_chunk(
        "| 产出指标（40分） | 数量指标 | 覆盖率 | 100% |\n|  |  | 完成率 | 95% |\n"
        "年度目标：培训基层人员不少于800人次。\n全年实际培训基层人员912人次，超额完成。\n"
    )
    answer = {
        "indicators": [
            {
                "level1": {"value": "产出指标", "quote": "产出指标（40分）"},
                "level2": {"value": "数量指标", "quote": "数量指标"},
                "name": {"value": "完成率", "quote": "完成率 | 95%"},
                "target": {"value": "95%", "quote": "完成率 | 95%"},
            },
            {
                "name": {"value": "培训基层人员", "quote": "培训基层人员不少于800人次"},
                "target": {"value": "不少于800人次", "quote": "年度目标：培训基层人员不少于800人次。"},
                "actual": {"value": "912人次", "quote": "全年实际培训基层人员912人次，超额完成。"},
            },
        ]
    }
    found = leaves(SECTIONS["project_self_eval.indicators"], answer)
    assert [f.path for f in found] == [
        "indicators[0].level1",
        "indicators[0].level2",
        "indicators[0].name",
        "indicators[0].target",
        "indicators[1].name",
        "indicators[1].target",
        "indicators[1].actual",
    ]
    assert {f.field for f in found} == {"indicators"}
    assert [leaf_problem(f, chunk) for f in found] == [None] * 7
    # an actual value quoted from the goal sentence is refused on its own, the rest of the row stands
    wrong = answer["indicators"][1] | {
        "actual": {"value": "912人次", "quote": "年度目标：培训基层人员不少于800人次。"}
    }
    found = leaves(SECTIONS["project_self_eval.indicators"], {"indicators": [wrong]})
    assert [bool(leaf_problem(f, chunk)) for f in found] == [False, False, True]


def test_assemble_keeps_only_the_accepted_values() -> None:
    section = SECTIONS["project_self_eval.indicators"]
    answer = {
        "indicators": [
            {"name": {"value": "完成率", "quote": "完成率"}, "target": {"value": "95%", "quote": "95%"}},
            {"name": {"value": "覆盖率", "quote": "覆盖率"}, "actual": {"value": "99%", "quote": "99%"}},
        ]
    }
    found = leaves(section, answer)
    kept = [f for f in found if f.path != "indicators[0].target" and f.path != "indicators[1].name"]
    # a row whose name was refused is dropped whole: the name says which indicator the values belong to
    assert assemble(section, kept) == {"indicators": [{"name": {"value": "完成率", "quote": "完成率"}}]}
    assert assemble(section, found) == answer


def test_chunks_map_quotes_to_pages_and_boxes() -> None:
    table = Table(
        n_rows=2,
        n_cols=2,
        pages=(3,),
        cells=(
            Cell(row=0, col=0, text="项目", page=3, bbox=(10, 10, 50, 20)),
            Cell(row=0, col=1, text="金额|万元", page=3, bbox=(50, 10, 90, 20)),
            Cell(row=1, col=0, text="本年收入\n合计", page=3, bbox=(10, 20, 50, 30)),
            Cell(row=1, col=1, text="1,467.16", page=3, bbox=(50, 20, 90, 30)),
        ),
    )
    blocks = [
        Heading(
            level=1, text="一、收入情况", span=SourceSpan(page=2, bbox=(0, 0, 100, 10), text="一、收入情况")
        ),
        Paragraph(
            text="本年收入合计1467.16万元，比上年增加12.00万元。",
            spans=(
                SourceSpan(page=2, bbox=(0, 20, 100, 30), text="本年收入合计1467.16万元，"),
                SourceSpan(page=3, bbox=(0, 0, 100, 10), text="比上年增加12.00万元。"),
            ),
        ),
        TableBlock(table=table),
    ]
    chunk = build_chunk(blocks)
    assert "| 项目 | 金额¦万元 |\n| 本年收入 合计 | 1,467.16 |" in chunk.text
    row = chunk.locate("本年收入合计 | 1,467.16")
    assert row and row.page == 3 and row.bbox == (10, 20, 90, 30)
    second_line = chunk.locate("比上年增加12.00万元")
    assert second_line and second_line.page == 3 and second_line.bbox == (0, 0, 100, 10)
    assert chunk.locate("比上年减少") is None
    assert not build_chunk(blocks, limit=1000).truncated and build_chunk(blocks * 200, limit=1000).truncated


def _table_chunk(title: str, rows: list[list[str]]) -> Any:
    cells = tuple(
        Cell(row=r, col=c, text=text, page=1) for r, row in enumerate(rows) for c, text in enumerate(row)
    )
    table = Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells, pages=(1,))
    heading = Heading(level=2, text=title, span=SourceSpan(page=1, bbox=None, text=title))
    return build_chunk([heading, TableBlock(table=table)])


def _figure(path: str, value: str, quote: str) -> Leaf:
    section = SECTIONS["final_account.key_figures"]
    answer: dict[str, Any] = {"key_figures": {path: {"value": value, "quote": quote}}}
    (leaf,) = leaves(section, answer)
    return leaf


def test_a_number_must_sit_under_its_fields_labels() -> None:
    chunk = _table_chunk(
        "一般公共预算财政拨款基本支出决算表",
        [
            ["人员经费", "", "公用经费", ""],
            ["科目名称", "决算数", "科目名称", "决算数"],
            ["人员经费合计", "872.14", "公用经费合计", "97.99"],
        ],
    )
    quote = "| 人员经费合计 | 872.14 | 公用经费合计 | 97.99 |"
    assert leaf_problem(_figure("personnel_expenses", "872.14", quote), chunk) is None
    assert leaf_problem(_figure("public_expenses", "97.99", quote), chunk) is None
    # the row labels name 公用经费: the title's 基本支出 does not make 97.99 the basic expenditure
    problem = leaf_problem(_figure("basic_expenditure", "97.99", quote), chunk)
    assert problem and "not printed under a label of this field" in problem
    # the left label, not any label of the row: 872.14 is not the 公用经费
    assert leaf_problem(_figure("public_expenses", "872.14", quote), chunk)


def test_a_table_title_labels_a_total_row() -> None:
    chunk = _table_chunk("“三公”经费支出决算表", [["项目", "预算数", "决算数"], ["合计", "9.00", "6.22"]])
    assert leaf_problem(_figure("three_public_actual", "6.22", "| 合计 | 9.00 | 6.22 |"), chunk) is None
    assert leaf_problem(_figure("three_public_budget", "9.00", "| 合计 | 9.00 | 6.22 |"), chunk) is None
    # budget and actual are told apart by the column
    assert leaf_problem(_figure("three_public_budget", "6.22", "| 合计 | 9.00 | 6.22 |"), chunk)


def test_a_prose_number_is_labelled_by_its_clause_and_its_sentences_topic() -> None:
    chunk = text_chunk("“三公”经费财政拨款支出预算为9.00万元，支出决算为6.22万元，完成预算的69.11%。\n")
    assert leaf_problem(_figure("three_public_actual", "6.22", "支出决算为6.22万元"), chunk) is None
    assert leaf_problem(_figure("three_public_budget", "9.00", "支出预算为9.00万元"), chunk) is None
    assert leaf_problem(_figure("three_public_budget", "6.22", "支出决算为6.22万元"), chunk)


def test_a_lists_numbering_and_a_year_are_not_values() -> None:
    """A weak model takes the 1 of 1．… or the 2022 of 2022年 for a figure: neither is printed as one."""
    chunk = text_chunk(
        "1．部门整体支出绩效评价基础数据表\n2022年门诊花费176万元。\n（2）支出合计：5万元；3、其他\n"
    )

    def grounded(value: str, quote: str, kind: str = "number") -> str | None:
        return leaf_problem(Leaf("x", value, quote, kind, "万元"), chunk)  # type: ignore[arg-type]

    assert "does not occur in its quote" in str(grounded("1", "1．部门整体支出绩效评价基础数据表"))
    assert "does not occur in its quote" in str(grounded("2022", "2022年门诊花费176万元"))
    assert grounded("176", "2022年门诊花费176万元") is None
    assert grounded("2022", "2022年门诊花费176万元", kind="int") is None  # a year is a year's value
    assert "does not occur in its quote" in str(grounded("2", "（2）支出合计：5万元"))
    assert "does not occur in its quote" in str(grounded("3", "3、其他"))
    assert grounded("5", "（2）支出合计：5万元") is None


def test_a_code_is_never_an_amount() -> None:
    # a blank template's 基本支出决算表: the title names the field, the code column prints 30224
    chunk = _table_chunk(
        "一般公共预算财政拨款基本支出决算表",
        [
            ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
            ["30101", "基本工资", "", "30224", "被装购置费", ""],
            ["", "人员经费合计", "872.14", "", "公用经费合计", "97.99"],
        ],
    )
    coded = leaf_problem(_figure("basic_expenditure", "30224", "| 30224 | 被装购置费 |"), chunk)
    assert coded and "not printed under a label of this field" in coded
    # the amounts of the same table are still read
    quote = "|  | 人员经费合计 | 872.14 |  | 公用经费合计 | 97.99 |"
    assert leaf_problem(_figure("personnel_expenses", "872.14", quote), chunk) is None


def test_a_cell_of_a_narrower_field_is_not_the_total() -> None:
    # 公开09表: every cell sits under “三公”经费; the 出国 决算 cell is the 出国 figure
    merged = [
        (0, 0, 6, "财政拨款“三公”经费"),
        (1, 0, 2, "合计"),
        (1, 2, 2, "因公出国（境）费"),
        (1, 4, 2, "公务接待费"),
    ]
    cells = [Cell(row=r, col=c, col_span=span, text=text, page=1) for r, c, span, text in merged]
    cells += [Cell(row=2, col=c, text="预算数" if c % 2 == 0 else "决算数", page=1) for c in range(6)]
    values = ["2.85", "0.39", "0.00", "0.01", "2.85", "0.38"]
    cells += [Cell(row=3, col=c, text=v, page=1) for c, v in enumerate(values)]
    table = Table(n_rows=4, n_cols=6, cells=tuple(cells), pages=(1,))
    title = "财政拨款“三公”经费支出决算表"
    heading = Heading(level=2, text=title, span=SourceSpan(page=1, bbox=None, text=title))
    chunk = build_chunk([heading, TableBlock(table=table)])
    quote = "| 2.85 | 0.39 | 0.00 | 0.01 | 2.85 | 0.38 |"
    assert leaf_problem(_figure("three_public_actual", "0.39", quote), chunk) is None
    assert leaf_problem(_figure("overseas_actual", "0.01", quote), chunk) is None
    assert leaf_problem(_figure("reception_actual", "0.38", quote), chunk) is None
    swapped = leaf_problem(_figure("three_public_actual", "0.01", quote), chunk)
    assert swapped and "not printed under a label of this field" in swapped
