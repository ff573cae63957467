"""Blocks rendered as the text a reader (a model, a chunk) sees, keeping where every character came from.

Headings and paragraphs are written as printed; a table is written as a grid, one
line per row, cells between `|`, from `Table.row_texts()` (merged cells at their
top-left position), so row and column labels stay beside their values. Every piece
of text remembers its page and box, so a quote found in the chunk becomes evidence.

Quotes are matched whitespace-insensitively (NFKC, whitespace and the `|` cell
separators removed), so a quote that spans a line break or two cells still matches.

A chunk also keeps each table's grid (merged cells filled) and where each cell's text
sits, so `label_context` can say what labels a value quoted from a table row: the
header cells above it in its column, the label to its left, the table's title.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.core.types import BBox, Block, Cell, Heading, Paragraph, SourceSpan, Table, TableBlock, union
from extractor.vocab.llm_labels import CODE_COLUMN_WORDS

_DROP = re.compile(r"[\s|]")


def normalise(text: str) -> str:
    """The form quotes are compared in: NFKC, no whitespace, no cell separators."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    page: int
    bbox: BBox | None


_DIGITS = re.compile(r"\d")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE = re.compile(r"(?<=[，,；;])")
_SENTENCE = re.compile(r"(?<=[。！？!?\n])")
TITLE_CHARS = 60
TITLE_LINES = 3
"""The short headings and paragraphs right above a table are its title (its labels may be only there)."""


def _clauses(
    text: str, holds: Callable[[str], bool], within: tuple[int, int] | None = None
) -> list[tuple[str, str]]:
    """For each clause of `text` that holds the value and overlaps `within` (offsets in `text`):
    (the clause, the clauses that set its subject) — the sentence's first clause (the topic:
    “三公”经费支出预算为9.00万元，支出决算为6.22万元 — 6.22 is the 三公's) and, when the clause
    names nothing before its number (其中：…, 分别为…), the clause before."""
    lo, hi = within or (0, len(text))
    out = []
    at = 0
    for sentence in _SENTENCE.split(text):
        clauses = _CLAUSE.split(sentence)
        for i, clause in enumerate(clauses):
            start, at = at, at + len(clause)
            if start < hi and at > lo and holds(clause):
                lead = _CJK.findall(_DIGITS.split(clause, maxsplit=1)[0])
                before = clauses[i - 1] if i and len(lead) < 2 else ""
                topic = clauses[0] if i > 1 or (i == 1 and not before) else ""
                out.append((clause, topic + before))
    return out


@dataclass(frozen=True)
class RenderedTable:
    """A table as written into a chunk: its title, its filled grid, and each cell's [start, end) in the text."""

    title: str
    cells: tuple[tuple[str, ...], ...]
    spans: tuple[tuple[tuple[int, int], ...], ...]

    def _is_label(self, text: str) -> bool:
        """Words, not a value (a label glued to a number by the layout, 112.88 年末结转和结余, is one)."""
        return len(_CJK.findall(text)) >= 2

    def header(self, row: int, col: int) -> list[str]:
        """The label cells above (row, col) in its column, up to the numbers of the block above."""
        out: list[str] = []
        for r in range(row - 1, -1, -1):
            text = self.cells[r][col]
            if self._is_label(text):
                out.append(text)
            elif text.strip() and out:
                break
        return out

    def row_label(self, row: int, col: int) -> list[str]:
        """The nearest label cell left of (row, col), and the row's first cell when that is a label."""
        out: list[str] = []
        for c in range(col - 1, -1, -1):
            if self._is_label(self.cells[row][c]):
                out.append(self.cells[row][c])
                break
        first = self.cells[row][0] if self.cells[row] else ""
        if col > 0 and self._is_label(first) and first not in out:
            out.append(first)
        return out


