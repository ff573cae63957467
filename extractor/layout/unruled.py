"""Tables printed without ruling lines: found from the alignment of words.

Rows are visual lines holding three or more separate words; a run of at least
three such rows, most of them with a number, is a table. Column borders are the
vertical white gaps shared by every row of the run (a projection profile), so a
column is recognised however its cells are aligned inside it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from extractor.core.types import Cell, Line, Table, Word

_NUMBER = re.compile(r"-?\d[\d,，]*(\.\d+)?%?")

MIN_ROWS = 3
MIN_CELLS = 3


def _visual_rows(lines: Sequence[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ((ln.bbox[1] + ln.bbox[3]) / 2, ln.bbox[0])):
        mid = (line.bbox[1] + line.bbox[3]) / 2
        if rows:
            last = rows[-1][0]
            if abs(mid - (last.bbox[1] + last.bbox[3]) / 2) <= max(2.0, (last.bbox[3] - last.bbox[1]) * 0.4):
                rows[-1].append(line)
                continue
        rows.append([line])
    return rows


def _words(row: list[Line]) -> list[Word]:
    words = [w for ln in row for w in (ln.words or (Word(text=ln.text, bbox=ln.bbox, size=ln.size),))]
    return sorted(words, key=lambda w: w.bbox[0])


def _is_table_row(words: list[Word]) -> bool:
    return len(words) >= MIN_CELLS


def _column_edges(rows: list[list[Word]]) -> list[float]:
    """x positions of the white gaps every row leaves free."""
    spans = sorted((w.bbox[0], w.bbox[2]) for row in rows for w in row)
    covered: list[list[float]] = []
    for x0, x1 in spans:
        if covered and x0 <= covered[-1][1] + 2.0:
            covered[-1][1] = max(covered[-1][1], x1)
        else:
            covered.append([x0, x1])
    edges = [covered[0][0] - 1]
    edges += [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(covered)]
    edges.append(covered[-1][1] + 1)
    return edges


def _table(rows: list[list[Word]], lines: list[list[Line]], page: int) -> Table | None:
    edges = _column_edges(rows)
    if len(edges) - 1 < MIN_CELLS:
        return None
    cells = []
    for r, (words, row_lines) in enumerate(zip(rows, lines, strict=True)):
        top = min(ln.bbox[1] for ln in row_lines)
        bottom = max(ln.bbox[3] for ln in row_lines)
        for c in range(len(edges) - 1):
            inside = [w for w in words if edges[c] <= (w.bbox[0] + w.bbox[2]) / 2 < edges[c + 1]]
            text = " ".join(w.text for w in inside)
            cells.append(Cell(row=r, col=c, text=text, page=page, bbox=(edges[c], top, edges[c + 1], bottom)))
    bbox = (
        edges[0],
        cells[0].bbox[1] if cells[0].bbox else 0.0,
        edges[-1],
        cells[-1].bbox[3] if cells[-1].bbox else 0.0,
    )
    return Table(n_rows=len(rows), n_cols=len(edges) - 1, cells=tuple(cells), pages=(page,), bbox=bbox)


def _mid(row: list[Line]) -> float:
    return sum((ln.bbox[1] + ln.bbox[3]) / 2 for ln in row) / len(row)


def _closes(run: list[list[Line]], row: list[Line]) -> bool:
    """Whether a two-word row (a label and an amount) continues a table run at its line pitch."""
    words = _words(row)
    if len(words) != 2 or not _NUMBER.fullmatch(words[-1].text.strip()):
        return False
    pitch = max(b - a for a, b in itertools.pairwise(_mid(r) for r in run[-3:]))
    return _mid(row) - _mid(run[-1]) <= pitch * 1.5


def find_unruled_tables(lines: Sequence[Line], page: int) -> tuple[list[Table], list[Line]]:
    """Aligned-word tables among `lines` (those outside ruled tables), and the remaining lines."""
    visual = _visual_rows(lines)
    tables: list[Table] = []
    used: set[int] = set()
    i = 0
    while i < len(visual):
        j = i
        while j < len(visual) and _is_table_row(_words(visual[j])):
            j += 1
        run = visual[i:j]
        numeric = sum(1 for row in run if any(_NUMBER.fullmatch(w.text.strip()) for w in _words(row)))

        if len(run) >= MIN_ROWS and numeric * 2 >= len(run):
            # A 合计 row with its code cell blank and one amount has two words: it still belongs
            # to the table it closes when it follows at the table's own line pitch.
            while j < len(visual) and _closes(run, visual[j]):
                run.append(visual[j])
                j += 1
            table = _table([_words(r) for r in run], run, page)
            if table is not None:
                tables.append(table)
                used.update(id(ln) for row in run for ln in row)
        i = max(j, i + 1)
    return tables, [ln for ln in lines if id(ln) not in used]
