"""Tiny born-digital PDFs drawn with pymupdf (CJK via its built-in 'china-s' font), for
tests that need a specific layout: ruled tables with merged cells, page breaks, footers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

FONT = "china-s"


@dataclass
class TableSpec:
    rows: list[list[str]]
    widths: list[float]
    row_height: float = 18.0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(row, col, row_span, col_span) of merged cells; text is taken from the top-left cell."""
    ruled: bool = True


@dataclass
class PageSpec:
    lines: list[tuple[str, float]] = field(default_factory=list)
    """Text lines above the table: (text, font size)."""
    table: TableSpec | None = None
    after: list[str] = field(default_factory=list)
    footer: str | None = None


def _covered(merges: list[tuple[int, int, int, int]], r: int, c: int) -> tuple[int, int, int, int] | None:
    for m in merges:
        if m[0] <= r < m[0] + m[2] and m[1] <= c < m[1] + m[3]:
            return m
    return None


def draw_table(page: pymupdf.Page, spec: TableSpec, x0: float, y0: float) -> float:
    xs = [x0]
    for w in spec.widths:
        xs.append(xs[-1] + w)
    ys = [y0 + i * spec.row_height for i in range(len(spec.rows) + 1)]
    n_rows, n_cols = len(spec.rows), len(spec.widths)
    for r in range(n_rows):
        for c in range(n_cols):
            m = _covered(spec.merges, r, c)
            if m and (m[0], m[1]) != (r, c):
                continue
            r1, c1 = (m[0] + m[2], m[1] + m[3]) if m else (r + 1, c + 1)
            rect = pymupdf.Rect(xs[c], ys[r], xs[c1], ys[r1])
            if spec.ruled:
                page.draw_rect(rect, color=(0, 0, 0), width=0.5)
            text = spec.rows[r][c] if c < len(spec.rows[r]) else ""
            if text:
                size = 8.0
                page.insert_text(
                    (rect.x0 + 2, (rect.y0 + rect.y1) / 2 + size / 3), text, fontname=FONT, fontsize=size
                )
    return ys[-1]


def make_pdf(pages: list[PageSpec], path: Path) -> Path:
    doc = pymupdf.open()
    for spec in pages:
        page = doc.new_page(width=595, height=842)
        y = 72.0
        for text, size in spec.lines:
            page.insert_text((72, y + size), text, fontname=FONT, fontsize=size)
            y += size * 1.8
        if spec.table:
            y = draw_table(page, spec.table, 60, y + 6) + 6
        for text in spec.after:
            page.insert_text((72, y + 10), text, fontname=FONT, fontsize=9)
            y += 16
        if spec.footer:
            page.insert_text((280, 810), spec.footer, fontname=FONT, fontsize=9)
    doc.save(path)
    doc.close()
    return path
