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


_AMOUNT_SIGNATURE = re.compile(r"-?[#,]*\.#%?")


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_margin(line: Line, page: Page) -> bool:
    return line.bbox[3] <= page.height * MARGIN_SHARE or line.bbox[1] >= page.height * (1 - MARGIN_SHARE)


ROW_PIECES = 3
"""A margin line sharing its baseline with this many pieces of text in all is a table row:
running headers and footers have one or two (a title, a page number)."""


def _in_table(line: Line, page: Page) -> bool:
    """Whether a line is part of a table: between two vertical rulings that run past it, or one
    of several pieces of text set on the same baseline (an unruled table's row)."""
    cx, cy = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
    verticals = [r for r in page.rulings if not r.horizontal and r.y0 - 1 <= cy <= r.y1 + 1]
    if any(r.x0 < cx for r in verticals) and any(r.x0 > cx for r in verticals):
        return True
    same_row = [ln for ln in page.lines if ln.bbox[1] - 2 <= cy <= ln.bbox[3] + 2]
    return len(same_row) >= ROW_PIECES


def furniture_filter(pages: Sequence[Page]) -> list[list[Line]]:
    """Each page's lines without headers, footers and page numbers.

    A margin line is furniture when it is a page number, or when the same text
    (digits ignored) stands in the margin of at least a third of the pages; a line
    that belongs to a table (ruled, or one of a row's cells) never is.
    """
    counts: Counter[str] = Counter()
    candidates = [
        [ln for ln in page.lines if _in_margin(ln, page) and not _in_table(ln, page)] for page in pages
    ]
    for lines in candidates:
        counts.update({_signature(ln.text) for ln in lines})
    repeated = {
        sig
        for sig, n in counts.items()
        # An amount (`621.28`) low on many pages is a table's last rows, not a footer.
        if len(pages) >= 3 and n >= max(3, len(pages) // 3) and not _AMOUNT_SIGNATURE.fullmatch(sig)
    }
    kept: list[list[Line]] = []
    for page, lines in zip(pages, candidates, strict=True):
        drop = {
            id(ln) for ln in lines if _PAGE_NUMBER.match(ln.text.strip()) or _signature(ln.text) in repeated
        }
        kept.append([ln for ln in page.lines if id(ln) not in drop])
    return kept
