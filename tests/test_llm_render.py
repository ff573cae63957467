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


FILLER = "本部门坚持以人民为中心的发展思想，认真贯彻落实各项决策部署，持续推进重点工作。" * 6


def _long_report(tmp_path: Path) -> Path:
    parts = ["2023年度某某县财政局部门决算", "第一部分 部门概况"]
    parts += [f"（{i}）工作情况。{FILLER}" for i in range(1, 30)]
    parts += [
        "第二部分 收入支出决算总表",
        "单位：万元",
        "项目\t金额\t项目\t金额",
        "一、一般公共预算财政拨款收入\t1,200.50\t一、一般公共服务支出\t1,180.00",
        "本年收入合计\t1,250.50\t本年支出合计\t1,230.00",
        "第三部分 其他重要事项的情况说明",
        "2023年度“三公”经费财政拨款支出决算为4.78万元。机关运行经费支出98.76万元。",
    ]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def test_a_long_report_is_asked_with_the_chunks_of_its_section(tmp_path: Path) -> None:
    from extractor.extract.llm.config import LlmConfig
    from extractor.extract.llm.fake import FakeLlmClient
    from extractor.extract.llm.merge import merge_llm
    from extractor.extract.rules.dispatch import extract_drafts

    doc = layout_file(_long_report(tmp_path), ExtractOptions(), {})
    drafts = extract_drafts(doc)
    client = FakeLlmClient(script=lambda request: {})
    config = LlmConfig(base_url="http://unused", model="fake", cache_dir=None, max_context_tokens=800)
    result = merge_llm(doc, drafts, mode="full", config=config, client=client)
    (request,) = client.history
    document = request.messages[1].content.split("<document>")[1]
    assert "2023年度某某县财政局部门决算" in document  # the title chunk is always there
    assert "| 本年收入合计 | 1,250.50 | 本年支出合计 | 1,230.00 |" in document  # the table, whole
    assert "“三公”经费财政拨款支出决算为4.78万元" in document
    assert "工作情况" not in document  # the filler left out, not the figures
    assert "concern this section" in request.messages[1].content
    assert [f.check for f in result.findings if f.check == "llm.context"] == ["llm.context"]
    # a report that fits is sent whole
    roomy = config.model_copy(update={"max_context_tokens": 24000})
    client = FakeLlmClient(script=lambda request: {})
    merge_llm(doc, drafts, mode="full", config=roomy, client=client)
    assert client.history[0].messages[1].content.count("工作情况") == 29
