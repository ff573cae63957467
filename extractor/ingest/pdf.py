"""PDF pages through pymupdf: text lines with boxes and fonts, ruling lines, and
the decision per page between the text layer and OCR.

Pages whose text layer is empty (or unusable: mostly replacement characters)
but which carry images go to OCR; `ocr="always"` forces OCR, `"never"` forbids it.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pymupdf

from extractor.core.errors import InputError, raised_in
from extractor.core.limits import DEFAULT_LIMITS, Limits, too_big
from extractor.core.types import Line, Page, Ruling, Turn, Word, union
from extractor.ingest.searchable_scan import is_searchable_scan

if TYPE_CHECKING:
    from extractor.ingest.ocr.base import OcrEngine

OcrMode = Literal["auto", "always", "never"]

_BOLD_FLAG = 16
_MIN_TEXT_CHARS = 8
"""A page with fewer real characters than this in its text layer counts as image-only."""
_RULING_MAX_THICKNESS = 2.5
_RULING_MIN_LENGTH = 4.0
OCR_DPI = 200


def open_pdf(path: Path) -> pymupdf.Document:
    """Open a PDF or raise InputError naming the file and the reason."""
    if not path.exists():
        raise InputError(str(path), "file not found")
    if path.stat().st_size == 0:
        raise InputError(str(path), "file is empty (0 bytes)")
    # MuPDF prints repairs it makes on its own (`format error: No default Layer config`) to
    # stderr; they are not ours to show. What breaks a file reaches us as an exception.
    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        if _utf8_name(path):
            doc = pymupdf.open(path, filetype="pdf")
        else:  # MuPDF takes UTF-8 file names only: hand it the bytes
            doc = pymupdf.open(stream=path.read_bytes(), filetype="pdf")
    except Exception as exc:  # pymupdf raises its own FileDataError and RuntimeError
        raise InputError(str(path), f"not a readable PDF ({exc}); check the file is a complete PDF") from exc
    if doc.needs_pass:
        doc.close()
        raise InputError(
            str(path), "PDF is encrypted (password protected); decrypt it first, e.g. qpdf --decrypt"
        )
    if doc.page_count == 0:
        doc.close()
        raise InputError(str(path), "PDF has no pages")
    return doc


def _utf8_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_GAP_FACTOR = 1.2
"""A gap wider than this many font sizes inside a span separates two words (two table cells)."""


def _words_from_line(line: dict[str, Any]) -> list[Word]:
    """The spans of a line as Words, each split where its characters leave a wide gap:
    a PDF may set two neighbouring table cells in one span."""
    words = []
    for span in line["spans"]:
        size = float(span["size"])
        bold = bool(span["flags"] & _BOLD_FLAG) or "Bold" in span["font"]
        run: list[dict[str, Any]] = []
        for char in [*span["chars"], None]:
            # A space ends a word too: Word and WPS set a right-aligned amount and the next
            # cell's label in one span, a space apart, across the column border between them.
            space = char is not None and char["c"].isspace()
            if (
                char is not None
                and not space
                and (not run or char["bbox"][0] - run[-1]["bbox"][2] <= size * _GAP_FACTOR)
            ):
                run.append(char)
                continue
            text = "".join(c["c"] for c in run)
            if text.strip():
                box = (
                    run[0]["bbox"][0],
                    min(c["bbox"][1] for c in run),
                    run[-1]["bbox"][2],
                    max(c["bbox"][3] for c in run),
                )
                words.append(Word(text=text.strip(), bbox=box, size=round(size, 2), bold=bold))
            run = [char] if char is not None and not space else []
    return words


def text_lines(page: pymupdf.Page, number: int) -> list[Line]:
    """Lines of the text layer; each pymupdf line becomes one Line of spans (Words)."""
    return _lines_of(_raw_text(page), number)


def _raw_text(page: pymupdf.Page) -> dict[str, Any]:
    data: dict[str, Any] = page.get_text(
        "rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    )
    return data


_TURN_FOR_DIRECTION: dict[tuple[int, int], Turn] = {(0, -1): 90, (0, 1): 270, (-1, 0): 180}
"""Writing direction of a page's text (pymupdf's line `dir`, y down) → the clockwise turn
(/Rotate) that shows it left to right: text running bottom to top needs a quarter clockwise."""

SIDEWAYS_SHARE = 0.5
"""A page is turned when more than this share of its characters runs one other way: a few
vertical labels in a table's header leave it alone."""


