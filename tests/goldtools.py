"""Shared by the gold tests of every corpus: walking a gold document and planting changes in it."""

from __future__ import annotations

import copy
import json
import random
import re
from decimal import Decimal
from typing import Any

from extractor.eval.score import score_document

IDENTITY_KEYS = {"kind", "name", "code", "side", "id", "project_name", "program_name", "department", "title"}


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}" if path else key)
        ]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in leaves(item, f"{path}[{i}]")]
    return [(path, value)]


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


def assert_scores_itself_perfectly(data: dict[str, Any]) -> None:
    """A gold document scored against itself: no error, every field and every cell right."""
    score = score_document(data, data)
    assert score.counts.errors == 0
    assert score.counts.f1 == 1.0
    assert score.cells.accuracy == 1.0


def assert_planted_changes_counted(data: dict[str, Any], seed: int = 20261123, most: int = 12) -> None:
    """Plant `most` changes into a copy of a gold document: the scorer must count exactly that many errors."""
    rng = random.Random(seed)
    spots = _plantable(data)
    n = min(most, len(spots))
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
