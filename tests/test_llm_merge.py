"""Merging the model's answers with the rules (--llm fill / verify / full), with the in-process fake client."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor.api import ExtractOptions, layout_file, run
from extractor.core.types import LayoutDocument
from extractor.extract.llm.client import LlmCallError
from extractor.extract.llm.config import LlmConfig, MergeMode
from extractor.extract.llm.fake import FakeLlmClient
from extractor.extract.llm.merge import MergeResult, merge_llm
from extractor.extract.rules.dispatch import extract_rules_with_narratives
from extractor.schemas import FinalAccount

TEXT = """2023年度某某县财政局部门决算
第一部分 收入支出决算总表
单位：万元
项目\t金额\t项目\t金额
一、财政拨款收入（一般公共预算）\t1,200.50\t一、一般公共服务支出\t1,180.00
本年收入合计\t1,250.50\t本年支出合计\t1,230.00
二、部门决算情况说明
2023年度收入合计1250.50万元，支出合计1230.00万元。机关运行经费支出98.76万元。
"""
KEY = "final_account.key_figures"


def q(value: str, quote: str) -> dict[str, str]:
    return {"value": value, "quote": quote}


ANSWER = {
    "key_figures": {
        "income_total": q("1250.50", "本年收入合计 | 1,250.50"),
        "general_budget_appropriation_income": q("1200.50", "一、财政拨款收入（一般公共预算） | 1,200.50"),
        "operating_funds": q("98.76", "机关运行经费支出98.76万元"),
        "expenditure_total": q("1180.00", "一般公共服务支出 | 1,180.00"),  # the wrong line: disagrees
    }
}


@pytest.fixture
def doc(tmp_path: Path) -> LayoutDocument:
    path = tmp_path / "fa.txt"
    path.write_text(TEXT, encoding="utf-8")
    return layout_file(path, ExtractOptions(), {})


def merged(doc: LayoutDocument, mode: MergeMode, client: FakeLlmClient) -> MergeResult:
    reports, narratives = extract_rules_with_narratives(doc)
    config = LlmConfig(base_url="http://unused", model="fake", cache_dir=None, concurrency=1)
    return merge_llm(doc, reports, narratives, mode=mode, config=config, client=client)


def figures(result: MergeResult) -> dict[str, Any]:
    report = result.reports[0]
    assert isinstance(report, FinalAccount)
    kf = report.key_figures
    return {k: getattr(kf, k) for k in type(kf).model_fields if getattr(kf, k) is not None}


def sources(result: MergeResult) -> dict[str, str]:
    return dict((result.reports[0].model_extra or {})["sources"])


def test_rules_alone(doc: LayoutDocument) -> None:
    rules = merged(doc, "off", FakeLlmClient())
    assert figures(rules) == {
        "income_total": Decimal("1250.50"),
        "expenditure_total": Decimal("1230.00"),
        "operating_funds": Decimal("98.76"),
    }
    assert rules.reports[0].model_extra == {}


def test_fill_takes_the_model_only_for_empty_fields(doc: LayoutDocument) -> None:
    client = FakeLlmClient({KEY: [ANSWER]})
    result = merged(doc, "fill", client)
    assert figures(result) == {
        "income_total": Decimal("1250.50"),
        "expenditure_total": Decimal("1230.00"),  # the rules' value stays
        "operating_funds": Decimal("98.76"),
        "general_budget_appropriation_income": Decimal("1200.50"),
    }
    src = sources(result)
    assert src["key_figures.general_budget_appropriation_income"] == "llm"
    assert src["key_figures.income_total"] == "both"
    assert src["key_figures.expenditure_total"] == "rules"
    assert src["department"] == "rules"
    evidence = result.reports[0].evidence["key_figures.general_budget_appropriation_income"]
    assert evidence.text == "一、财政拨款收入（一般公共预算） | 1,200.50" and evidence.page == 1
    assert not [f for f in result.findings if f.check == "llm.disagreement"]
    assert [r.tag for r in client.history] == [KEY]


def test_fill_skips_sections_the_rules_filled(tmp_path: Path) -> None:
    path = tmp_path / "overall.txt"
    path.write_text(
        "2023年度某某局部门整体支出绩效自评报告\n三、存在的问题\n一是预算编制不够精准。\n四、改进措施\n一是加强预算管理。\n",
        encoding="utf-8",
    )
    doc = layout_file(path, ExtractOptions(), {})
    reports, _ = extract_rules_with_narratives(doc)
    assert reports[0].problems and reports[0].measures  # type: ignore[union-attr]
    client = FakeLlmClient(script=lambda request: {})
    merged(doc, "fill", client)
    assert "overall_self_eval.items" not in {r.tag for r in client.history}


def test_verify_keeps_the_rules_and_reports_disagreements(doc: LayoutDocument) -> None:
    result = merged(doc, "verify", FakeLlmClient({KEY: [ANSWER]}))
    assert figures(result) == figures(merged(doc, "off", FakeLlmClient()))
    findings = {f.fields[0]: f for f in result.findings if f.check == "llm.disagreement"}
    assert set(findings) == {
        "key_figures.expenditure_total",
        "key_figures.general_budget_appropriation_income",
    }
    wrong = findings["key_figures.expenditure_total"]
    assert (wrong.severity, wrong.status, wrong.expected, wrong.actual) == (
        "warning",
        "fail",
        "1180.00",
        "1230.00",
    )
    assert wrong.evidence["key_figures.expenditure_total"].text == "一般公共服务支出 | 1,180.00"
    assert "kept the rules' value" in wrong.message
    assert sources(result)["key_figures.income_total"] == "both"


def test_full_lets_the_model_win(doc: LayoutDocument) -> None:
    result = merged(doc, "full", FakeLlmClient({KEY: [ANSWER]}))
    assert figures(result)["expenditure_total"] == Decimal("1180.00")
    assert figures(result)["income_total"] == Decimal("1250.50")
    src = sources(result)
    assert src["key_figures.expenditure_total"] == "llm"
    assert src["department"] == "rules"  # the model said nothing about it: the rules' value stays
    (finding,) = [f for f in result.findings if f.check == "llm.disagreement"]
    assert "took the model's value" in finding.message
    assert result.reports[0].evidence["key_figures.expenditure_total"].text == "一般公共服务支出 | 1,180.00"


def test_a_failed_section_is_left_to_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "overall.txt"
    path.write_text("2023年度某某局部门整体支出绩效自评报告\n退休人员6人。\n", encoding="utf-8")
    doc = layout_file(path, ExtractOptions(), {})
    client = FakeLlmClient(
        {
            "overall_self_eval.scalars": [LlmCallError("HTTP 502: bad gateway", status=502)],
            "overall_self_eval.items": [{"problems": [], "measures": []}],
            "overall_self_eval.indicators": [{"indicators": []}],
        }
    )
    result = merged(doc, "full", client)
    (failed,) = [f for f in result.findings if f.check == "llm.failed"]
    assert failed.status == "skipped" and "bad gateway" in failed.message
    assert result.info["failed"] == 1
    assert result.reports[0].department == "某某局"  # the rules' value


def test_an_unusable_endpoint_is_an_error(doc: LayoutDocument) -> None:
    with pytest.raises(LlmCallError, match="bad key"):
        merged(doc, "full", FakeLlmClient({KEY: [LlmCallError("HTTP 401: bad key", status=401)]}))


def test_an_ungrounded_answer_never_reaches_the_report(doc: LayoutDocument) -> None:
    bad = {"key_figures": {"carryover_end": q("77.00", "年末结转和结余 77.00")}}
    client = FakeLlmClient({KEY: [bad, bad, bad]})
    result = merged(doc, "full", client)
    assert "carryover_end" not in figures(result)
    assert len(client.history) == 3  # the first answer and two re-asks, then given up
    assert [f.check for f in result.findings if f.check.startswith("llm.")] == ["llm.failed"]


def test_off_leaves_the_result_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "fa.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run(path, ExtractOptions()).document
    assert "llm" not in (result.model_extra or {})
    assert all("sources" not in (r.model_extra or {}) for r in result.reports)
