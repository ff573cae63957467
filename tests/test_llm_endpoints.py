"""The two readers that know the gold (eval/endpoints.py) and what `eval --endpoint` measures with them;
a non-editable install runs `extract --llm full` against the perfect reader."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main
from extractor.eval.dataset import load_gold
from extractor.eval.endpoints import Reader, ReaderServer
from extractor.eval.reading import Asked, asked_fields, find_line, perfect_answer, quoted_values, spoil
from extractor.extract.llm.sections import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "003_fa808c88f47e4303"
TEXT = "单位：万元\n| 本年收入合计 | 1,250.50 | 本年支出合计 | 1,230.00 |\n机关运行经费支出98.76万元。\n"
REPORT = {
    "kind": "final_account",
    "unit": "万元",
    "key_figures": {"income_total": "1250.50", "expenditure_total": "1230.00", "grand_total": "1300.00"},
}


def _asked() -> list[Asked]:
    return asked_fields(SECTIONS["final_account.key_figures"].response_model.model_json_schema())


def test_the_perfect_reader_answers_only_what_the_text_prints() -> None:
    answer = perfect_answer(_asked(), REPORT, TEXT)
    assert answer["unit"] == {"value": "万元", "quote": "单位：万元"}
    figures = answer["key_figures"]
    assert figures["income_total"] == {"value": "1250.50", "quote": TEXT.split("\n")[1]}
    assert "grand_total" not in figures  # the gold has it, the text does not print it


def test_the_noisy_reader_spoils_values_the_ways_a_weak_model_does() -> None:
    seen: set[str] = set()
    for seed in range(40):
        answer = perfect_answer(_asked(), REPORT, TEXT)
        applied = spoil(answer, _asked(), TEXT, random.Random(seed), rate=0.5)
        seen |= set(applied.values())
        for path, node in quoted_values(answer):
            if applied.get(path) in ("digit", "unit"):
                assert node["value"] not in ("1250.50", "1230.00", "万元") or path == "unit"
    assert seen == {"digit", "swap", "unit", "misquote", "invented"}


def test_the_readers_quote_a_values_row_not_the_columns_numbers() -> None:
    """A 栏次 row (1 2 3 …) prints the columns' numbers: a reader quoting it for a value of 5 has not
    read the field (grounding rightly refuses it), so the readers quote the row of values."""
    lines = [
        "| 项目 | “三公”经费合计 |  | 公务接待费 |  |",
        "|  | 预算数 | 决算数 | 预算数 | 决算数 |",
        "| 栏次 | 1 | 2 | 3 | 4 |",
        "| 1 | 2 | 3 | 4 | 5 | 6 |",
        "| 合计 | 9.00 | 6.22 | 5.00 | 2.22 |",
    ]
    hints = ("公务接待费", "预算数")
    assert find_line("5", lines, hints) == ("5.00", lines[4])
    assert find_line("3", lines, hints) is None


def test_a_header_row_with_a_year_is_read_as_the_header() -> None:
    """2024年机关运行经费预算数 is a header (no cell is a number): the row of values under it is where
    the reader finds the field, before prose that prints the same number under another label."""
    lines = [
        "公务用车购置费0.00万元，与上年预算持平。",
        "| 2024年“三公”经费预算数 |  |  | 2024年机关运行经费预算数 |",
        "| 合计 | 因公出国(境)费 | 公务接待费 |  |",
        "| 6.4 | 0 | 0 | 0 |",
    ]
    assert find_line("0", lines, ("机关运行经费", "预算")) == ("0", lines[3])


def _eval(tmp_path: Path, endpoint: str, *extra: str) -> dict[str, Any]:
    out = tmp_path / "-".join([endpoint, *extra])
    argv = ["eval", "--backend", "llm", "--endpoint", endpoint, "--variant", "pdf", "--only", SAMPLE, *extra]
    assert main([*argv, "--samples", str(ROOT / "samples"), "--out", str(out)]) == 0
    return json.loads((out / f"endpoint_{endpoint}.json").read_text(encoding="utf-8"))


def test_eval_with_the_perfect_reader_reaches_the_ceiling(tmp_path: Path) -> None:
    (row,) = _eval(tmp_path, "perfect")["rows"]
    assert (row["corpus"], row["kind"]) == ("samples", "overall_self_eval")
    assert row["printed"] > 10 and row["ceiling"] == "1.0000" and row["right_lost"] == "0.0000"
    assert row["wrong_sent"] == 0


def test_eval_with_the_noisy_reader_stops_the_wrong_values(tmp_path: Path) -> None:
    (row,) = _eval(tmp_path, "noisy")["rows"]
    assert row["wrong_sent"] > 5
    assert row["wrong_stopped"] == "1.0000", row["let_through"]
    assert set(row["noise"]) >= {"digit", "unit"}


def test_the_noisy_readers_seed_draws_other_mistakes(tmp_path: Path) -> None:
    default, other = _eval(tmp_path, "noisy"), _eval(tmp_path, "noisy", "--seed", "3")
    assert (default["seed"], other["seed"]) == (12, 3)
    (a,), (b,) = default["rows"], other["rows"]
    assert (a["noise"], a["wrong_sent"]) != (b["noise"], b["wrong_sent"])
    assert float(b["wrong_stopped"]) >= 0.99, b["let_through"]


def test_a_non_editable_install_extracts_with_the_model(tmp_path: Path) -> None:
    """Prompts and few-shot examples are package data: an installed copy, run outside the source
    tree, asks the perfect reader and merges its grounded answers."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    assert (target / "extractor" / "prompts" / "system.j2").is_file()
    assert (target / "extractor" / "prompts" / "examples.json").is_file()
    reader = Reader("perfect")
    reader.use(SAMPLE, load_gold(ROOT / "samples" / "gold" / f"{SAMPLE}.json"))
    with ReaderServer(reader) as server:
        env = {
            **os.environ,
            "PYTHONPATH": str(target),
            "EXTRACTOR_LLM_BASE_URL": server.base_url,
            "EXTRACTOR_LLM_MODEL": "perfect-reader",
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "NO_PROXY": "127.0.0.1,localhost",
        }
        code = (
            "import sys, extractor; assert extractor.__file__.startswith(sys.argv[1]), extractor.__file__;"
            "from extractor.cli import main; sys.exit(main(sys.argv[2:]))"
        )
        pdf = ROOT / "samples" / "pdf" / f"{SAMPLE}.pdf"
        args = [str(target), "extract", str(pdf), "-o", str(tmp_path / "out"), "--llm", "full"]
        done = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    assert reader.sent, "the installed copy never asked the endpoint"
    result = json.loads((tmp_path / "out" / f"{SAMPLE}.json").read_text(encoding="utf-8"))
    assert result["llm"]["model"] == "perfect-reader" and result["llm"]["failed"] == 0
    sources = result["reports"][0]["sources"]
    assert any(v in ("llm", "both") for v in sources.values())


@pytest.mark.parametrize("endpoint", ["perfect"])
def test_endpoint_needs_the_llm_backend(
    tmp_path: Path, endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eval", "--endpoint", endpoint, "--only", SAMPLE, "--samples", str(ROOT / "samples")]
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert "use it with --backend llm" in capsys.readouterr().err