@dataclass(frozen=True)
class Chunk:
    """The text of one report (or the part of it a section needs) with a map back to pages."""

    text: str
    pieces: tuple[Piece, ...] = ()
    truncated: bool = False
    tables: tuple[RenderedTable, ...] = ()
    _norm: str = field(default="", repr=False, compare=False)
    _index: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(self.text):
            for out in _DROP.sub("", unicodedata.normalize("NFKC", ch)):
                chars.append(out)
                index.append(i)
        object.__setattr__(self, "_norm", "".join(chars))
        object.__setattr__(self, "_index", tuple(index))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def contains(self, quote: str) -> bool:
        needle = normalise(quote)
        return bool(needle) and needle in self._norm

    def _where(self, quote: str) -> tuple[int, int] | None:
        needle = normalise(quote)
        at = self._norm.find(needle) if needle else -1
        if at < 0:
            return None
        return self._index[at], self._index[at + len(needle) - 1] + 1

    def label_context(
        self,
        quote: str,
        holds: Callable[[str], bool],
        *,
        whole_row: bool = False,
        amount: bool = False,
        narrower: Callable[[list[str]], bool] | None = None,
    ) -> list[tuple[str, str]]:
        """What says what the value in `quote` is (`holds(text)`: the value is in `text`), for each
        place in the quote that prints it: (the labels of the value itself; what labels it more
        loosely).

        In a table cell: the labels above it in its column and the label left of it in its row;
        loosely, the table's title (it labels every cell). In prose: the clause it is in (so
        其中：财政拨款收入1467.16万元 is labelled by its own words, not by the 收入合计 earlier in
        the sentence); loosely, the clauses that set its subject. A cell that holds prose is
        read like prose. `whole_row`: every cell of the row labels it (an indicator's weight:
        its name). `amount`: a cell under a code column's header (科目编码) holds a code, never
        an amount, and labels none. `narrower(headers)`, given the cell's headers nearest first:
        the cell belongs to a narrower field than the one asked for, and labels none.
        """
        where = self._where(quote)
        if where is not None:
            start, end = where
            places: list[tuple[str, str]] = []
            for table in self.tables:
                for r, row in enumerate(table.spans):
                    for c, (s, e) in enumerate(row):
                        cell = table.cells[r][c]
                        if s < end and e > start and e > s and holds(cell):
                            above = table.header(r, c)
                            if amount and any(w in h for h in above for w in CODE_COLUMN_WORDS):
                                continue
                            if narrower is not None and narrower(above):
                                continue
                            labels = [*above, *table.row_label(r, c)]
                            labels += list(table.cells[r]) if whole_row else []
                            inside = _clauses(cell, holds) or [("", "")]
                            places += [
                                (" ".join([*labels, own]), f"{table.title} {loose}") for own, loose in inside
                            ]
            if places:
                return places
            # prose: the sentence of the document the quote is in, not only the words quoted
            s0 = max(self.text.rfind(mark, 0, start) for mark in "。！？!?\n") + 1
            ends = [i for i in (self.text.find(mark, end) for mark in "。！？!?\n") if i >= 0]
            s1 = min(ends) + 1 if ends else len(self.text)
            found = _clauses(self.text[s0:s1], holds, (start - s0, end - s0))
            if found:
                return found
        return _clauses(quote, holds) or [(quote, "")]

    def table_rows(
        self, quote: str, holds: Callable[[str], bool], *, printed: bool = False
    ) -> list[tuple[str, ...]]:
        """The table rows (their cells) in which the quote covers a cell holding the value; [] in prose.
        `printed`: only the cells the row prints (not a merged cell's text carried down from above)."""
        where = self._where(quote)
        if where is None:
            return []
        start, end = where
        return [
            tuple(c for c, (s, e) in zip(table.cells[r], row, strict=True) if e > s)
            if printed
            else table.cells[r]
            for table in self.tables
            for r, row in enumerate(table.spans)
            if any(
                s < end and e > start and e > s and holds(table.cells[r][c]) for c, (s, e) in enumerate(row)
            )
        ]

    def locate(self, quote: str) -> SourceSpan | None:
        """Where `quote` sits: the page of its first character and the box of its pieces on that page."""
        where = self._where(quote)
        if where is None:
            return None
        start, end = where
        hit = [p for p in self.pieces if p.start < end and p.end > start]
        if not hit:
            return SourceSpan(page=1, bbox=None, text=quote)
        page = hit[0].page
        boxes = [p.bbox for p in hit if p.page == page and p.bbox is not None]
        return SourceSpan(page=page, bbox=union(boxes) if boxes else None, text=quote)


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("|", "¦")


