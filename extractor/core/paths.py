"""Dotted paths into plain JSON-like dicts (`key_figures.income_total`): the one way the LLM
sections, the merge, the prompts' examples and the eval's readers read and write a value."""

from __future__ import annotations

from typing import Any


def get_path(data: Any, path: str) -> Any:
    """The value at `path`, or None where a part is missing (or not a dict)."""
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Put `value` at `path`, creating (or replacing non-dict) parts on the way."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value