def upright_turn(data: dict[str, Any]) -> Turn:
    """Degrees clockwise that bring the text of `data` (a rawdict) upright; 0 when it already is.

    A landscape table is sometimes placed on a portrait page turned, by the content's own
    matrix rather than /Rotate; its text then runs up or down the page and reads as columns."""
    chars: Counter[tuple[int, int]] = Counter()
    for block in data["blocks"]:
        for line in block.get("lines", ()):
            dx, dy = line["dir"]
            if not (math.isfinite(dx) and math.isfinite(dy)):
                continue  # a degenerate text matrix (zero scale) has no direction to count
            chars[(round(dx), round(dy))] += sum(len(span.get("chars", ())) for span in line["spans"])
    total = sum(chars.values())
    for direction, turn in _TURN_FOR_DIRECTION.items():
        if total and chars[direction] > SIDEWAYS_SHARE * total:
            return turn
    return 0


def _lines_of(data: dict[str, Any], number: int) -> list[Line]:
    lines: list[Line] = []
    for block in data["blocks"]:
        if block.get("type") != 0:
            continue
        for raw in block["lines"]:
            words = _words_from_line(raw)
            if not words:
                continue
            text = _join_words(words)
            lines.append(
                Line(
                    text=text,
                    bbox=union([w.bbox for w in words]),
                    page=number,
                    words=tuple(words),
                    size=max(w.size for w in words),
                    bold=all(w.bold for w in words),
                )
            )
    return lines


def _join_words(words: list[Word]) -> str:
    """A line's text: words separated by a space where the page leaves a visible gap."""
    out = words[0].text
    for prev, word in itertools.pairwise(words):
        out += (" " if word.bbox[0] - prev.bbox[2] > word.size * 0.25 else "") + word.text
    return out


def rulings(page: pymupdf.Page) -> list[Ruling]:
    """Table borders: stroked lines and thin filled rectangles (Word draws borders both ways)."""
    found: list[Ruling] = []
    for path in page.get_drawings():
        for item in path["items"]:
            op = item[0]
            if op == "l":
                p, q = item[1], item[2]
                seg = Ruling(x0=min(p.x, q.x), y0=min(p.y, q.y), x1=max(p.x, q.x), y1=max(p.y, q.y))
                if max(seg.x1 - seg.x0, seg.y1 - seg.y0) >= _RULING_MIN_LENGTH:
                    found.append(seg)
            elif op == "re":
                r = item[1]
                if r.height <= _RULING_MAX_THICKNESS and r.width >= _RULING_MIN_LENGTH:
                    y = (r.y0 + r.y1) / 2
                    found.append(Ruling(x0=r.x0, y0=y, x1=r.x1, y1=y))
                elif r.width <= _RULING_MAX_THICKNESS and r.height >= _RULING_MIN_LENGTH:
                    x = (r.x0 + r.x1) / 2
                    found.append(Ruling(x0=x, y0=r.y0, x1=x, y1=r.y1))
                elif path.get("color") is not None and r.width >= _RULING_MIN_LENGTH:
                    # A stroked rectangle: its four sides are borders.
                    found += [
                        Ruling(x0=r.x0, y0=r.y0, x1=r.x1, y1=r.y0),
                        Ruling(x0=r.x0, y0=r.y1, x1=r.x1, y1=r.y1),
                        Ruling(x0=r.x0, y0=r.y0, x1=r.x0, y1=r.y1),
                        Ruling(x0=r.x1, y0=r.y0, x1=r.x1, y1=r.y1),
                    ]
    return found


def _usable_text(lines: list[Line]) -> bool:
    text = "".join(line.text for line in lines)
    real = sum(1 for ch in text if not ch.isspace() and ch != "\ufffd")
    bad = text.count("\ufffd")
    return real >= _MIN_TEXT_CHARS and bad <= real * 0.1


def needs_ocr(page: pymupdf.Page, lines: list[Line], mode: OcrMode) -> bool:
    """Whether the page must be read by OCR: always, or when it is an image without usable text,
    or (`auto`) a scan whose text layer is hidden under or over its image (searchable_scan.py).

    With `never`, such a page still "needs" OCR, so the caller can refuse it clearly
    instead of returning an empty page.
    """
    if mode == "always":
        return True
    images = bool(page.get_images(full=False))
    if not _usable_text(lines):
        return images
    # Only a page with text can be a searchable scan: the bbox log is read for no other.
    return mode == "auto" and images and _hidden_text_scan(page)


