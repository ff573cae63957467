"""Page furniture: running headers, footers and page numbers, removed before layout."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractor.core.types import Line, Page

MARGIN_SHARE = 0.09
"""Top and bottom share of the page height where headers and footers live."""
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[-—–－\s]*$|^[-—–－]\s*\d{1,4}\s*[-—–－]$"
)


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_margin(line: Line, page: Page) -> bool:
    return line.bbox[3] <= page.height * MARGIN_SHARE or line.bbox[1] >= page.height * (1 - MARGIN_SHARE)


def furniture_filter(pages: Sequence[Page]) -> list[list[Line]]:
    """Each page's lines without headers, footers and page numbers.

    A margin line is furniture when it is a page number, or when the same text
    (digits ignored) stands in the margin of at least a third of the pages.
    """
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_signature(ln.text) for ln in page.lines if _in_margin(ln, page)})
    repeated = {sig for sig, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) // 3)}
    kept: list[list[Line]] = []
    for page in pages:
        keep = []
        for line in page.lines:
            if _in_margin(line, page) and (
                _PAGE_NUMBER.match(line.text.strip()) or _signature(line.text) in repeated
            ):
                continue
            keep.append(line)
        kept.append(keep)
    return kept