class _Writer:
    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.size = 0
        self.limit = limit
        self.truncated = False
        self.tables: list[RenderedTable] = []
        self.recent: list[str] = []
        """The short headings and paragraphs since the last table (its title, 部门：, 单位：…)."""
        """The last heading or paragraph written (a table's title when it is short)."""

    def write(self, text: str, page: int | None = None, bbox: BBox | None = None) -> None:
        if page is not None and text:
            self.pieces.append(Piece(self.size, self.size + len(text), page, bbox))
        self.parts.append(text)
        self.size += len(text)

    def full(self) -> bool:
        if self.size >= self.limit:
            self.truncated = True
        return self.truncated

    def note(self, text: str) -> None:
        text = text.strip()
        if len(text) <= TITLE_CHARS:
            self.recent.append(text)

    def paragraph(self, block: Paragraph) -> None:
        """The paragraph's text, each source line mapped to its own page and box where it can be found."""
        text = block.text
        cursor = 0
        base = self.size
        for span in block.spans:
            line = span.text.strip()
            at = text.find(line, cursor) if line else -1
            if at < 0:
                continue
            self.pieces.append(Piece(base + at, base + at + len(line), span.page, span.bbox))
            cursor = at + len(line)
        if cursor == 0 and block.spans:
            first = block.spans[0]
            self.pieces.append(Piece(base, base + len(text), first.page, first.bbox))
        self.parts.append(text)
        self.size += len(text)
        self.write("\n\n")

    def table(self, block: TableBlock) -> None:
        table = block.table
        self.write(f"[表格 {table.n_rows}行×{table.n_cols}列]\n")
        grid, filled = table.grid(), table.filled_grid()
        spans: list[tuple[tuple[int, int], ...]] = []
        cells: list[tuple[str, ...]] = []
        for group in row_groups(table):
            self.write("|")
            row_spans: list[tuple[int, int]] = []
            for col in range(table.n_cols):
                self.write(" ")
                start, before = self.size, ""
                for r in group:
                    cell = grid[r][col]
                    if cell is not None and cell.text.strip():
                        text = _cell(cell.text)
                        if _LATIN_END.search(before) and _LATIN_START.match(text):
                            self.write(" ")  # words cut by the break; Chinese joins without a space
                        self.write(text, cell.page, cell.bbox)
                        before = text
                row_spans.append((start, self.size))
                self.write(" |")
            spans.append(tuple(row_spans))
            cells.append(tuple(_joined([filled[r][c] for r in group]) for c in range(table.n_cols)))
            self.write("\n")
        self.write("\n")
        title = " ".join([block.caption or "", *self.recent[-TITLE_LINES:]]).strip()
        self.recent = []
        self.tables.append(RenderedTable(title=title, cells=tuple(cells), spans=tuple(spans)))


_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
_NUMERIC = re.compile(r"^[-+]?[\d,，.]+%?$")
_NEW_ITEM = re.compile(r"^([（(]?[一二三四五六七八九十\d]+[)）、.．]|\d{3,}|其中|合计|总计|小计)")
"""A label that starts a row of its own: a numbered item, a classification code, 其中/合计…"""


def _joined(parts: list[Cell | None]) -> str:
    """The text of a column over a group of rows (a cell merged over them counted once)."""
    seen: list[Cell] = []
    for cell in parts:
        if cell is not None and cell not in seen:
            seen.append(cell)
    out = ""
    for cell in seen:
        text = _cell(cell.text)
        out += (" " if _LATIN_END.search(out) and _LATIN_START.match(text) else "") + text
    return out


def _page_of(row: list[Cell | None]) -> int | None:
    pages = {c.page for c in row if c is not None and c.text.strip()}
    return min(pages) if pages else None


def _continues(upper: list[Cell | None], lower: list[Cell | None]) -> bool:
    """`lower` is the rest of `upper`, cut by a page break: no column holds a number in both, the
    lower part does not start a row of its own, and one holds a number where the other is blank."""
    texts = [
        (_cell(a.text) if a else "", _cell(b.text) if b else "") for a, b in zip(upper, lower, strict=True)
    ]
    if any((_NUMERIC.match(a) and b) or (_NUMERIC.match(b) and a) for a, b in texts):
        return False
    label = next((b for _, b in texts if b and not _NUMERIC.match(b)), "")
    if _NEW_ITEM.match(label) or not any(a for a, _ in texts):
        return False
    return any((_NUMERIC.match(a) and not b) or (_NUMERIC.match(b) and not a) for a, b in texts)


def row_groups(table: Table) -> list[list[int]]:
    """The table's rows, a row cut by a page break (its label wrapping onto the next page, its
    numbers on one side of the break) given as one group, so it is rendered whole."""
    grid = table.filled_grid()
    groups: list[list[int]] = []
    for r in range(table.n_rows):
        if groups and r > 0:
            above, here = _page_of(grid[r - 1]), _page_of(grid[r])
            first_on_page = above is not None and here is not None and here > above
            if first_on_page and len(groups[-1]) == 1 and _continues(grid[r - 1], grid[r]):
                groups[-1].append(r)
                continue
        groups.append([r])
    return groups


def build_chunk(blocks: list[Block], *, limit: int = 60000) -> Chunk:
    """The chunk of a report's blocks; stops after `limit` characters (then `truncated`)."""
    out = _Writer(limit)
    for block in blocks:
        if out.full():
            break
        if isinstance(block, Heading):
            out.write(block.text, block.span.page, block.span.bbox)
            out.write("\n\n")
            out.note(block.text)
        elif isinstance(block, Paragraph):
            out.paragraph(block)
            out.note(block.text)
        elif isinstance(block, TableBlock):
            out.table(block)
    return Chunk(
        text="".join(out.parts).rstrip() + "\n",
        pieces=tuple(out.pieces),
        truncated=out.truncated,
        tables=tuple(out.tables),
    )


def text_chunk(text: str, page: int = 1) -> Chunk:
    """A chunk from plain text (tests, hand-made snippets): all on one page, no boxes."""
    return Chunk(text=text, pieces=(Piece(0, len(text), page, None),))