def _hidden_text_scan(page: pymupdf.Page) -> bool:
    """A scanned image carrying its own invisible OCR text (searchable_scan.py)."""
    log = [(kind, tuple(rect)) for kind, rect in page.get_bboxlog()]
    return is_searchable_scan(log, page.rect.width, page.rect.height)


def render_page(page: pymupdf.Page, dpi: int = OCR_DPI, max_pixels: int = DEFAULT_LIMITS.max_pixels) -> Any:
    """The page as a grayscale numpy array for OCR; a page too large to render is refused."""
    import numpy as np

    width, height = (round(side * dpi / 72) for side in (page.rect.width, page.rect.height))
    if width * height > max_pixels:
        raise InputError(
            page.parent.name,
            too_big(
                f"page {page.number + 1} rendered for OCR",
                f"{width}×{height} pixels",
                f"{max_pixels / 1e6:g} million pixels",
                "--max-pixels",
            ),
        )

    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    # MuPDF keeps each decoded page image in its store (up to 256 MB); a scan is rendered
    # once per page, so the cache only grows the process (~4 MB a page): empty it.
    pymupdf.TOOLS.store_shrink(100)

    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


def ingest_pdf(
    path: Path,
    *,
    ocr: OcrMode = "auto",
    engine: Callable[[], OcrEngine] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Page]:
    """Yield the pages of a PDF, each from its text layer or from OCR.

    `engine` is a factory, called only when a page needs OCR: born-digital files never load a model.
    An exception MuPDF raises on a damaged page becomes an InputError naming the page.
    """
    doc = open_pdf(path)
    try:
        if doc.page_count > limits.max_pages:
            raise InputError(
                str(path),
                too_big("the PDF", f"{doc.page_count} pages", f"{limits.max_pages} pages", "--max-pages"),
            )
        any_text = False
        for index in range(doc.page_count):
            number = index + 1
            try:
                page, ocr_image = _read_page(doc, index, path, ocr, engine is not None, limits)
            except InputError:
                raise
            except Exception as exc:
                if raised_in(exc) not in ("pymupdf", "fitz", "mupdf"):
                    raise
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise InputError(
                    str(path),
                    f"page {number} is damaged (MuPDF: {reason}); check the file opens in a PDF viewer, "
                    "or re-save it",
                ) from exc
            if ocr_image is not None and engine is not None:
                from extractor.ingest.image import page_from_image

                read = page_from_image(
                    ocr_image, number=number, width_pt=page.width, height_pt=page.height, engine=engine()
                )
                # Turned once for its text's direction and maybe again for what OCR read: both count.
                yield read.model_copy(update={"turned": (page.turned + read.turned) % 360})
                any_text = True
                continue
            any_text = any_text or bool(page.lines)
            yield page
        if not any_text:
            raise InputError(str(path), "PDF has no text on any page and no images to OCR")
    finally:
        doc.close()


def _read_page(
    doc: pymupdf.Document, index: int, path: Path, ocr: OcrMode, can_ocr: bool, limits: Limits
) -> tuple[Page, Any]:
    """One page from its text layer, or (its size, its rendered image) when it needs OCR."""
    page = doc[index]
    if page.rotation:
        # A page stored sideways (/Rotate 90) is read as displayed: text runs left to right and
        # every box is in the coordinates a reader sees.
        page.remove_rotation()
    number = index + 1
    data = _raw_text(page)
    if turn := upright_turn(data):
        # Shown turned, then the turn written into the content: boxes and rulings as a reader sees them.
        page.set_rotation(turn)
        page.remove_rotation()
        data = _raw_text(page)
    lines = _lines_of(data, number)
    if needs_ocr(page, lines, ocr):
        if not can_ocr:
            raise InputError(
                str(path),
                f"page {number} is an image without a text layer and OCR is off; run with --ocr auto",
            )
        image = render_page(page, max_pixels=limits.max_pixels)
        return Page(number=number, width=page.rect.width, height=page.rect.height, turned=turn), image
    return (
        Page(
            number=number,
            width=page.rect.width,
            height=page.rect.height,
            lines=tuple(lines),
            rulings=tuple(rulings(page)),
            text_source="text",
            turned=turn,
        ),
        None,
    )
