"""Sections beyond the first four kinds (budget), and request options real endpoints need."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from llm_server import ChatServer, Reply

from extractor.extract.llm.config import LlmConfig
from extractor.extract.llm.extract import SectionTask, extract_section
from extractor.extract.llm.fake import FakeLlmClient
from extractor.extract.llm.merge import _agrees_with, _checker
from extractor.extract.llm.openai_client import OpenAICompatibleClient
from extractor.extract.llm.prompts import render_messages
from extractor.extract.llm.sections import SECTIONS, answer_values, sections_for
from extractor.render import text_chunk
from extractor.schemas import Budget

BUDGET_TEXT = (
    "江苏省某某厅2018年部门预算\n"
    "单位：万元\n"
    "| 收入 | 预算数 | 支出 | 预算数 |\n"
    "| 一、一般公共预算拨款收入 | 2,880.50 | 一、一般公共服务支出 | 2,500.00 |\n"
    "| 收入总计 | 3,000.00 | 支出总计 | 3,000.00 |\n"
    "2018年“三公”经费预算数为42.30万元，其中：因公出国（境）费10.00万元，公务接待费12.30万元，"
    "公务用车购置及运行费20.00万元。\n"
    "2018年政府采购预算总额为8.60万元。\n"
)


def q(value: str, quote: str) -> dict[str, str]:
    return {"value": value, "quote": quote}


def test_the_budget_kind_has_a_key_figures_section() -> None:
    (section,) = sections_for("budget")
    assert section.id == "budget.key_figures"
    paths = {f.path for f in section.fields}
    assert {"department", "fiscal_year", "unit", "key_figures.income_total", "key_figures.carryover"} <= paths
    assert "scope" not in paths  # segmentation decides department / unit, it is not printed as such
    _, user = render_messages(section, text_chunk(BUDGET_TEXT))
    assert "部门预算 / 单位预算" in user.content and "never take a 决算数" in user.content


def test_a_budget_report_is_read_grounded_and_checked() -> None:
    section = SECTIONS["budget.key_figures"]
    chunk = text_chunk(BUDGET_TEXT)
    report = Budget(department="江苏省某某厅", fiscal_year=2018)
    answer = {
        "unit": q("万元", "单位：万元"),
        "key_figures": {
            "income_total": q("3000.00", "| 收入总计 | 3,000.00 |"),
            "general_budget_appropriation_income": q("2880.50", "一、一般公共预算拨款收入 | 2,880.50"),
            "three_public_budget": q("42.30", "2018年“三公”经费预算数为42.30万元"),
            "overseas_budget": q("10.00", "因公出国（境）费10.00万元"),
            "reception_budget": q("12.30", "公务接待费12.30万元"),
            "vehicle_budget": q("20.00", "公务用车购置及运行费20.00万元"),
            # the wrong line for this field: 12.30 is the 公务接待 amount
            "procurement_total": q("12.30", "公务接待费12.30万元"),
        },
    }
    client = FakeLlmClient({section.id: [answer, answer, answer]})
    task = SectionTask(
        section=section,
        chunk=chunk,
        check=_checker(report, (), section),
        corroborated=_agrees_with(report.model_dump(mode="json")),
    )
    config = LlmConfig(base_url="http://unused", model="fake", cache_dir=None)
    result = extract_section(task, client=client, config=config)
    kept = {leaf.path: leaf.value for leaf in result.leaves}
    assert kept == {
        "unit": "万元",
        "key_figures.income_total": "3000.00",
        "key_figures.general_budget_appropriation_income": "2880.50",
        "key_figures.three_public_budget": "42.30",
        "key_figures.overseas_budget": "10.00",
        "key_figures.reception_budget": "12.30",
        "key_figures.vehicle_budget": "20.00",
    }
    assert "采购" in result.dropped["key_figures.procurement_total"]
    values = answer_values(section, result.answer)
    figures = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("key_figures.")}
    merged = Budget.model_validate(
        {**report.model_dump(mode="json"), "unit": values["unit"], "key_figures": figures}
    )
    assert str(merged.key_figures.three_public_budget) == "42.30"


@pytest.mark.parametrize("parameter", ["max_tokens", "max_completion_tokens"])
def test_the_output_cap_is_sent_as_the_model_requires(
    parameter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with ChatServer() as server:
        server.script(None, Reply({"retired_staff": q("6", "退休人员6人")}))
        config = LlmConfig(
            base_url=server.base_url,
            model="o-model",
            mode="tools",
            cache_dir=None,
            max_output_tokens=777,
            token_parameter=parameter,  # type: ignore[arg-type]
        )
        task = SectionTask(section=SECTIONS["overall_self_eval.scalars"], chunk=text_chunk("退休人员6人。"))
        extract_section(task, client=OpenAICompatibleClient(config), config=config)
        body: dict[str, Any] = server.bodies()[0]
    other = {"max_tokens", "max_completion_tokens"} - {parameter}
    assert body[parameter] == 777 and not other & set(body)


def test_few_shot_can_be_turned_off() -> None:
    section = SECTIONS["overall_self_eval.scalars"]
    _, with_examples = render_messages(section, text_chunk("退休人员6人。"), exclude="x")
    _, without = render_messages(section, text_chunk("退休人员6人。"), exclude="x", few_shot=False)
    assert "Example: correct values" in with_examples.content
    assert "Example: correct values" not in without.content
