"""The gold labels themselves: valid, typed from the seeds, and scored as expected by the harness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLES, SEEDS
from goldtools import assert_planted_changes_counted, assert_scores_itself_perfectly, leaves

from extractor.eval.dataset import load_gold
from extractor.schemas import load_result, unknown_fields

GOLD_FILES = sorted((SAMPLES / "gold").glob("*.json"))


def _seed_text(gold: Path) -> str:
    text = (SEEDS / f"{gold.stem}.txt").read_text(encoding="utf-8")
    text = re.sub(r"</?[a-zA-Z][^<>]*>|\[bookmark:[^\]]*\]|\*\*", "", text)
    return re.sub(r"\s+", "", text)


def test_there_is_a_gold_file_per_seed() -> None:
    assert {g.stem for g in GOLD_FILES} == {s.stem for s in SEEDS.glob("*.txt")}


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_validates_and_has_no_unknown_fields(gold: Path) -> None:
    doc = load_result(gold)
    assert doc.reports, "a gold file with no reports labels nothing"
    assert list(unknown_fields(doc)) == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_every_gold_value_occurs_in_its_seed(gold: Path) -> None:
    """A typo in a gold label cannot hide: every value is found in the document it was typed from."""
    seed = _seed_text(gold)
    seed_plain = seed.replace(",", "")
    missing = []
    for path, value in leaves(load_gold(gold)["reports"]):
        if value is None or path.endswith(".kind") or ".pages" in path or path.startswith("source"):
            continue
        text = re.sub(r"\s+", "", str(value))
        if re.search(r"\.columns\[\d+\]$", path):
            # Multi-level headers are joined with "/": each level is printed text.
            found = all(part in seed for part in text.split("/"))
        elif path.endswith("report_date"):
            y, m, d = (int(x) for x in text.split("-"))
            found = f"{y}年{m}月{d}日" in seed
        else:
            found = text in seed or text.replace(",", "") in seed_plain
        if not found:
            missing.append(f"{path} = {value!r}")
    assert missing == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_scored_against_itself_is_perfect(gold: Path) -> None:
    assert_scores_itself_perfectly(load_gold(gold))


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_planted_changes_score_exactly_that_many_errors(gold: Path) -> None:
    assert_planted_changes_counted(load_gold(gold))
