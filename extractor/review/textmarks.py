"""Evidence on pages that are text (a `.txt` source has no boxes): the quoted text is marked
where it occurs on its page, so a value can still be shown where it was read."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    key: str
    text: str
    status: str


def _find(page: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` occurs on the page: exactly, else with any run of whitespace between its
    characters (the extractor normalises whitespace in what it quotes)."""
    at = page.find(quote)
    if at >= 0:
        return at, at + len(quote)
    chars = [re.escape(c) for c in quote if not c.isspace()]
    if not chars:
        return None
    found = re.search(r"\s*".join(chars), page)
    return (found.start(), found.end()) if found else None


def marked_page(page: str, quotes: Sequence[Quote]) -> tuple[str, set[str]]:
    """The page's text as HTML with a `<mark data-key>` around each quote found (quotes nest;
    one that only partly overlaps a marked one is left out), and the keys marked."""
    spans = []
    for quote in quotes:
        where = _find(page, quote.text)
        if where is not None and where[1] > where[0]:
            spans.append((where[0], where[1], quote))
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, Quote]] = []
    open_: list[tuple[int, int, Quote]] = []
    for span in spans:
        while open_ and open_[-1][1] <= span[0]:
            open_.pop()
        if open_ and span[1] > open_[-1][1]:
            continue
        open_.append(span)
        kept.append(span)
    out: list[str] = []
    pos = 0
    stack: list[int] = []

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(html.escape(page[pos:end]) + "</mark>")
            pos = end

    for start, end, quote in kept:
        close_until(start)
        out.append(html.escape(page[pos:start]))
        pos = start
        out.append(
            f'<mark class="s-{quote.status}" data-key="{html.escape(quote.key)}" '
            f'title="{html.escape(quote.key)}">'
        )
        stack.append(end)
    close_until(len(page))
    out.append(html.escape(page[pos:]))
    return "".join(out), {quote.key for _, _, quote in kept}
