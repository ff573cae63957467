"""Heading levels from the numbering conventions of Chinese government documents."""

from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百零〇"
_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_CN_NUM}\d]+部分")),
    (2, re.compile(r"^附\s*件\s*\d+(\s*[-－—]\s*\d+)?\s*$")),
    (2, re.compile(rf"^[{_CN_NUM}]+\s*[、，,．.]")),
    (3, re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")),
    (4, re.compile(r"^\d{1,2}\s*[、．.](?!\d)")),
    (5, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
]
_SENTENCE_END = re.compile(r"[。；;：:]$")
MAX_HEADING_CHARS = 40


def numbering_level(text: str) -> int | None:
    """The outline level a numbering prefix implies (1 = 第一部分 … 5 = (1)), or None."""
    stripped = text.strip()
    for level, pattern in _PATTERNS:
        if pattern.match(stripped):
            return level
    return None


def heading_level(text: str, *, bold: bool = False) -> int | None:
    """A heading's level, or None for body text (a numbered sentence is a list item, not a heading)."""
    compact = re.sub(r"\s+", "", text)
    level = numbering_level(compact)
    if level is None:
        return None
    if bold:
        return level
    if len(compact) > MAX_HEADING_CHARS or _SENTENCE_END.search(compact):
        return None
    # "1、拟订并组织实施…政策和规划" style items are body text, however short; headings rarely hold a comma.
    if level >= 4 and ("，" in compact or "," in compact):
        return None
    return level
