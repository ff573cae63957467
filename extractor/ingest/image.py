"""Page images (scans) to `Page`s that look like the text-layer ingest's output.

A scan goes through: deskew (projection profiles) → ruling detection (long thin
dark runs) → OCR → lines in points, split at table column borders. The layout
code then finds tables from the rulings and cells from the line boxes exactly
as it does for a born-digital PDF.

Boxes are in points of the page (top-left origin) of the *deskewed* image: the
rotation is about the centre and small, so it moves nothing that matters.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from extractor.core.types import BBox, Line, Page, Ruling, Word, union
from extractor.ingest.missed_text import lost_edges, missed_regions, read_regions, reread_over
from extractor.ingest.ocr.base import OcrEngine, OcrLine, OcrResult, OcrWord, PixelBox
from extractor.ingest.orientation import DEFAULT_ORIENTATION, OrientationSettings, turns_to_try, upright_score
from extractor.ingest.raster import (
    MIN_SKEW,
    Segment,
    binarise,
    deskew,
    erase,
    estimate_skew,
    find_rulings,
    to_gray,
)
from extractor.vocab.common import AMOUNT_CELL, OCR_LOST_LEADING_ONE, OCR_ONE_READ_AS

_INK_TO_SIZE = 0.95
"""Ink height of a text line / its font size: CJK glyphs fill ~0.9 em, and a scan's blur and
brackets reach a little past that (0.92–1.0 measured on the sample scans)."""


_INK_LEVEL = 128
_MIN_INK_PIXELS = 30
"""Fewer dark pixels than this is a blank page: an 8-pt digit at 200 dpi alone has about 60."""


def _inside_text(seg: Segment, boxes: list[PixelBox], vertical: bool) -> bool:
    """A candidate within an OCR text box is a glyph stroke or an underline, not a border.

    Within, give or take a quarter of the box's height (at least 2 px): the detector's box
    can end a few pixels inside a large heading's strokes (a 24-pt title's verticals ran
    3 px past it and cut the title into three lines), while a border that crosses a text
    box runs on past it by the cell's padding at least."""
    pos, lo, hi, _ = seg
    for x0, y0, x1, y1 in boxes:
        slack = max(2.0, (y1 - y0) * _STROKE_SLACK)
        if vertical and x0 <= pos <= x1 and lo >= y0 - slack and hi <= y1 + slack:
            return True
        if not vertical and y0 <= pos <= y1 and lo >= x0 - slack and hi <= x1 + slack:
            return True
    return False


_STROKE_SLACK = 0.25
"""How far past a text box (in box heights) a glyph stroke may still reach (see _inside_text)."""


class _Unit(NamedTuple):
    """A word or character of an OCR line with where its text sits in the line's text."""

    word: OcrWord
    start: int
    end: int


def _units(line: OcrLine, need_boxes: bool) -> list[_Unit]:
    """The line's words with their character spans; estimated per-character boxes when the
    engine gave no word boxes but the line must be cut; else the whole line as one unit."""
    spans, cursor = [], 0
    for word in line.words:
        start = line.text.find(word.text, cursor)
        if start < 0:
            break
        spans.append(_Unit(_within(word, line.box), start, start + len(word.text)))
        cursor = start + len(word.text)
    else:
        if spans:
            return spans
    if not need_boxes:
        return [_Unit(OcrWord(text=line.text, box=line.box, confidence=line.confidence), 0, len(line.text))]
    # Spread the characters over the box by display width (CJK full width, the rest about half).
    weights = [2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in line.text]
    x0, y0, x1, y1 = line.box
    scale = (x1 - x0) / max(sum(weights), 1e-9)
    units, x = [], x0
    for i, (ch, wt) in enumerate(zip(line.text, weights, strict=True)):
        units.append(
            _Unit(OcrWord(text=ch, box=(x, y0, x + wt * scale, y1), confidence=line.confidence), i, i + 1)
        )
        x += wt * scale
    return units


