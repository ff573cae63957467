"""Tables from ruling lines: the grid, merged cells, and the words inside each cell.

Works the same for a text layer and for OCR: both give lines with boxes and
ruling segments in points. A merged cell is found where the border between
two grid positions is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.core.disjoint import DisjointSet
from extractor.core.types import BBox, Cell, Line, Ruling, Table

SNAP = 2.0
"""Positions closer than this (points) are the same grid line."""
MIN_CELL = 3.0
"""Grid lines closer than this are merged (double borders)."""
OPEN_SIDE_MIN = 10.0
"""Points: rulings that run on past the outermost crossing border by more than this bound
a column or row there (no text fits a narrower one; a ruling's overhang is 1–2 pt)."""


def _cluster(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _components(segments: list[Ruling]) -> list[list[Ruling]]:
    """Groups of segments that touch each other (each group is one table)."""
    n = len(segments)
    sets = DisjointSet(n)

    def touches(a: Ruling, b: Ruling) -> bool:
        return not (a.x1 < b.x0 - SNAP or b.x1 < a.x0 - SNAP or a.y1 < b.y0 - SNAP or b.y1 < a.y0 - SNAP)

    order = sorted(range(n), key=lambda i: segments[i].y0)
    for idx, i in enumerate(order):
        a = segments[i]
        for j in order[idx + 1 :]:
            b = segments[j]
            if b.y0 > a.y1 + SNAP:
                break
            if touches(a, b):
                sets.union(i, j)
    return [[segments[i] for i in group] for group in sets.groups()]


def _covered(segments: list[Ruling], fixed: float, lo: float, hi: float, horizontal: bool) -> bool:
    """Whether ruling segments at `fixed` cover most of the span [lo, hi]."""
    need = (hi - lo) * 0.6
    total = 0.0
    for s in segments:
        if horizontal:
            if abs(s.y0 - fixed) <= SNAP:
                total += max(0.0, min(s.x1, hi) - max(s.x0, lo))
        elif abs(s.x0 - fixed) <= SNAP:
            total += max(0.0, min(s.y1, hi) - max(s.y0, lo))
    return total >= need


def _grid(group: list[Ruling]) -> tuple[list[float], list[float]] | None:
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return None
    ys = _cluster([s.y0 for s in hs], MIN_CELL)
    xs = _cluster([s.x0 for s in vs], MIN_CELL)
    if len(ys) < 2 or len(xs) < 2:
        return None
    # The rows' rulings bound the columns and the columns' rulings bound the rows.
    xs_open = _open_sides(xs, [(min(s.x0, s.x1), max(s.x0, s.x1)) for s in hs], len(ys))
    ys_open = _open_sides(ys, [(min(s.y0, s.y1), max(s.y0, s.y1)) for s in vs], len(xs))
    return xs_open, ys_open


def _open_sides(edges: list[float], crossing: list[tuple[float, float]], lines: int) -> list[float]:
    """`edges` (column borders, or row borders) with one more where the rulings that cross
    them (the rows' rulings, or the columns') run on past the outermost.

    Many tables print no outer left or right border, or one so faint that a scan loses
    it, and a table continued from the page before prints no top border: the crossing
    rulings still run to the table's edge, so the outer column or row is there, bounded
    by where they end. At least half of the crossing lines must agree, so one long rule
    (a title's underline) is no edge."""
    starts = _cluster([a for a, _ in crossing], SNAP)
    ends = _cluster([b for _, b in crossing], SNAP)
    start = min(starts, key=lambda x: (-sum(abs(a - x) <= SNAP for a, _ in crossing), x))
    end = max(ends, key=lambda x: (sum(abs(b - x) <= SNAP for _, b in crossing), x))
    if end > edges[-1] + OPEN_SIDE_MIN and 2 * sum(abs(b - end) <= SNAP for _, b in crossing) >= lines:
        edges = [*edges, end]
    if start < edges[0] - OPEN_SIDE_MIN and 2 * sum(abs(a - start) <= SNAP for a, _ in crossing) >= lines:
        edges = [start, *edges]
    return edges


def _cells(group: list[Ruling], xs: list[float], ys: list[float], page: int) -> list[Cell]:
    hs = [s for s in group if s.horizontal]
    vs = [s for s in group if not s.horizontal]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    sets = DisjointSet(n_rows * n_cols)
    for r in range(n_rows):
        for c in range(n_cols):
            # No border to the right: same cell as the right neighbour; likewise below.
            if c + 1 < n_cols and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], horizontal=False):
                sets.union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], horizontal=True):
                sets.union(r * n_cols + c, (r + 1) * n_cols + c)
    members = {group[0]: [divmod(i, n_cols) for i in group] for group in sets.groups()}
    cells = []
    for group_cells in members.values():
        r0 = min(p[0] for p in group_cells)
        c0 = min(p[1] for p in group_cells)
        r1 = max(p[0] for p in group_cells)
        c1 = max(p[1] for p in group_cells)
        cells.append(
            Cell(
                row=r0,
                col=c0,
                row_span=r1 - r0 + 1,
                col_span=c1 - c0 + 1,
                page=page,
                bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
            )
        )
    return cells


