"""Pairing list items before their fields are compared.

Reports pair by kind, name and content; table rows by (side, code or name);
indicators by level and fuzzy name; problems/measures by text similarity.
Every matcher is greedy on a similarity matrix: the most similar pair first,
ties broken by position, so a swap of two rows or reports cannot mislead it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from extractor.eval.normalize import normalize_text, similarity, values_equal

T = TypeVar("T")
U = TypeVar("U")
JsonDict = dict[str, Any]


def greedy_pairs(
    gold: Sequence[T],
    pred: Sequence[U],
    score: Callable[[T, U], float],
    threshold: float,
) -> list[tuple[int, int]]:
    """Pairs (gold index, pred index) with score >= threshold, best first, each item used once."""
    candidates: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = score(g, p)
            if s >= threshold:
                candidates.append((s, i, j))
    # Highest score first; among equals, the pair closest in position, then document order.
    candidates.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)


NAME_FIELDS = ("project_name", "program_name", "department")


def report_name(report: JsonDict) -> str:
    for key in NAME_FIELDS:
        value = report.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _scalar_leaves(report: JsonDict) -> dict[str, object]:
    # Deferred import: flatten imports match for its row keys.
    from extractor.eval.flatten import flatten_report

    return {k: v for k, v in flatten_report(report).items() if v is not None}


def report_similarity(gold: JsonDict, pred: JsonDict) -> float:
    """0 for different kinds; else half name similarity, half share of agreeing fields."""
    if gold.get("kind") != pred.get("kind"):
        return 0.0
    name_sim = similarity(report_name(gold), report_name(pred)) if report_name(gold) else 0.5
    g_leaves, p_leaves = _scalar_leaves(gold), _scalar_leaves(pred)
    agree = sum(1 for k, v in g_leaves.items() if k in p_leaves and values_equal(v, p_leaves[k])[0])
    content = agree / max(len(g_leaves), len(p_leaves), 1)
    # A small floor so two reports of the same kind can pair even when nothing agrees yet.
    return 0.05 + 0.475 * name_sim + 0.475 * content


def match_reports(gold: Sequence[JsonDict], pred: Sequence[JsonDict]) -> list[tuple[int, int]]:
    return greedy_pairs(gold, pred, report_similarity, threshold=0.05)


def row_key(row: JsonDict) -> tuple[str, str]:
    """Identity of a table row: (side, code) when a code is printed, else (side, name)."""
    side = normalize_text(str(row.get("side") or ""))
    code = row.get("code")
    if code:
        return side, "code:" + normalize_text(str(code))
    name = row.get("name")
    if name:
        return side, "name:" + normalize_text(str(name))
    return side, ""


def _row_similarity(gold: JsonDict, pred: JsonDict) -> float:
    gk, pk = row_key(gold), row_key(pred)
    if gk[0] != pk[0]:
        return 0.0
    if gk[1] and gk[1] == pk[1]:
        return 1.0
    if gk[1].startswith("name:") and pk[1].startswith("name:"):
        return 0.9 * similarity(gk[1][5:], pk[1][5:])
    if not gk[1] and not pk[1]:
        return 0.5  # unnamed rows (e.g. 公开09表): fall back to position
    return 0.0


def match_rows(gold: Sequence[JsonDict], pred: Sequence[JsonDict]) -> list[tuple[int, int]]:
    return greedy_pairs(gold, pred, _row_similarity, threshold=0.5)


def _indicator_similarity(gold: JsonDict, pred: JsonDict) -> float:
    name_sim = similarity(str(gold.get("name") or ""), str(pred.get("name") or ""))
    levels = sum(
        1
        for key in ("level1", "level2")
        if normalize_text(str(gold.get(key) or "")) == normalize_text(str(pred.get(key) or ""))
    )
    return 0.8 * name_sim + 0.1 * levels


def match_indicators(gold: Sequence[JsonDict], pred: Sequence[JsonDict]) -> list[tuple[int, int]]:
    return greedy_pairs(gold, pred, _indicator_similarity, threshold=0.5)


def match_texts(gold: Sequence[str], pred: Sequence[str]) -> list[tuple[int, int]]:
    return greedy_pairs(gold, pred, similarity, threshold=0.5)


def match_tables(gold: Sequence[JsonDict], pred: Sequence[JsonDict]) -> list[tuple[int, int]]:
    return greedy_pairs(gold, pred, lambda g, p: 1.0 if g.get("id") == p.get("id") else 0.0, threshold=1.0)