def _within(word: OcrWord, box: PixelBox) -> OcrWord:
    """The word with its box kept inside its line's: RapidOCR gave `2,144.60` a word box
    three times the line's width, whose centre then fell in the next column."""
    clipped = _clamped(word.box, box[0], box[2])
    return word if clipped == word.box else word.model_copy(update={"box": clipped})


def _clamped(box: PixelBox, lo: float, hi: float) -> PixelBox:
    """`box` with its left and right edges held within lo..hi (it stays a box, maybe empty)."""
    x0, y0, x1, y1 = box
    return (min(max(x0, lo), hi), y0, max(min(x1, hi), lo), y1)


def _split_line(line: OcrLine, verticals: list[Segment]) -> list[list[_Unit]]:
    """The line's units grouped by table column: a box running across a vertical border is cut there."""
    x0, y0, x1, y1 = line.box
    mid = (y0 + y1) / 2
    cuts = sorted(v.pos for v in verticals if x0 < v.pos < x1 and v.lo <= mid <= v.hi)
    units = _units(line, need_boxes=bool(cuts))
    if not cuts:
        return [units]
    columns: dict[int, list[_Unit]] = {}
    bounds = [x0, *cuts, x1]
    ks = _amounts_kept_whole(
        line.text, units, [sum(1 for c in cuts if c < (u.word.box[0] + u.word.box[2]) / 2) for u in units]
    )
    for unit, k in zip(units, ks, strict=True):
        # Clip to the column so a piece's box never reaches over the border it was cut at.
        box = _clamped(unit.word.box, bounds[k], bounds[k + 1])
        columns.setdefault(k, []).append(unit._replace(word=unit.word.model_copy(update={"box": box})))
    return [columns[k] for k in sorted(columns)]


_AMOUNT_CUT = re.compile(r"\d\|[.,]\d|\d[.,]\|\d")
"""A cut inside an amount: before its decimal point or comma, or just after it."""


def _amounts_kept_whole(text: str, units: list[_Unit], ks: list[int]) -> list[int]:
    """Column indices `ks` of `units`, with an amount that a border cut (`2,144` | `.60`: on a
    deskewed archive scan the last digits of a right-aligned amount crossed the cell's
    border) given whole to the column that holds most of its characters (a word box from
    the engine can reach far past its text). Two amounts in
    neighbouring cells (`1,234` | `567`) are no such cut: a cell never opens with `.`."""
    ks = list(ks)
    for i in range(len(units) - 1):
        a, b = ks[i], ks[i + 1]
        if a == b:
            continue
        left = [u for u, k in zip(units, ks, strict=True) if k == a]
        right = [u for u, k in zip(units, ks, strict=True) if k == b]
        before, after = _piece(text, left), _piece(text, right)
        joined = f"{before}|{after}"
        if not _AMOUNT_CUT.search(joined) or not _AMOUNT_LINE.fullmatch(joined.replace("|", "")):
            continue
        keep = a if len(before) >= len(after) else b
        ks = [keep if k in (a, b) else k for k in ks]
    return ks


def _piece(text: str, units: list[_Unit]) -> str:
    return text[units[0].start : units[-1].end].strip()


