"""The harness's matchers and scorer, including adversarial predictions."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.eval.normalize import parse_number, values_equal
from extractor.eval.score import score_document


def _counts(gold: dict[str, Any], pred: dict[str, Any]) -> tuple[int, int, int, int]:
    c = score_document(gold, pred).counts
    return c.correct, c.wrong, c.missing, c.extra


@pytest.mark.parametrize(
    ("gold", "pred", "equal"),
    [
        ("1467.16", "1,467.16", True),
        ("93.77", "93.77%", True),
        ("98", "98.00", True),
        ("0.00", "0", True),
        ("0.46", "0.45", False),
        ("35", "35万元", True),
        ("≥95%", "≥ 95%", True),
        ("郴州市医疗保障局（本级）", "郴州市医疗保障局(本级)", True),
        ("产出指标", "效益指标", False),
    ],
)
def test_values_equal_normalises_formatting(gold: str, pred: str, equal: bool) -> None:
    assert values_equal(gold, pred)[0] is equal


def test_parse_number_refuses_text() -> None:
    assert parse_number("按时完成") is None
    assert parse_number("≥95%") is None


def test_gold_against_itself_is_perfect(mini_doc: dict[str, Any]) -> None:
    score = score_document(mini_doc, mini_doc)
    assert score.counts.f1 == 1.0
    assert score.counts.errors == 0
    assert score.cells.accuracy == 1.0
    assert score.cells.total == 12


def test_swapped_rows_and_reports_still_match(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    rows = pred["reports"][0]["tables"][0]["rows"]
    rows[1], rows[3] = rows[3], rows[1]
    pred["reports"].reverse()
    pred["reports"][0]["indicators"].reverse()
    score = score_document(mini_doc, pred)
    assert score.counts.errors == 0
    assert score.report_pairs == [(0, 1), (1, 0)]


def test_formatting_variants_of_the_same_numbers_are_correct(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    pred["reports"][0]["key_figures"]["income_total"] = "1,467.89"
    pred["reports"][1]["execution_rate"] = "100%"
    pred["reports"][1]["funds"]["total"]["executed"] = "35.00"
    assert score_document(mini_doc, pred).counts.errors == 0


def test_missing_table_counts_each_cell_missing(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    pred["reports"][0]["tables"] = []
    _correct, wrong, missing, extra = _counts(mini_doc, pred)
    # 11 non-null cells + the title are missing; nothing else changes.
    assert (wrong, missing, extra) == (0, 12, 0)
    score = score_document(mini_doc, pred)
    assert score.cells.correct == 0 and score.cells.total == 12


def test_extra_report_counts_its_fields_extra(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    pred["reports"].append({"kind": "transfer_self_eval", "program_name": "某资金", "allocated_amount": "10"})
    _correct, wrong, missing, extra = _counts(mini_doc, pred)
    assert (wrong, missing, extra) == (0, 0, 2)
    assert score_document(mini_doc, pred).unmatched_pred_reports == [2]


def test_missing_report_counts_its_fields_missing(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    del pred["reports"][1]
    score = score_document(mini_doc, pred)
    assert score.unmatched_gold_reports == [1]
    assert score.counts.missing == 27  # 11 scalars and funds, 14 indicator cells, 总分, one problem
    assert score.counts.precision == 1.0


def test_wrong_value_costs_precision_and_recall(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    pred["reports"][0]["tables"][0]["rows"][2]["values"]["基本支出"] = "876.00"
    score = score_document(mini_doc, pred)
    assert (score.counts.wrong, score.counts.missing, score.counts.extra) == (1, 0, 0)
    wrong = [f for f in score.fields if f.status == "wrong"]
    assert wrong[0].path == "reports[0].tables[03].rows[210].values.基本支出"
    assert wrong[0].gold == "867.00" and wrong[0].pred == "876.00"
    assert score.cells.correct == 11


def test_extra_row_and_null_cell_filled(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    rows = pred["reports"][0]["tables"][0]["rows"]
    rows[3]["values"]["项目支出"] = "0.00"  # gold: printed blank
    rows.append({"code": "229", "name": "其他支出", "side": None, "values": {"本年支出合计": "1.37"}})
    _correct, wrong, missing, extra = _counts(mini_doc, pred)
    assert (wrong, missing, extra) == (0, 0, 2)


def test_indicator_with_reworded_name_still_pairs(mini_doc: dict[str, Any]) -> None:
    import copy

    pred = copy.deepcopy(mini_doc)
    pred["reports"][1]["indicators"][0]["name"] = "日常检查覆盖率（%）"
    pred["reports"][1]["indicators"][0]["score"] = "18"
    _correct, wrong, missing, extra = _counts(mini_doc, pred)
    assert (wrong, missing, extra) == (2, 0, 0)


def test_empty_prediction_scores_zero(mini_doc: dict[str, Any]) -> None:
    score = score_document(mini_doc, {"reports": []})
    assert score.counts.correct == 0
    assert score.counts.f1 == 0.0
