"""`extractor extract --llm …` and `extractor eval --backend llm` against the scripted server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from llm_server import ChatServer, Reply

from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEXT = """2023年度某某县财政局部门决算
第一部分 收入支出决算总表
单位：万元
项目\t金额\t项目\t金额
一、财政拨款收入（一般公共预算）\t1,200.50\t一、一般公共服务支出\t1,180.00
本年收入合计\t1,250.50\t本年支出合计\t1,230.00
"""
ANSWER = {
    "key_figures": {
        "general_budget_appropriation_income": {
            "value": "1200.50",
            "quote": "一、财政拨款收入（一般公共预算） | 1,200.50",
        }
    }
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    for var in (
        "EXTRACTOR_LLM_BASE_URL",
        "EXTRACTOR_LLM_MODEL",
        "EXTRACTOR_LLM_API_KEY",
        "EXTRACTOR_LLM_CONFIG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # the default cache goes here, not to ~
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with ChatServer() as s:
        yield s


def test_extract_fills_what_the_rules_missed(
    server: ChatServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "fa.txt"
    source.write_text(TEXT, encoding="utf-8")
    server.script("FinalAccountKeyFigures", Reply(ANSWER, prompt_tokens=300, completion_tokens=50))
    argv = ["extract", str(source), "-o", str(tmp_path / "out"), "--llm-base-url", server.base_url]
    code = main([*argv, "--llm-model", "m1", "--max-tokens", "10000"])
    assert code == 0
    result = json.loads((tmp_path / "out" / "fa.json").read_text(encoding="utf-8"))
    report = result["reports"][0]
    assert report["key_figures"]["general_budget_appropriation_income"] == "1200.50"
    assert report["sources"]["key_figures.general_budget_appropriation_income"] == "llm"
    assert result["llm"]["model"] == "m1" and result["llm"]["merge"] == "fill"
    assert result["llm"]["total_tokens"] == 350
    err = capsys.readouterr().err
    assert "llm: m1: 1 documents, 1 calls, 0 sections from the cache, 350 tokens" in err
    # Unchanged re-run (--force re-extracts): every answer comes from the cache.
    assert main([*argv, "--llm-model", "m1", "--force"]) == 0
    assert len(server.requests) == 1
    assert "1 sections from the cache, 0 tokens" in capsys.readouterr().err


def test_a_budget_of_zero_asks_nothing(server: ChatServer, tmp_path: Path) -> None:
    source = tmp_path / "fa.txt"
    source.write_text(TEXT, encoding="utf-8")
    argv = ["extract", str(source), "-o", str(tmp_path / "out"), "--llm", "full", "--max-tokens", "0"]
    assert main([*argv, "--llm-base-url", server.base_url, "--llm-model", "m1"]) == 0
    assert server.requests == []
    result = json.loads((tmp_path / "out" / "fa.json").read_text(encoding="utf-8"))
    assert [f["check"] for f in result["findings"] if f["check"].startswith("llm.")] == ["llm.budget"]
    assert result["reports"][0]["department"] == "某某县财政局"  # the rules' work stands


def test_eval_backend_llm_records_model_prompt_version_and_tokens(
    server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "llm.toml"
    config.write_text(
        f'[llm]\nbase_url = "{server.base_url}"\nmodel = "eval-model"\ncache_dir = "{tmp_path / "cache"}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("EXTRACTOR_LLM_CONFIG", str(config))
    server.responder = lambda body: Reply({}, prompt_tokens=10, completion_tokens=5)
    out = tmp_path / "eval"
    argv = ["eval", "--backend", "llm", "--variant", "pdf", "--only", "003", "--out", str(out)]
    assert main([*argv, "--samples", str(ROOT / "samples")]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    info = report["info"]
    assert info["backend"] == "llm" and info["llm_model"] == "eval-model"
    assert info["llm_prompt_version"] == "1"
    assert info["llm_calls"] == "3" and info["llm_total_tokens"] == "45"
    # The model said nothing, so the score is the rules' score: `sources` is not a scored field.
    assert not any(f["status"] == "extra" and "sources" in f["path"] for f in _fields(report))


def _fields(report: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sample in report.get("samples") or []:
        out += sample.get("fields") or []
    return out