def _ink_size(dark: np.ndarray, box: PixelBox) -> float:
    """Height in pixels of the ink inside a box (rulings already erased from `dark`).

    Measured a character's width at a time, and the tallest characters taken
    (_INK_SIZE_SHARE): a long line left tilted a little by the deskew, or a box reaching
    into the next line's ink, spans more rows than any one character. On an archive scan
    a 716-pt line so measured 15.9 pt against its neighbour's 11.7, and the paragraph was
    cut between them (type size changes end a paragraph)."""
    x0, y0, x1, y1 = (max(round(v), 0) for v in box)
    crop = dark[y0:y1, x0:x1]
    if crop.size == 0:
        return 0.0
    step = max(crop.shape[0] // 2, 1)  # about a character: a line's box is ~1.3 of its type
    heights = []
    for left in range(0, crop.shape[1], step):
        inked = np.nonzero(crop[:, left : left + step].any(axis=1))[0]
        if len(inked):
            heights.append(inked[-1] - inked[0] + 1)
    return float(np.percentile(heights, _INK_SIZE_SHARE * 100)) if heights else 0.0


_INK_SIZE_SHARE = 0.8
"""The share of a line's characters at most as tall as the size it is given: CJK glyphs
are the tallest and most of a line; digits and punctuation are shorter."""


def _scaled(box: PixelBox, sx: float, sy: float) -> BBox:
    return (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)


def _underlines_as_spaces(line: OcrLine) -> OcrLine:
    """The line with `_` read as the space it underlines.

    Reports fill numbers into underlined blanks (`增长  0.06  %`); a text layer gives the
    blank as spaces, OCR reads the underline as `_` (`增长_0.06_%`), which no sentence
    pattern expects. Same length, so the words still spell the line."""
    if "_" not in line.text:
        return line
    words = tuple(w.model_copy(update={"text": w.text.replace("_", " ")}) for w in line.words)
    return line.model_copy(update={"text": line.text.replace("_", " "), "words": words})


_SPACE_IN_NUMBER = re.compile(r"(?<=\d\.) (?=\d{1,4}(?!\d))|(?<=\d) (?=\.\d)|(?<=\d,) (?=\d{3}(?!\d))")
"""A space OCR reads inside an amount: after or before its decimal point, after a thousands comma."""
_AMOUNT_LINE = re.compile(AMOUNT_CELL)
"""A line that is one amount once joined: a table cell. Prose keeps its spaces (`1. 2023年`)."""


def _numbers_joined(line: OcrLine) -> OcrLine:
    """The line with the spaces OCR read inside amounts taken out, and the words they split
    joined again, when the line is then one amount (a table cell): `2,388. 04` (an archive
    scan) was cut into `2,388.` and `04`, two cells' worth, and the amount lost. Prose keeps
    its spaces: `1. 2023年…` is a list item."""
    text = _SPACE_IN_NUMBER.sub("", line.text)
    if text == line.text or not _AMOUNT_LINE.fullmatch(text.strip()):
        return line
    words: list[OcrWord] = []
    for word in line.words:
        if words and _joins(words[-1].text, word.text):
            prev = words[-1]
            box = union([prev.box, word.box])
            conf = min(prev.confidence, word.confidence)
            words[-1] = OcrWord(text=prev.text + word.text, box=box, confidence=conf)
        else:
            words.append(word)
    return line.model_copy(update={"text": text, "words": tuple(words)})


def _joins(left: str, right: str) -> bool:
    """Whether two words were one amount with a space OCR read inside it."""
    return any(m.start() == len(left) for m in _SPACE_IN_NUMBER.finditer(f"{left} {right}"))


_ONE_AS_MARK = re.compile(
    rf"^{OCR_ONE_READ_AS}(?=、)|{OCR_ONE_READ_AS}(?="
    + "|".join(o for o in OCR_LOST_LEADING_ONE if o != "、")
    + ")"
)


def _one_read_as_a_mark(line: OcrLine) -> OcrLine:
    """The line with a mark OCR read in place of a thin 一 made 一 again (OCR_ONE_READ_AS):
    same length, so its words are mended at the same places and still spell it."""
    marks = {m.start() for m in _ONE_AS_MARK.finditer(line.text)}
    if not marks:
        return line
    text = "".join("一" if i in marks else ch for i, ch in enumerate(line.text))
    words, cursor = [], 0
    for word in line.words:
        start = line.text.find(word.text, cursor)
        if start < 0:
            return line.model_copy(update={"text": text, "words": ()})  # words that do not spell it
        mended = "".join("一" if start + k in marks else ch for k, ch in enumerate(word.text))
        words.append(word.model_copy(update={"text": mended}) if mended != word.text else word)
        cursor = start + len(word.text)
    return line.model_copy(update={"text": text, "words": tuple(words)})


def _with_lost_one(line: OcrLine) -> OcrLine:
    """The line with the 一 OCR left off its start put back (see OCR_LOST_LEADING_ONE),
    its box and first word reaching one character further left; else the line itself."""
    if not line.text.startswith(OCR_LOST_LEADING_ONE):
        return line
    x0, y0, x1, y1 = line.box
    start = max(0.0, x0 - (y1 - y0) * _ONE_WIDTH)
    words = line.words
    if words:
        first = words[0]
        moved = (min(first.box[0], start), first.box[1], first.box[2], first.box[3])
        words = (first.model_copy(update={"text": "一" + first.text, "box": moved}), *words[1:])
    return line.model_copy(update={"text": "一" + line.text, "box": (start, y0, x1, y1), "words": words})


_ONE_WIDTH = 0.8
"""A CJK character's width over its line's box height (the box has some margin above and below)."""


def _lines(
    line: OcrLine, verticals: list[Segment], dark: np.ndarray, scale: tuple[float, float], number: int
) -> list[Line]:
    """One OCR line as one `Line`, or as one per table column it runs across."""
    sx, sy = scale
    size = round(_ink_size(dark, line.box) * sy / _INK_TO_SIZE, 1)
    height = line.box[3] - line.box[1]
    groups = _split_line(line, verticals)
    out = []
    for units in groups:
        # Adjacent units (CJK characters, Latin words) join into one Word per run of text;
        # a gap wider than the line is tall starts a new one, like separate text-layer spans.
        runs: list[list[_Unit]] = []
        for unit in units:
            if runs and unit.word.box[0] - runs[-1][-1].word.box[2] <= height:
                runs[-1].append(unit)
            else:
                runs.append([unit])
        words = [
            Word(
                text=line.text[run[0].start : run[-1].end].strip(),
                bbox=_scaled(union([u.word.box for u in run]), sx, sy),
                size=size,
                confidence=float(np.mean([u.word.confidence for u in run])),
            )
            for run in runs
            if line.text[run[0].start : run[-1].end].strip()
        ]
        if not words:
            continue
        if len(groups) == 1:
            out.append(
                Line(
                    text=line.text,
                    bbox=_scaled(line.box, sx, sy),
                    page=number,
                    words=tuple(words),
                    size=size,
                    confidence=line.confidence,
                )
            )
            continue
        out.append(
            Line(
                text=line.text[units[0].start : units[-1].end].strip(),
                bbox=union([w.bbox for w in words]),
                page=number,
                words=tuple(words),
                size=size,
                # RapidOCR's line score is the mean over its characters; a piece gets the mean over its own.
                confidence=float(np.mean([u.word.confidence for u in units])),
            )
        )
    return out


def page_from_image(
    image: np.ndarray,
    *,
    number: int,
    width_pt: float,
    height_pt: float,
    engine: OcrEngine,
    orientation: OrientationSettings = DEFAULT_ORIENTATION,
) -> Page:
    """OCR one page image (grayscale or RGB uint8) into a `Page` with lines and rulings in points.

    A page that reads badly as it lies (sideways or upside down, orientation.py) is turned
    and read again; the best reading is kept, and a page turned a quarter swaps its width
    and height (it is then the landscape page a reader sees).
    """
    gray = to_gray(image)
    if int(np.count_nonzero(gray < _INK_LEVEL)) < _MIN_INK_PIXELS:
        # A blank page (the back of a sheet, a separator, a padding frame): nothing to read, and
        # OCR of a blank frame still costs a detector pass (a 400-frame TIFF spent minutes on it).
        return Page(
            number=number, width=width_pt, height=height_pt, text_source="ocr", ocr_engine=engine.name
        )
    # Engines get what the OcrEngine protocol promises: uint8 grayscale or RGB (alpha dropped).
    image = gray if image.ndim == 2 else np.ascontiguousarray(image[:, :, :3])
    reading = _read_as_it_lies(image, gray, (width_pt, height_pt), engine)
    ink = 0.0 if reading.result.lines else _text_ink(reading)
    best = upright_score(reading.result, orientation, ink)
    if best < orientation.good_score:
        first = best
        for turns in turns_to_try(reading.result, orientation):
            size = (height_pt, width_pt) if turns % 2 else (width_pt, height_pt)
            turned = np.ascontiguousarray(np.rot90(image, turns))
            turned_gray = turned if image is gray else to_gray(turned)
            candidate = _read_as_it_lies(turned, turned_gray, size, engine)._replace(turns=turns)
            score = upright_score(candidate.result, orientation, ink)
            if score >= first + orientation.better_by and score > best:
                reading, best = candidate, score
            if best >= orientation.good_score:
                break
    return _assemble(reading, number, engine)


def _text_ink(reading: _Reading) -> float:
    """Share of the page's pixels that are ink other than rulings (text, if any was missed)."""
    ink = erase(reading.dark, reading.horizontal, reading.vertical)
    return float(np.count_nonzero(ink)) / max(ink.size, 1)


class _Reading(NamedTuple):
    """A page image the way up it was read (deskewed), its rulings, and the engine's reading."""

    image: np.ndarray
    gray: np.ndarray
    size_pt: tuple[float, float]
    dark: np.ndarray
    horizontal: list[Segment]
    vertical: list[Segment]
    result: OcrResult
    turns: int = 0
    """Quarter turns counter-clockwise (numpy.rot90's k) from the image as given."""


def _read_as_it_lies(
    image: np.ndarray, gray: np.ndarray, size_pt: tuple[float, float], engine: OcrEngine
) -> _Reading:
    """Deskew the page, find its rulings and OCR it, the way up it is given."""
    skew = estimate_skew(gray)
    if abs(skew) >= MIN_SKEW and image is gray:
        # A grayscale page is its own gray: rotate it once (~0.07 s a 200-dpi A4 page).
        image = gray = deskew(gray, skew)
    elif abs(skew) >= MIN_SKEW:
        image, gray = deskew(image, skew), deskew(gray, skew)
    if getattr(engine, "page_threads", 1) > 1:
        # The rulings are found while the engine reads (its detection leaves a core part idle);
        # an engine given one core (a batch worker's share) reads first, alone.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-page") as pool:
            reading = pool.submit(engine.read, image)
            dark = binarise(gray)
            horizontal, vertical = find_rulings(dark, size_pt[0])
            result = reading.result()
    else:
        dark = binarise(gray)
        horizontal, vertical = find_rulings(dark, size_pt[0])
        result = engine.read(image)
    return _Reading(image, gray, size_pt, dark, horizontal, vertical, result)


def _assemble(reading: _Reading, number: int, engine: OcrEngine) -> Page:
    """The `Page` of a reading: rulings that are not glyph strokes, missed cells read, lines in points."""
    image, gray, (width_pt, height_pt), dark, horizontal, vertical, result, turns = reading
    boxes = [ln.box for ln in result.lines]
    horizontal = [s for s in horizontal if not _inside_text(s, boxes, vertical=False)]
    vertical = [s for s in vertical if not _inside_text(s, boxes, vertical=True)]
    ink = erase(dark, horizontal, vertical)
    sx, sy = width_pt / gray.shape[1], height_pt / gray.shape[0]
    read = [
        _with_lost_one(_one_read_as_a_mark(_numbers_joined(_underlines_as_spaces(line))))
        for line in result.lines
    ]
    # Ink beyond a line in its cell: the detector left off a thin 一、 or a last digit.
    for edge in lost_edges(dark, [line.box for line in read], vertical, 1 / sx):
        read[edge.line] = reread_over(image, read[edge.line], edge, engine, 1 / sx)
    missed = missed_regions(ink, [line.box for line in read], horizontal, vertical, 1 / sx)
    if missed:  # ink in table cells the detector found no text in: read on its own
        read += read_regions(image, missed, engine, 1 / sx)
    lines = [out for ocr_line in read for out in _lines(ocr_line, vertical, ink, (sx, sy), number)]
    rulings = [Ruling(x0=h.lo * sx, y0=h.pos * sy, x1=h.hi * sx, y1=h.pos * sy) for h in horizontal]
    rulings += [Ruling(x0=v.pos * sx, y0=v.lo * sy, x1=v.pos * sx, y1=v.hi * sy) for v in vertical]
    return Page(
        number=number,
        width=width_pt,
        height=height_pt,
        lines=tuple(lines),
        rulings=tuple(rulings),
        text_source="ocr",
        ocr_engine=engine.name,
        turned=(-90 * turns) % 360,
    )