def _cell_text(lines: list[Line]) -> str:
    """Lines inside one cell, top to bottom: wrapped Chinese joins without a space."""
    lines = sorted(lines, key=lambda ln: (round(ln.bbox[1] / 3), ln.bbox[0]))
    out = ""
    for line in lines:
        text = line.text.strip()
        if out and out[-1].isascii() and out[-1].isalnum() and text[:1].isascii() and text[:1].isalpha():
            out += " "
        out += text
    return out


def _inside(box: BBox, cell: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] - 1 <= cx <= cell[2] + 1 and cell[1] - 1 <= cy <= cell[3] + 1


def find_tables(
    lines: Sequence[Line], segments: Sequence[Ruling], page: int
) -> tuple[list[Table], list[Line]]:
    """Tables on one page, and the lines that are not inside any table.

    A line straddling a column border (OCR sometimes joins neighbours) is split
    by its words; a word is assigned by its centre.
    """
    tables: list[Table] = []
    claimed: set[int] = set()
    for group in _components(list(segments)):
        grid = _grid(group)
        if grid is None:
            continue
        xs, ys = grid
        if (xs[-1] - xs[0]) < 20 or (ys[-1] - ys[0]) < 8:
            continue
        cells = _cells(group, xs, ys, page)
        table_box = (xs[0], ys[0], xs[-1], ys[-1])
        by_cell: dict[int, list[Line]] = {i: [] for i in range(len(cells))}
        for li, line in enumerate(lines):
            if not _inside(line.bbox, table_box):
                continue
            claimed.add(li)
            for word in line.words or (None,):
                box = word.bbox if word else line.bbox
                text = word.text if word else line.text
                for ci, cell in enumerate(cells):
                    if cell.bbox and _inside(box, cell.bbox):
                        by_cell[ci].append(line.model_copy(update={"text": text, "bbox": box, "words": ()}))
                        break
        filled = [c.model_copy(update={"text": _cell_text(by_cell[i])}) for i, c in enumerate(cells)]
        # A single-cell "table" is a framed paragraph or a text box, not a table.
        if len(filled) < 2:
            for li, line in enumerate(lines):
                if _inside(line.bbox, table_box):
                    claimed.discard(li)
            continue
        tables.append(
            Table(
                n_rows=len(ys) - 1,
                n_cols=len(xs) - 1,
                cells=tuple(sorted(filled, key=lambda c: (c.row, c.col))),
                pages=(page,),
                bbox=table_box,
            )
        )
    rest = [line for li, line in enumerate(lines) if li not in claimed]
    tables.sort(key=lambda t: (t.bbox or (0, 0, 0, 0))[1])
    return tables, rest
