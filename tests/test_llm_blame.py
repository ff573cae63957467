"""Right values a weak model gives are not lost, wrong ones are not kept: the rules extractor as a
second reader (grounding's labels waived for a value it read alike; a kept value it does not share
overruled by a later answer's value it does share), and the measure of it against the noisy reader."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from extractor.cli import main
from extractor.core.types import Cell, Heading, SourceSpan, Table, TableBlock
from extractor.extract.llm.config import LlmConfig
from extractor.extract.llm.extract import SectionResult, SectionTask, extract_section
from extractor.extract.llm.fake import FakeLlmClient
from extractor.extract.llm.grounding import leaf_problem
from extractor.extract.llm.merge import _agrees_with
from extractor.extract.llm.sections import SECTIONS, Leaf
from extractor.render import Chunk, build_chunk, text_chunk

ROOT = Path(__file__).resolve().parent.parent
CONFIG = LlmConfig(base_url="http://unused", model="fake", cache_dir=None, few_shot=False)


def q(value: str, quote: str) -> dict[str, str]:
    return {"value": value, "quote": quote}


def _table(title: str, rows: list[list[str]]) -> Chunk:
    cells = tuple(
        Cell(row=r, col=c, text=text, page=1) for r, row in enumerate(rows) for c, text in enumerate(row)
    )
    table = Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells, pages=(1,))
    heading = Heading(level=2, text=title, span=SourceSpan(page=1, bbox=None, text=title))
    return build_chunk([heading, TableBlock(table=table)])


def _run(
    section: str, chunk: Chunk, answers: list[dict[str, Any]], rules: dict[str, Any] | None
) -> SectionResult:
    task = SectionTask(
        section=SECTIONS[section],
        chunk=chunk,
        corroborated=None if rules is None else _agrees_with(rules),
    )
    return extract_section(task, client=FakeLlmClient(answers), config=CONFIG)


def _kept(result: SectionResult) -> dict[str, str]:
    return {leaf.path: leaf.value for leaf in result.leaves}


# --- a value printed off its column: the labels are waived only for what the rules read alike ----------

# the staff row printed one column to the right of its headers (as some published forms are typeset)
SHIFTED = _table(
    "部门整体支出绩效评价基础数据表",
    [["财政供养人员情况（人）", "编制数", "实际在职人数", "控制率"], ["", "", "38", "36"]],
)
STAFF_ROW = "|  |  | 38 | 36 |"


def test_a_shifted_row_fails_the_label_check_unless_waived() -> None:
    leaf = Leaf("authorized_staff", "38", STAFF_ROW, "number", "个", "authorized_staff", (("编制",),))
    problem = leaf_problem(leaf, SHIFTED)
    assert problem and "not printed under a label of this field" in problem
    assert leaf_problem(leaf, SHIFTED, labels=False) is None
    # waiving the labels never waives the quote or the value in it
    moved = Leaf("authorized_staff", "39", STAFF_ROW, "number", "个", "authorized_staff", (("编制",),))
    assert "does not occur in its quote" in str(leaf_problem(moved, SHIFTED, labels=False))
    elsewhere = Leaf(
        "authorized_staff", "38", "| 编制数 | 38 |", "number", "个", "authorized_staff", (("编制",),)
    )
    assert "does not occur in the document" in str(leaf_problem(elsewhere, SHIFTED, labels=False))


def test_a_value_the_rules_read_alike_is_kept_without_its_label() -> None:
    answer = {"authorized_staff": q("38", STAFF_ROW), "actual_staff": q("36", STAFF_ROW)}
    alone = _run("overall_self_eval.scalars", SHIFTED, [answer] * 3, None)
    assert _kept(alone) == {}
    assert "编制" in alone.dropped["authorized_staff"]
    rules = {"kind": "overall_self_eval", "authorized_staff": 38, "actual_staff": 36}
    agreed = _run("overall_self_eval.scalars", SHIFTED, [answer], rules)
    assert _kept(agreed) == {"authorized_staff": "38", "actual_staff": "36"}
    # the rules read another number: the model's is still held to its labels
    other = {"kind": "overall_self_eval", "authorized_staff": 36, "actual_staff": 38}
    refused = _run("overall_self_eval.scalars", SHIFTED, [answer] * 3, other)
    assert _kept(refused) == {} and set(refused.dropped) == {"authorized_staff", "actual_staff"}


# --- a swap that passes grounding is kept first; the right value given later overrules it -------------

PROSE = text_chunk(
    "项目名称：城乡居民医保经办\n项目年初预算批复195万元，全面预算118.27万元，实际支出118.27万元。\n"
)
SENTENCE = "项目年初预算批复195万元，全面预算118.27万元，实际支出118.27万元。"
RULES_FUNDS = {
    "kind": "project_self_eval",
    "funds": {"total": {"initial_budget": "195", "adjusted_budget": "118.27", "executed": "118.27"}},
}


def _funds(initial: str, adjusted: str, name: str) -> dict[str, Any]:
    return {
        "project_name": q(name, f"项目名称：{name}"),
        "funds": {
            "total": {
                "initial_budget": q(initial, SENTENCE),
                "adjusted_budget": q(adjusted, SENTENCE),
                "executed": q("118.27", SENTENCE),
            }
        },
    }


def test_a_kept_swap_is_overruled_by_the_value_the_rules_read() -> None:
    # attempt 1: the two budgets swapped (both print under 预算 in one sentence: grounding cannot tell)
    # and a misread name, so the model is asked again; attempt 2 reads the budgets right
    answers = [_funds("118.27", "195", "城乡居民医保经办1"), _funds("195", "118.27", "城乡居民医保经办")]
    swapped = _run("project_self_eval.form", PROSE, answers, None)
    assert _kept(swapped)["funds.total.initial_budget"] == "118.27"  # without a second reader: kept
    fixed = _run("project_self_eval.form", PROSE, answers, RULES_FUNDS)
    kept = _kept(fixed)
    assert kept["funds.total.initial_budget"] == "195" and kept["funds.total.adjusted_budget"] == "118.27"
    assert kept["project_name"] == "城乡居民医保经办"
    evidence = fixed.evidence["funds.total.initial_budget"]
    assert "195" in evidence.text


def test_a_kept_value_the_rules_share_is_not_overruled() -> None:
    # attempt 2 is the swap this time: the value kept first is the one the rules read
    answers = [_funds("195", "118.27", "城乡居民医保经办1"), _funds("118.27", "195", "城乡居民医保经办")]
    kept = _kept(_run("project_self_eval.form", PROSE, answers, RULES_FUNDS))
    assert kept["funds.total.initial_budget"] == "195" and kept["funds.total.adjusted_budget"] == "118.27"


INDICATORS = _table(
    "项目支出绩效自评表",
    [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "参保人数", "≥51.6万人", "49.68", "10", "9.56"],
        ["产出指标", "质量指标", "参保率", "≥95%", "95.82%", "20", "20"],
    ],
)
ROW_1 = "| 产出指标 | 数量指标 | 参保人数 | ≥51.6万人 | 49.68 | 10 | 9.56 |"
ROW_2 = "| 产出指标 | 质量指标 | 参保率 | ≥95% | 95.82% | 20 | 20 |"
RULES_ROWS = {
    "kind": "project_self_eval",
    "indicators": [
        {"name": "参保人数", "target": "≥51.6万人", "actual": "49.68", "weight": "10", "score": "9.56"},
        {"name": "参保率", "target": "≥95%", "actual": "95.82%", "weight": "20", "score": "20"},
    ],
}


def _rows(first: dict[str, Any], second_name: str) -> dict[str, Any]:
    return {
        "indicators": [
            {"name": q("参保人数", ROW_1), "weight": q("10", ROW_1), **first},
            {"name": q(second_name, ROW_2), "actual": q("95.82%", ROW_2)},
        ]
    }


def test_an_indicators_swapped_value_is_overruled_in_the_row_of_the_same_name() -> None:
    # attempt 1: the actual value is the weight's cell (a text value: no column check), and the second
    # row's name is misread, so the model is asked again
    answers = [_rows({"actual": q("10", ROW_1)}, "参保率1"), _rows({"actual": q("49.68", ROW_1)}, "参保率")]
    kept = _kept(_run("project_self_eval.indicators", INDICATORS, answers, RULES_ROWS))
    assert kept["indicators[0].actual"] == "49.68" and kept["indicators[1].name"] == "参保率"
    assert (
        _kept(_run("project_self_eval.indicators", INDICATORS, answers, None))["indicators[0].actual"] == "10"
    )


def test_a_row_that_names_another_indicator_overrules_nothing() -> None:
    # attempt 2's first row is another indicator: its actual value is not the kept row's
    other = {
        "indicators": [
            {"name": q("参保率", ROW_2), "actual": q("95.82%", ROW_2)},
            {"name": q("参保率", ROW_2), "actual": q("95.82%", ROW_2)},
        ]
    }
    answers = [_rows({"actual": q("10", ROW_1)}, "参保率1"), other]
    kept = _kept(_run("project_self_eval.indicators", INDICATORS, answers, RULES_ROWS))
    assert kept["indicators[0].name"] == "参保人数" and kept["indicators[0].actual"] == "10"


def test_a_name_is_never_overruled() -> None:
    # the rules missed the first row: its kept name is not theirs, the other row's name is
    rules = {**RULES_ROWS, "indicators": RULES_ROWS["indicators"][1:]}
    answers = [_rows({}, "参保率1"), _rows({}, "参保率")]
    answers[1]["indicators"][0]["name"] = q("参保率", ROW_2)
    kept = _kept(_run("project_self_eval.indicators", INDICATORS, answers, rules))
    assert kept["indicators[0].name"] == "参保人数" and kept["indicators[1].name"] == "参保率"


# --- a row's name misread: its values are not lost with it ---------------------------------------------


def _first_row(name: dict[str, str], target: str) -> dict[str, Any]:
    return {"indicators": [{"name": name, "target": q(target, ROW_1), "weight": q("10", ROW_1)}]}


def test_a_misquoted_name_is_grounded_in_its_rows_quotes() -> None:
    # the name is right but quoted from another line, on every attempt; its values quote its row
    answer = _first_row(q("参保人数", ROW_2), "≥51.6万人")
    result = _run("project_self_eval.indicators", INDICATORS, [answer] * 3, None)
    kept = _kept(result)
    assert kept == {
        "indicators[0].name": "参保人数",
        "indicators[0].target": "≥51.6万人",
        "indicators[0].weight": "10",
    }
    assert next(leaf for leaf in result.leaves if leaf.path.endswith("name")).quote == ROW_1
    assert len(result.attempts) == 1
    # a name its row does not print is not grounded by the row
    wrong = _first_row(q("参保人数1", ROW_2), "≥51.6万人")
    assert _kept(_run("project_self_eval.indicators", INDICATORS, [wrong] * 3, None)) == {}


def test_a_later_answer_that_misreads_a_kept_rows_name_still_gives_its_values() -> None:
    # attempt 1: the name is kept, the target misread; attempt 2 misreads the name (a name the
    # document does not print) and reads the target right: it is the kept row's target
    first = _first_row(q("参保人数", ROW_1), "≥51.6万人1")
    second = _first_row(q("参保人数1", ROW_1), "≥51.6万人")
    kept = _kept(_run("project_self_eval.indicators", INDICATORS, [first, second, second], None))
    assert kept["indicators[0].name"] == "参保人数" and kept["indicators[0].target"] == "≥51.6万人"
    # a printed name of another indicator is another row: its target is not this row's
    other = {"indicators": [{"name": q("参保率", ROW_2), "target": q("≥95%", ROW_2)}]}
    kept = _kept(_run("project_self_eval.indicators", INDICATORS, [first, other, other], None))
    assert kept["indicators[0].name"] == "参保人数" and "indicators[0].target" not in kept


# --- measured: the noisy reader over the long sample (31 reports of three kinds) ----------------------


def test_the_noisy_reader_loses_at_most_one_right_value_in_a_hundred(tmp_path: Path) -> None:
    out = tmp_path / "noisy"
    argv = ["eval", "--backend", "llm", "--endpoint", "noisy", "--variant", "pdf", "--only", "002_"]
    assert main([*argv, "--samples", str(ROOT / "samples"), "--out", str(out)]) == 0
    rows = json.loads((out / "endpoint_noisy.json").read_text(encoding="utf-8"))["rows"]
    assert {r["kind"] for r in rows} == {"final_account", "overall_self_eval", "project_self_eval"}
    for row in rows:
        assert row["right_sent"] > 20 and row["wrong_sent"] > 10
        assert float(row["right_lost"]) <= 0.01, (row["kind"], row["right_values_lost"])
        assert float(row["wrong_stopped"]) >= 0.99, (row["kind"], row["let_through"])


def _merged_prose_rows() -> Chunk:
    """An indicators table whose left cell is prose merged over two rows (it names 参保率)."""
    cells = (
        Cell(row=0, col=0, text="项目支出管理情况", page=1),
        Cell(row=0, col=1, text="三级指标", page=1),
        Cell(row=0, col=2, text="年度指标值", page=1),
        Cell(row=0, col=3, text="实际完成值", page=1),
        Cell(row=0, col=4, text="分值", page=1),
        Cell(row=0, col=5, text="得分", page=1),
        Cell(row=1, col=0, row_span=2, text="全面实施全民参保计划，参保率95.82%，超额完成目标。", page=1),
        *(
            Cell(row=1, col=c, text=t, page=1)
            for c, t in enumerate(["参保率", "≥95%", "95.82%", "20", "20"], 1)
        ),
        *(
            Cell(row=2, col=c, text=t, page=1)
            for c, t in enumerate(["减负降费", "较好", "较好", "5", "5"], 1)
        ),
    )
    table = Table(n_rows=3, n_cols=6, cells=cells, pages=(1,))
    return build_chunk([TableBlock(table=table)])


def test_an_indicators_number_comes_from_the_row_that_names_it() -> None:
    chunk = _merged_prose_rows()
    other_row = next(line for line in chunk.text.split("\n") if "减负降费" in line)
    own_row = next(line for line in chunk.text.split("\n") if "| 参保率 |" in line)
    labels = (("参保率",), ("得分",))
    swapped = Leaf("indicators[0].score", "5", other_row, "number", "个", "indicators", labels, "参保率")
    # the merged prose beside the other row says 参保率: it is no cell of that row
    assert "is not the row of «参保率»" in str(leaf_problem(swapped, chunk))
    assert "is not the row of" in str(leaf_problem(swapped, chunk, labels=False))  # never waived
    right = Leaf("indicators[0].score", "20", own_row, "number", "个", "indicators", labels, "参保率")
    assert leaf_problem(right, chunk) is None
    # a text value likewise
    actual = Leaf("indicators[0].actual", "较好", other_row, "text", None, "indicators", (), "参保率")
    assert "is not the row of «参保率»" in str(leaf_problem(actual, chunk))
    assert leaf_problem(dataclasses.replace(actual, value="95.82%", quote=own_row), chunk) is None
