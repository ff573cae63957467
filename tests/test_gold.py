"""The gold labels themselves: valid, typed from the seeds, and scored as expected by the harness."""

from __future__ import annotations

import copy
import json
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, SEEDS

from extractor.eval.dataset import load_gold
from extractor.eval.score import score_document
from extractor.schemas import load_result, unknown_fields

GOLD_FILES = sorted((SAMPLES / "gold").glob("*.json"))
IDENTITY_KEYS = {"kind", "name", "code", "side", "id", "project_name", "program_name", "department", "title"}


def _seed_text(gold: Path) -> str:
    text = (SEEDS / f"{gold.stem}.txt").read_text(encoding="utf-8")
    text = re.sub(r"</?[a-zA-Z][^<>]*>|\[bookmark:[^\]]*\]|\*\*", "", text)
    return re.sub(r"\s+", "", text)


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            leaf for key, item in value.items() for leaf in _leaves(item, f"{path}.{key}" if path else key)
        ]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, f"{path}[{i}]")]
    return [(path, value)]


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
    for path, value in _leaves(load_gold(gold)["reports"]):
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
    data = load_gold(gold)
    score = score_document(data, data)
    assert score.counts.errors == 0
    assert score.counts.f1 == 1.0
    assert score.cells.accuracy == 1.0


def _plantable(doc: dict[str, Any]) -> list[tuple[list[Any], Any]]:
    """(container path, key) of every value leaf that is not part of an item's identity."""
    spots: list[tuple[list[Any], Any]] = []

    def walk(value: Any, trail: list[Any]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                # Column headers are structure, scored through the cells they label, not as fields.
                if key in IDENTITY_KEYS or key in (
                    "pages",
                    "evidence",
                    "schema_version",
                    "source",
                    "columns",
                ):
                    continue
                if isinstance(item, dict | list):
                    walk(item, [*trail, key])
                else:
                    spots.append((trail, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict | list):
                    walk(item, [*trail, i])
                else:
                    spots.append((trail, i))

    walk(doc, [])
    return spots


def _plant(value: Any, rng: random.Random) -> Any:
    """A changed value that cannot compare equal to the original."""
    if value is None:
        return "7.77"
    if isinstance(value, int):
        return value + 1
    if re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        return str(Decimal(str(value)) + Decimal("1"))
    return "（已篡改）" + "错" * rng.randint(1, 3)


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_planted_changes_score_exactly_that_many_errors(gold: Path) -> None:
    data = load_gold(gold)
    rng = random.Random(20261123)
    spots = _plantable(data)
    n = min(12, len(spots))
    planted = copy.deepcopy(data)
    for trail, key in rng.sample(spots, n):
        container: Any = planted
        for step in trail:
            container = container[step]
        if isinstance(key, int) and isinstance(container[key], str):
            # An item of problems/measures keeps enough of its text to pair, but no longer equals it.
            text = container[key]
            container[key] = text[: max(1, len(text) * 6 // 10)] + "（已篡改）"
        else:
            container[key] = _plant(container[key], rng)
    score = score_document(data, planted)
    assert score.counts.errors == n, json.dumps(
        [f.model_dump() for f in score.fields if f.status != "correct"], ensure_ascii=False, indent=1
    )
