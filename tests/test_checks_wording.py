"""Each check family on variants built here (other departments, years, wordings), so a
rule is tested as a class, not as one document's sentence: what is wrong is flagged, the
same text written correctly is not."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.check import run_checks
from extractor.core.types import Heading, LayoutDocument, Line, Page, Paragraph, SourceSpan
from extractor.schemas import FinalAccount, Finding, Report

Block = tuple[str, str]  # ("h" | "p" | "l", text): heading, paragraph, or a bare printed line


def _layout(pages: list[list[Block]]) -> tuple[LayoutDocument, list[SourceSpan]]:
    blocks: list[Heading | Paragraph] = []
    built: list[Page] = []
    paragraphs: list[SourceSpan] = []
    for number, content in enumerate(pages, start=1):
        lines = []
        for i, (kind, text) in enumerate(content):
            box = (72.0, 72.0 + 20 * i, 500.0, 86.0 + 20 * i)
            lines.append(Line(text=text, bbox=box, page=number))
            span = SourceSpan(page=number, bbox=box, text=text)
            if kind == "h":
                blocks.append(Heading(level=2, text=text, span=span))
            elif kind == "p":
                blocks.append(Paragraph(text=text, spans=(span,)))
                paragraphs.append(span)
        built.append(Page(number=number, width=595, height=842, lines=tuple(lines)))
    return LayoutDocument(
        path="variant.pdf", n_pages=len(pages), pages=tuple(built), blocks=tuple(blocks)
    ), paragraphs


def _run(report: Report, pages: list[list[Block]]) -> list[Finding]:
    layout, paragraphs = _layout(pages)
    return run_checks([report], [paragraphs], layout=layout)


def _failed(findings: list[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.status == "fail" and f.check.startswith(prefix)]


def _fa(**fields: Any) -> FinalAccount:
    base: dict[str, Any] = {"department": "东江市水务局", "fiscal_year": 2023}
    base.update(fields)
    return FinalAccount.model_validate(base)


# --- template leftovers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "东江市XX局2023年度部门决算",
        "本部门共有车辆××辆。",
        "某某单位2023年度收入合计100.00万元。",
        "主要用于【项目名称】的建设。",
        "（单位名称）2023年度无政府性基金预算财政拨款收入。",
        "本表为空表，仍保留该表格式，并在本表下方作下述说明。",
    ],
)
def test_placeholders_and_instructions_are_errors(text: str) -> None:
    failed = _failed(_run(_fa(), [[("p", text)]]), "template.leftover")
    assert [f.severity for f in failed] == ["error"]
    assert failed[0].evidence["(narrative)"].page == 1


@pytest.mark.parametrize(
    "text", ["比上年减少2.00万元，下降（增长）5.00%。", "决算数大于（小于）预算数的主要原因是：。"]
)
def test_alternatives_and_missing_reasons_are_warnings(text: str) -> None:
    failed = _failed(_run(_fa(), [[("p", text)]]), "template.leftover")
    assert failed and {f.severity for f in failed} == {"warning"}


def test_clean_text_has_no_leftover() -> None:
    text = "东江市水务局2023年度收入合计1200.00万元，比上年减少2.00万元，下降0.17%。主要原因是项目完工。"
    assert _failed(_run(_fa(), [[("p", text)]]), "template.") == []


# --- the report year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "severity"),
    [
        ([("h", "第三部分 东江市水务局2022年度部门决算情况说明")], "error"),
        ([("p", "截至2022年12月31日，本部门共有车辆3辆。")], "error"),
        ([("p", "截止2024年12月底，共有车辆3辆。")], "error"),
        ([("p", "与2021年度相比，收入增加5.00万元。")], "warning"),
    ],
)
def test_a_wrong_year_is_flagged(blocks: list[Block], severity: str) -> None:
    failed = _failed(_run(_fa(), [blocks]), "template.year")
    assert [f.severity for f in failed] == [severity]


def test_the_report_year_and_a_compared_previous_year_pass() -> None:
    blocks: list[Block] = [
        ("h", "东江市水务局2023年度部门决算"),
        ("p", "截至2023年12月31日，本部门共有车辆3辆。与2022年度相比，收入增加5.00万元。"),
        ("p", "完成2022年度项目清算。"),
    ]
    assert _failed(_run(_fa(), [blocks]), "template.year") == []


def test_a_budget_may_date_its_assets_at_the_previous_year_end() -> None:
    report = FinalAccount.model_validate({"fiscal_year": 2024})
    budget_like = report.model_copy(update={"kind": "budget"})
    del budget_like  # the budget kind has its own model; the rule reads `kind` only
    from extractor.schemas import Budget

    findings = _run(Budget(fiscal_year=2024), [[("p", "截至2023年12月31日，共有车辆2辆。")]])
    assert _failed(findings, "template.year") == []


# --- department name ----------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["东江市水利局", "东江水务局"])
def test_a_changed_department_name_is_a_warning(variant: str) -> None:
    failed = _failed(
        _run(_fa(), [[("p", f"{variant}2023年度无政府性基金预算财政拨款收入。")]]), "template.department"
    )
    assert [f.severity for f in failed] == ["warning"] and variant in failed[0].message


def test_the_department_and_its_units_pass() -> None:
    text = "东江市水务局下属东江市水务局执法大队、东江市水文站。"
    assert _failed(_run(_fa(), [[("p", text)]]), "template.department") == []


# --- contents vs body ---------------------------------------------------------------------------


def _with_contents(body_titles: list[str]) -> list[list[Block]]:
    contents: list[Block] = [
        ("l", "目  录"),
        ("l", "一、收入支出决算总表"),
        ("l", "二、收入决算表"),
        ("l", "三、支出决算表"),
    ]
    return [contents, [("l", t) for t in body_titles] + [("p", "注：本表反映部门本年度各项支出情况。")]]


def test_a_listed_table_missing_from_the_body_is_an_error() -> None:
    failed = _failed(_run(_fa(), _with_contents(["收入支出决算总表", "支出决算表"])), "contents.body")
    assert [(f.severity, f.actual) for f in failed] == [("error", "missing")]
    assert "收入决算表" in failed[0].message and failed[0].evidence["(contents)"].page == 1


def test_contents_printed_in_order_pass_with_small_wording_differences() -> None:
    body = ["东江市水务局2023年度部门决算表", "收入支出决算总表", "收入决算明细表", "支出决算表"]
    findings = _run(_fa(), _with_contents(body))
    assert _failed(findings, "contents.body") == []
    assert len([f for f in findings if f.check == "contents.body" and f.status == "pass"]) == 3


def test_a_body_title_with_a_qualifier_after_it_is_the_listed_table() -> None:
    # `支出决算表（功能科目）` in the body for the 目录's `支出决算表`; another table's title with a
    # qualifier (`收入支出决算总表（按功能分类）` for `收入决算表`) is still not it.
    body = ["收入支出决算总表（按功能分类）", "收入决算表(经济科目)", "支出决算表（功能科目）"]
    findings = _run(_fa(), _with_contents(body))
    assert _failed(findings, "contents.body") == []
    wrong = ["收入支出决算总表", "支出决算表（功能科目）", "收入支出决算总表（按功能分类）"]
    failed = _failed(_run(_fa(), _with_contents(wrong)), "contents.body")
    assert [f.actual for f in failed] == ["missing"] and "收入决算表" in failed[0].message


def _tabular_contents(
    listed: list[str], body_titles: list[str], heading: tuple[str, ...] = ("目        录",)
) -> tuple[LayoutDocument, list[SourceSpan]]:
    """A 目录 printed as a table: `序号` and `报表名称` columns, the number and the title of each
    entry separate cells, and the heading written last in the text layer though printed on top."""
    rows = [("序号", "报表名称"), *[(t.split("、")[0] + "、", t.split("、", 1)[1]) for t in listed]]
    lines = []
    for i, (number, title) in enumerate(rows):
        y = 110.0 + 34 * i
        lines += [Line(text=number, bbox=(123, y, 163, y + 20), page=1)]
        lines += [Line(text=title, bbox=(192, y, 192 + 14 * len(title), y + 20), page=1)]
    for k, part in enumerate(heading):  # one line, or one per character as OCR reads it letter-spaced
        x0 = 326 + k * 150
        lines.append(
            Line(text=part, bbox=(x0, 48 - k, x0 + (183 if len(heading) == 1 else 33), 78 + k), page=1)
        )
    pages = [Page(number=1, width=842, height=595, lines=tuple(lines))]
    for number, title in enumerate(body_titles, start=2):
        box = (300.0, 40.0, 300.0 + 14 * len(title), 60.0)
        pages.append(
            Page(number=number, width=842, height=595, lines=(Line(text=title, bbox=box, page=number),))
        )
    layout = LayoutDocument(path="tables.pdf", n_pages=len(pages), pages=tuple(pages), blocks=())
    return layout, []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # printed in the listed order, titles shortened: every entry passes
        (["收支预算总表", "“三公”经费、会议费支出预算表", "2018年政府采购预算表"], []),
        # the 目录's order is not the body's: warnings, never a "missing" error
        (
            ["“三公”经费、会议费支出预算表", "收支预算总表", "政府采购支出预算表"],
            [("warning", "out of order")],
        ),
        (["收支预算总表", "政府采购支出预算表"], [("error", "missing")]),
    ],
)
def test_a_contents_table_read_in_rows(body: list[str], expected: list[tuple[str, str]]) -> None:
    listed = ["一、收支预算总表", "二、一般公共预算“三公”经费、会议费支出预算表", "三、政府采购支出预算表"]
    layout, paragraphs = _tabular_contents(listed, body)
    findings = run_checks([_fa()], [paragraphs], layout=layout)
    assert [(f.severity, f.actual) for f in _failed(findings, "contents.body")] == expected
    assert len([f for f in findings if f.check == "contents.body"]) == 3


def test_a_letter_spaced_heading_read_as_two_lines_is_the_contents() -> None:
    listed = ["一、收支预算总表", "二、一般公共预算“三公”经费、会议费支出预算表", "三、政府采购支出预算表"]
    body = ["“三公”经费、会议费支出预算表", "收支预算总表", "政府采购支出预算表"]
    layout, paragraphs = _tabular_contents(listed, body, heading=("目", "录"))
    findings = run_checks([_fa()], [paragraphs], layout=layout)
    assert [(f.severity, f.actual) for f in _failed(findings, "contents.body")] == [
        ("warning", "out of order")
    ]


def test_short_titles_left_after_dropping_scope_words_never_match_loosely() -> None:
    # `一般公共预算支出预算表` and `财政拨款支出预算表` both come down to `预算表`: not the same table.
    listed = ["一、收支预算总表", "二、一般公共预算支出预算表", "三、政府采购支出预算表"]
    body = ["收支预算总表", "财政拨款支出预算表", "政府采购支出预算表"]
    layout, paragraphs = _tabular_contents(listed, body)
    failed = _failed(run_checks([_fa()], [paragraphs], layout=layout), "contents.body")
    assert [(f.severity, f.actual) for f in failed] == [("error", "missing")]
    assert "一般公共预算支出预算表" in failed[0].message


# --- direction and comparison words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (
            "年初预算为120.00万元，支出决算为110.00万元，完成年初预算的91.67%。决算数小于预算数的主要原因是节约。",
            True,
        ),
        (
            "年初预算为120.00万元，支出决算为110.00万元，完成年初预算的91.67%。决算数大于预算数的主要原因是追加。",
            False,
        ),
        ("年初预算为50.00万元，支出决算为50.00万元。决算数同预算数持平。", True),
        ("预算数为50.00万元，决算数为48.00万元。决算数等于预算数。", False),
        ("机关运行经费支出80.00万元，比上年减少4.00万元，下降4.76%。", True),
        ("机关运行经费支出80.00万元，比上年减少4.00万元，增长4.76%。", False),
        ("公务接待费支出0.50万元，比上年增加0.50万元持平。", False),
    ],
)
def test_direction_words_agree_with_their_numbers(text: str, ok: bool) -> None:
    failed = _failed(_run(_fa(), [[("p", text)]]), "wording.direction")
    assert (failed == []) is ok, [f.message for f in failed]


# --- typography ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("本年收入合计100.00万元，全部为财政拨款。。", "info"),
        ("主要用于，，办公设备购置。", "info"),
        ("主要用于的的办公设备购置。", "info"),
        ("主要原因主要原因是项目完工。", "info"),
        ("主要包括：（办公费、印刷费、差旅费等。", "warning"),
        ("比上年增加10.00万元，增长12.50。", "warning"),
    ],
)
def test_typography_defects(text: str, severity: str) -> None:
    failed = _failed(_run(_fa(), [[("p", text)]]), "wording.typography")
    assert [f.severity for f in failed] == [severity]


def test_clean_typography_passes() -> None:
    text = "主要包括（办公费、印刷费）等支出……比上年增加10.00万元，增长12.50%。"
    assert _failed(_run(_fa(), [[("p", text)]]), "wording.typography") == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("2024年预算安排58.20万元，比2023年预算执行数减少2.98%。主要原因是：会议经费增加。", True),
        ("2024年预算安排58.20万元，比2023年预算执行数减少2.98%。主要原因是：会议经费减少。", False),
        ("机关运行经费支出80.00万元，比上年增加4.00万元，增长5.26%。主要原因是办公用房维修支出增加。", False),
    ],
)
def test_a_reason_that_moves_the_other_way(text: str, flagged: bool) -> None:
    failed = _failed(_run(_fa(), [[("p", text)]]), "wording.reason_direction")
    assert bool(failed) is flagged and all(f.severity == "warning" for f in failed)


# --- an item's purpose or reason copied from another item ---------------------------------------

_ITEMS = [
    "1. “城乡社区支出（类）城乡社区管理事务（款）一般行政管理事务（项）”1759.10万元，主要用于城乡社区管理事务"
    "一般行政管理事务。主要原因是：城乡社区管理事务一般行政管理事务经费减少。",
    "2. “城乡社区支出（类）城乡社区管理事务（款）城管执法（项）”604.34万元，主要用于{purpose}。"
    "主要原因是：{reason}。",
    "3. “城乡社区支出（类）城乡社区环境卫生（款）城乡社区环境卫生（项）”599.33万元，主要用于城乡社区环境卫生。",
]


@pytest.mark.parametrize(
    ("purpose", "reason", "flagged"),
    [
        ("城乡社区管理事务一般行政管理事务", "城管执法经费减少", ["一般行政管理事务"]),
        ("城管执法", "一般行政管理事务经费减少", ["一般行政管理事务"]),
        ("城管执法", "城管执法经费减少", []),
        ("城市管理执法队伍运行", "人员调整", []),
        # another item mentioned among other words: a transfer, not a copied clause
        ("城管执法", "上年度列入此项的经费128.43万元本年度调入一般行政管理事务项", []),
    ],
)
def test_an_item_explained_with_another_items_words(purpose: str, reason: str, flagged: list[str]) -> None:
    paragraphs: list[Block] = [("p", t.format(purpose=purpose, reason=reason)) for t in _ITEMS]
    failed = _failed(_run(_fa(), [paragraphs]), "prose.item_copied")
    assert [f.actual for f in failed] == flagged
    assert all(f.expected == "城管执法" and f.evidence["(narrative)"].page == 1 for f in failed)


def test_an_item_explained_by_its_own_kuan_named_like_another_item() -> None:
    # 城乡社区环境卫生 is item 3's name and item 4's 款: item 4 speaks of its own 款.
    fourth = (
        "4. “城乡社区支出（类）城乡社区环境卫生（款）其他城乡社区环境卫生支出（项）”12.00万元，"
        "主要用于城乡社区环境卫生。"
    )
    paragraphs: list[Block] = [("p", t.format(purpose="城管执法", reason="人员调整")) for t in _ITEMS]
    assert _failed(_run(_fa(), [[*paragraphs, ("p", fourth)]]), "prose.item_copied") == []
    copied = fourth.replace("主要用于城乡社区环境卫生", "主要用于城管执法")
    failed = _failed(_run(_fa(), [[*paragraphs, ("p", copied)]]), "prose.item_copied")
    assert [(f.expected, f.actual) for f in failed] == [("其他城乡社区环境卫生支出", "城管执法")]


@pytest.mark.parametrize(
    ("cover", "definition", "flagged"),
    [
        (
            "上海市某区2024年区级部门预算",
            "基本支出预算：是市级预算主管部门及所属预算单位的基本支出。",
            ["是市级预算主管部门"],
        ),
        ("上海市某区2024年区级部门预算", "基本支出预算：是区级预算主管部门及所属预算单位的基本支出。", []),
        ("上海市某区2024年区级部门预算", "一般公共预算收入中含市级财政专项转移支付100.00万元。", []),
        ("滨江县2024年部门预算", "基本支出预算：是市级预算主管部门及所属预算单位的基本支出。", []),
        (
            "滨江县2024年县级部门决算",
            "“三公”经费：是指与省级财政有经费领拨关系的部门的支出。",
            ["是指与省级财政"],
        ),
    ],
)
def test_a_definition_copied_from_another_level(cover: str, definition: str, flagged: list[str]) -> None:
    failed = _failed(_run(_fa(), [[("l", cover)], [("h", "名词解释"), ("p", definition)]]), "template.level")
    assert [f.actual for f in failed] == flagged
