"""Flattening a report to field paths (scalars and nested objects; lists are matched, not flattened)."""

from __future__ import annotations

from typing import Any

NOT_SCORED = frozenset({"kind", "pages", "evidence", "sources"})
"""Report keys the harness does not score: identity and provenance (evidence, the LLM merge's sources)."""

LIST_FIELDS = frozenset({"tables", "indicators", "problems", "measures"})
"""Report keys whose items are paired by `eval.match` before comparison."""


def flatten_report(report: dict[str, Any]) -> dict[str, object]:
    """`{"key_figures.income_total": "1467.16", "fiscal_year": 2022, …}` for the non-list fields."""
    out: dict[str, object] = {}
    for key, value in report.items():
        if key in NOT_SCORED or key in LIST_FIELDS:
            continue
        _flatten_into(out, key, value)
    return out


def _flatten_into(out: dict[str, object], path: str, value: object) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten_into(out, f"{path}.{key}", item)
    elif isinstance(value, list):
        # A list outside LIST_FIELDS (an extension field) is compared as one value.
        out[path] = tuple(str(v) for v in value) or None
    else:
        out[path] = value


def field_group(path: str) -> str:
    """The group a field path is reported under: its container, or `scalars`."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in LIST_FIELDS or head in ("key_figures", "funds"):
        return head
    return "scalars"
