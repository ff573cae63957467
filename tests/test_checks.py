"""The checkers: each rule on minimal hand-made reports (rounding edge cases included), and
the genuine errors of the sample documents, found by reading them, listed with their reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import SAMPLES

from extractor import extract
from extractor.api import ExtractOptions
from extractor.check import run_checks
from extractor.core.types import SourceSpan
from extractor.schemas import FinalAccount, Finding, OverallSelfEval, ProjectSelfEval, Report


def _fa(rows: list[dict[str, Any]], table_id: str = "03", columns: list[str] | None = None) -> FinalAccount:
    columns = columns or ["本年支出合计", "基本支出", "项目支出"]
    return FinalAccount.model_validate(
        {"tables": [{"id": table_id, "title": "支出决算表", "columns": columns, "rows": rows}]}
    )


def _failed(reports: list[Report], narratives: list[list[SourceSpan]] | None = None) -> list[Finding]:
    # The hand-made 决算 here hold one table on purpose; completeness has its own test below.
    return [
        f
        for f in run_checks(reports, narratives)
        if f.status == "fail" and f.check != "complete.standard_tables"
    ]


def _row(code: str | None, name: str, total: str, basic: str | None, project: str | None) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "values": {"本年支出合计": total, "基本支出": basic, "项目支出": project},
    }


def _slip(f: Finding) -> bool:
    """A rounding-level slip: a warning that names both numbers, never an error."""
    return f.severity == "warning" and "rounding-level slip" in (f.message or "")


def test_code_hierarchy_and_row_totals_slips_within_rounding_are_warnings() -> None:
    # 合计 971.50 while its classes add to 971.51: four 2-decimal parts may drift by 4 × 0.005 + 0.005,
    # so it is no error; it is a warning that prints both numbers.
    report = _fa(
        [
            _row(None, "合计", "1468.53", "971.50", "497.02"),
            _row("208", "社会保障和就业支出", "76.21", "70.27", "5.94"),
            _row("210", "卫生健康支出", "1358.08", "867.00", "491.09"),
            _row("221", "住房保障支出", "32.87", "32.87", None),
            _row("229", "其他支出", "1.37", "1.37", None),
        ]
    )
    failed = _failed([report])
    assert failed and all(_slip(f) for f in failed)
    basic = next(f for f in failed if f.actual == "971.50")
    assert "971.50" in basic.message and "971.51" in basic.message


def test_exact_sums_pass_without_a_slip() -> None:
    report = _fa(
        [
            _row(None, "合计", "1468.52", "971.51", "497.01"),
            _row("208", "社会保障和就业支出", "76.21", "70.27", "5.94"),
            _row("210", "卫生健康支出", "1358.07", "867.00", "491.07"),
            _row("221", "住房保障支出", "32.87", "32.87", None),
            _row("229", "其他支出", "1.37", "1.37", None),
        ]
    )
    assert _failed([report]) == []


def test_code_hierarchy_catches_a_wrong_total() -> None:
    report = _fa(
        [
            _row(None, "合计", "1478.53", "981.50", "497.02"),
            _row("208", "社会保障和就业支出", "76.21", "70.27", "5.94"),
            _row("210", "卫生健康支出", "1358.08", "867.00", "491.09"),
            _row("221", "住房保障支出", "32.87", "32.87", None),
            _row("229", "其他支出", "1.37", "1.37", None),
        ]
    )
    failed = [f for f in _failed([report]) if not _slip(f)]
    # 1478.53 vs 981.50 + 497.02 = 1478.52 is within the row's rounding: only the class sums are errors.
    assert {(f.check, f.actual) for f in failed} == {
        ("table.code_hierarchy", "1478.53"),
        ("table.code_hierarchy", "981.50"),
    }
    hierarchy = next(f for f in failed if f.actual == "981.50")
    assert hierarchy.expected == "971.51" and hierarchy.tolerance == "0.025"
    assert "tables[0].rows[0].values.基本支出" in hierarchy.fields


def test_three_public_sums() -> None:
    cols = [
        "预算数/合计",
        "预算数/因公出国（境）费",
        "预算数/公务用车购置及运行费/小计",
        "预算数/公务用车购置及运行费/公务用车购置费",
        "预算数/公务用车购置及运行费/公务用车运行费",
        "预算数/公务接待费",
    ]
    values = dict(zip(cols, ["9.00", None, "4.00", None, "4.00", "5.00"], strict=True))
    good = _fa([{"code": None, "name": None, "values": values}], "09", cols)
    assert _failed([good]) == []
    bad = _fa([{"code": None, "name": None, "values": {**values, cols[0]: "9.50"}}], "09", cols)
    assert [f.check for f in _failed([bad])] == ["table.three_public"]


def _project(**fields: Any) -> ProjectSelfEval:
    base: dict[str, Any] = {
        "funds": {
            "total": {"initial_budget": "100", "adjusted_budget": "100", "executed": "95"},
            "current_year": {"initial_budget": "100", "adjusted_budget": "100", "executed": "95"},
        },
        "funds_weight": "10",
        "execution_rate": "95",
        "funds_score": "9.5",
        "total_score": "99.5",
        "indicators": [
            {"name": "a", "weight": "50", "score": "50"},
            {"name": "b", "weight": "40", "score": "40"},
        ],
    }
    base.update(fields)
    return ProjectSelfEval.model_validate(base)


def test_consistent_project_form_passes() -> None:
    assert _failed([_project()]) == []


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"execution_rate": "100"}, "rate.execution"),
        ({"funds_score": "8.5"}, "score.funds"),
        ({"total_score": "100"}, "score.total"),
        (
            {
                "indicators": [
                    {"name": "a", "weight": "50", "score": "55"},
                    {"name": "b", "weight": "40", "score": "35"},
                ]
            },
            "score.within_weight",
        ),
        (
            {
                "indicators": [
                    {"name": "a", "weight": "50", "score": "50"},
                    {"name": "b", "weight": "30", "score": "40"},
                ]
            },
            "score.weights_total",
        ),
        (
            {
                "funds": {
                    "total": {"initial_budget": "120", "adjusted_budget": "100", "executed": "95"},
                    "current_year": {"initial_budget": "100", "adjusted_budget": "100", "executed": "95"},
                }
            },
            "funds.sources",
        ),
    ],
)
def test_each_form_check_catches_its_error(change: dict[str, Any], check: str) -> None:
    assert check in {f.check for f in _failed([_project(**change)])}


def test_rate_printed_to_two_decimals_allows_only_its_rounding() -> None:
    # 594.48 / 628.55 = 94.5796…% → 94.58 passes, 94.56 fails.
    ok = OverallSelfEval(
        adjusted_budget=Decimal("628.55"), executed_amount=Decimal("594.48"), execution_rate=Decimal("94.58")
    )
    off = ok.model_copy(update={"execution_rate": Decimal("94.56")})
    assert _failed([ok]) == []
    assert [f.check for f in _failed([off])] == ["rate.execution"]


def test_funds_score_rounded_to_the_form_precision() -> None:
    # 78.05% × 10 = 7.805, printed 7.80 (2 decimals): rounding, not an error.
    assert (
        _failed(
            [
                _project(
                    execution_rate="78.05",
                    funds_score="7.80",
                    total_score="97.80",
                    funds={
                        "total": {"initial_budget": "16.4", "adjusted_budget": "16.4", "executed": "12.8"}
                    },
                )
            ]
        )
        == []
    )


def test_skipped_when_inputs_are_missing() -> None:
    report = _project(funds=None)
    findings = run_checks([report])
    assert [(f.check, f.status) for f in findings if f.check == "rate.execution"] == [
        ("rate.execution", "skipped")
    ]


def _prose(text: str) -> list[Finding]:
    report = OverallSelfEval()
    return [f for f in run_checks([report], [[SourceSpan(page=1, text=text)]]) if f.check.startswith("prose")]


def test_prose_claims_are_recomputed() -> None:
    ok = _prose(
        "2022 年度收、支总计 1468.53 万元，与上年相比增加 4.58 万元，上升 0.31%。"
        "年初预算为 21.91 万元，支出决算为 31.67 万元，完成年初预算的 144.55%。"
        "基本支出决算数为842.12万元，其中工资福利支出721.74万元，占比85.71%。"
    )
    assert [f.status for f in ok] == ["pass", "pass", "pass"]
    bad = _prose("年初预算为 21.91 万元，支出决算为 31.67 万元，完成年初预算的 134.55%。")
    assert [(f.status, f.expected) for f in bad] == [("fail", "144.55")]


def test_amount_in_yuan_that_only_adds_up_in_wan_is_an_error() -> None:
    findings = _prose(
        "2024 年项目支出年初预算 268.07 元，年中预算调整 132.48 万元，全年收入合计 400.55 万元。"
    )
    assert [(f.check, f.severity, f.status) for f in findings] == [("prose.unit", "error", "fail")]


# Genuine errors of the sample documents, found by reading them (see the gold-labelling notes).
# (sample, report index, check): reason
GENUINE = {
    (
        "002",
        1,
        "cross.attachment",
    ): "自评报告 附件1 三公经费决算 4.78 vs 公开09表 6.22 (附件1 counts 公务接待 0.78 from 06表)",
    ("002", 24, "score.funds"): "附件4-5: 执行率 0% yet 资金得分 10 of 10",
    ("002", 26, "score.funds"): "附件4-7: 执行率 38.28% yet 资金得分 10 of 10",
    ("002", 27, "rate.execution"): "附件4-8: 执行率 printed 100%, 全年执行数 10 / 全年预算数 30 = 33.33%",
    ("002", 28, "rate.execution"): "附件4-9: printed 100%, 10 / 20 = 50%",
    ("002", 29, "rate.execution"): "附件4-10: printed 100%, 118.27 / 195 = 60.65%",
    ("002", 30, "rate.execution"): "附件4-11: printed 100%, 33 / 35 = 94.29%",
    (
        "002",
        31,
        "score.weights_total",
    ): "附件4-12: 效益指标 and 满意度指标 rows have blank 分值, weights cannot reach 100",
    ("002", 32, "funds.sources"): "附件4-13: 年度资金总额 年初 16 vs 当年财政拨款 16.4",
    ("002", 33, "funds.sources"): "附件4-14: 年度资金总额 年初 500 vs 当年财政拨款 443",
    ("002", 35, "funds.sources"): "附件4-16: 年度资金总额 年初 4069 vs 当年财政拨款 4052.66",
    ("003", 0, "prose.unit"): "项目支出年初预算 268.07 元 (should be 万元: 268.07 + 132.48 = 400.55)",
    (
        "002",
        21,
        "score.level1_weight",
    ): "附件4-2: 成本指标 (20分) rows weigh 20 + 10, 产出指标 (40分) rows 20 + 5 + 5 "
    "(the 培训次数 row, 10分, sits under 成本指标 as printed)",
    (
        "002",
        31,
        "score.level1_weight",
    ): "附件4-12: 效益指标 (20分) and 满意度指标 (10分) rows have blank 分值",
    ("002", 6, "cross.project_text_vs_form"): "医药服务管理工作经费: 自评报告 20/20/20 vs 附件4-3 25/25/25",
    ("002", 11, "cross.project_text_vs_form"): "市级统筹工作经费: 自评报告 全年预算 10 vs 附件4-8 30",
    ("002", 12, "cross.project_text_vs_form"): "门诊费用跨省…: 自评报告 全年预算 10 vs 附件4-9 20",
    (
        "002",
        13,
        "cross.project_text_vs_form",
    ): "基金管理重点工作经费: 自评报告 全年预算 118.27 vs 附件4-10 195",
    (
        "002",
        14,
        "cross.project_text_vs_form",
    ): "市市民服务中心物业能耗费: 自评报告 全年预算 33 vs 附件4-11 35",
    (
        "002",
        16,
        "cross.project_text_vs_form",
    ): "建国初期…: 自评报告 项目资金预算 16.4 vs 附件4-13 年度资金总额 16",
    ("002", 17, "cross.project_text_vs_form"): "公务员医疗补助: 自评报告 443 vs 附件4-14 年度资金总额 500",
    (
        "002",
        19,
        "cross.project_text_vs_form",
    ): "城乡居民医保配套: 自评报告 4052.66 vs 附件4-16 年度资金总额 4069",
}


@pytest.fixture(scope="module")
def sample_findings() -> dict[str, list[Finding]]:
    out = {}
    for pdf in sorted((SAMPLES / "pdf").glob("*.pdf")):
        out[pdf.stem[:3]] = extract(pdf, ExtractOptions(ocr="never")).findings
    return out


# Publishing defects of the samples found by the wording checks (warnings and infos, not arithmetic).
GENUINE_WORDING = {
    ("002", 1, "wording.typography"): "附件1 p.35 `主要包括：（办公费…其他商品和服务支出等。` and p.36 "
    "`（医药服务管理工作经费25万元…33万元。` open a bracket they never close",
    ("003", 0, "wording.typography"): "`稳定脱贫户稳定脱贫户45725人` repeats the words",
}


def test_every_genuine_error_is_caught_and_nothing_else(sample_findings: dict[str, list[Finding]]) -> None:
    failed = {
        (name, f.report, f.check)
        for name, fs in sample_findings.items()
        for f in fs
        if f.status == "fail" and not _slip(f)
    }
    expected = set(GENUINE) | set(GENUINE_WORDING)
    assert failed == expected, {k: GENUINE.get(k, "unexpected") for k in failed ^ expected}
    errors = {
        (name, f.report, f.check)
        for name, fs in sample_findings.items()
        for f in fs
        if f.status == "fail" and f.severity == "error"
    }
    assert errors <= set(GENUINE)


def test_rounding_differences_in_the_samples_are_not_flagged(
    sample_findings: dict[str, list[Finding]],
) -> None:
    # 公开03表 合计 基本支出 971.50 vs Σ classes 971.51: a warning with both numbers, never an error;
    # 自评报告 总支出 1468.52 vs the 决算's 1468.53 (two documents, each rounded): a pass.
    findings = sample_findings["002"]
    slip = next(f for f in findings if f.check == "table.code_hierarchy" and f.actual == "971.50")
    assert _slip(slip) and slip.expected == "971.51"
    assert any(
        f.check == "cross.attachment" and f.actual == "1468.52" and f.status == "pass" for f in findings
    )


def test_level1_header_weight_is_read_from_its_source_text() -> None:
    from extractor.schemas import Evidence

    report = _project(
        indicators=[
            {"level1": "产出指标", "name": "a", "weight": "30", "score": "30"},
            {"level1": "产出指标", "name": "b", "weight": "20", "score": "20"},
            {"level1": "效益指标", "name": "c", "weight": "40", "score": "39.5"},
        ],
        total_score="99",
        evidence={
            "indicators[0].level1": Evidence(page=1, text="产出指标（50分）"),
            "indicators[2].level1": Evidence(page=1, text="效益指标 (30分)"),
        },
    )
    failed = _failed([report])
    assert [(f.check, f.actual, f.expected) for f in failed] == [("score.level1_weight", "30", "40")]


def test_missing_standard_tables_are_reported() -> None:
    report = _fa([_row(None, "合计", "1", "1", None)])
    (finding,) = [f for f in run_checks([report]) if f.check == "complete.standard_tables"]
    assert finding.status == "fail"
    # The one table present (03 支出决算表) is not reported; the eight others are, by title.
    assert finding.message.startswith(
        "no table titled 收入支出决算总表、收入决算表、财政拨款收入支出决算总表"
    )
    assert finding.actual == "03"
