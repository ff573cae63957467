"""Facts stated in sentences: regex look-ups with provenance, and numbered problem/measure items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.core.types import Block, Heading, Paragraph, SourceSpan, TableBlock
from extractor.extract.rules.evidence import TextMatch, find_in_blocks
from extractor.extract.values import compact

NUM = r"(\d[\d,，]*(?:\.\d+)?)"

_ITEM_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]\s*是?|\d+\s*[、.．]\s*|"
    r"[一二三四五六七八九十]+\s*[、.．]\s*)"
)


def first(
    blocks: list[Block], pattern: str, *, exclude: str | None = None, not_after: str | None = None
) -> TextMatch | None:
    """The first match of `pattern` whose sentence does not contain `exclude` and whose
    preceding few characters do not match `not_after` (年初预算 …, 其中基本支出 → a budget, not an actual)."""
    for match in find_in_blocks(blocks, re.compile(pattern)):
        if exclude and re.search(exclude, _sentence_of(blocks, match)):
            continue
        if not_after and re.search(not_after, match.before):
            continue
        return match
    return None


def _sentence_of(blocks: list[Block], match: TextMatch) -> str:
    text = match.span.text
    for block in blocks:
        if isinstance(block, Paragraph | Heading) and text in block.text:
            start = block.text.index(text)
            left = max(block.text.rfind("。", 0, start), block.text.rfind("；", 0, start))
            right = block.text.find("。", start + len(text))
            return block.text[left + 1 : right if right >= 0 else len(block.text)]
    return text


@dataclass(frozen=True)
class Item:
    text: str
    span: SourceSpan


def section(
    blocks: list[Block], start_words: tuple[str, ...], stop_words: tuple[str, ...]
) -> list[Block] | None:
    """The blocks after the first heading containing one of `start_words`, up to the next section."""
    for i, block in enumerate(blocks):
        if not isinstance(block, Heading | Paragraph):
            continue
        head = re.sub(r"\s+", "", block.text)
        if len(head) > 30 or not any(w in head for w in start_words):
            continue
        level = block.level if isinstance(block, Heading) else 9
        out: list[Block] = []
        for nxt in blocks[i + 1 :]:
            if isinstance(nxt, TableBlock):
                break
            text = re.sub(r"\s+", "", nxt.text)
            if isinstance(nxt, Heading) and (
                nxt.level <= min(level, 2) or any(w in text for w in stop_words)
            ):
                break
            if isinstance(nxt, Paragraph) and len(text) <= 30 and any(w in text for w in stop_words):
                break
            out.append(nxt)
        return out
    return None


def numbered_items(
    blocks: list[Block], start_words: tuple[str, ...], stop_words: tuple[str, ...]
) -> list[Item]:
    """Numbered items of a section (一是… / 1、… / （一）…), markers removed; `无` means none."""
    found = section(blocks, start_words, stop_words)
    if not found:
        return []
    paragraphs = [b for b in found if isinstance(b, Paragraph | Heading)]
    marked = [b for b in paragraphs if _ITEM_MARKER.match(b.text)]
    chosen = marked or paragraphs
    items = []
    for block in chosen:
        text = compact(_ITEM_MARKER.sub("", block.text, count=1))
        if not text or text in ("无", "无。"):
            continue
        span = block.span if isinstance(block, Heading) else block.spans[0]
        items.append(Item(text=text, span=SourceSpan(page=span.page, bbox=span.bbox, text=block.text)))
    return items


def strip_marker(text: str) -> str:
    return _ITEM_MARKER.sub("", text, count=1)
