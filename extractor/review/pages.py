"""The document's pages as pictures the review page can show, and the frame evidence boxes live in.

Evidence boxes are in PDF points of the page as the extractor saw it: the page as displayed
for born-digital pages (ingest reads a /Rotate page as displayed), the rendered page's for
scanned ones, and a 595-point-wide frame for image files (see `api.layout_file`). Each
`PageView` knows its frame, so `box` turns an evidence bbox into fractions of the picture.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from extractor.core.errors import InputError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
IMAGE_FRAME_WIDTH = 595.0
"""Image files carry no physical size: the extractor reads them as A4-wide pages (api.layout_file)."""

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageView:
    """One page: its number, its size in points, and a picture (an image URL) or its text."""

    number: int
    width: float
    height: float
    src: str | None = None
    text: str | None = None
    to_view: Callable[[Box], Box] = field(default=lambda b: b, compare=False, repr=False)

    def box(self, bbox: Box) -> Box:
        """The evidence box as fractions (left, top, width, height) of the page picture, clipped to it."""
        x0, y0, x1, y1 = self.to_view(bbox)
        x0, x1 = sorted((max(0.0, min(x0, self.width)), max(0.0, min(x1, self.width))))
        y0, y1 = sorted((max(0.0, min(y0, self.height)), max(0.0, min(y1, self.height))))
        return x0 / self.width, y0 / self.height, (x1 - x0) / self.width, (y1 - y0) / self.height


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def locate_source(result_path: Path, source_file: str, sha256: str | None, given: Path | None) -> Path:
    """The document a result was extracted from: `--source`, else its name beside the result or in
    the working folder. A file whose sha256 differs from the result's is refused (its boxes would
    point at other text)."""
    candidates = [given] if given is not None else [result_path.parent / source_file, Path(source_file)]
    for path in candidates:
        if path.is_file():
            if sha256 and sha256_of(path) != sha256:
                raise InputError(
                    str(path),
                    f"is not the document this result was extracted from (sha256 differs from "
                    f"{sha256[:12]}…): give that document with --source",
                )
            return path
    if given is not None:
        raise InputError(str(given), "file not found")
    raise InputError(
        str(result_path),
        f"its source document {source_file} is neither beside it nor in the working folder: "
        "give it with --source FILE",
    )


def render_pages(
    source: Path,
    dpi: int = 96,
    quality: int = 65,
    beside: Path | None = None,
    turned: Mapping[int, int] | None = None,
) -> list[PageView]:
    """Render every page as JPEG: embedded as data URIs, or written into the folder `beside`
    (then each `src` is the path relative to that folder's parent, where the HTML goes).
    `turned`: page number → degrees clockwise the extractor turned it to read it (the result's
    `source.turned`); such a page is shown turned, as its evidence boxes are."""
    suffix = source.suffix.lower()
    if suffix in {".txt", ".text"}:
        pages = source.read_text(encoding="utf-8", errors="replace").split("\f")
        return [PageView(number=i, width=595.0, height=842.0, text=t) for i, t in enumerate(pages, 1)]
    try:
        doc = pymupdf.open(source)
    except Exception as exc:  # pymupdf raises its own types for corrupt files; the message says which
        raise InputError(str(source), f"cannot open it to render its pages: {exc}") from exc
    views = []
    try:
        if turned and not doc.is_pdf:  # only a PDF page can be given a turn: an image becomes one
            as_pdf = pymupdf.open("pdf", doc.convert_to_pdf())
            doc.close()
            doc = as_pdf
        for index in range(doc.page_count):
            page = doc[index]
            frame = page.rect.width  # an image's frame is scaled by its width as read, before any turn
            turn = (turned or {}).get(index + 1, 0)
            if turn:
                page.set_rotation((page.rotation + turn) % 360)
            rect = page.rect
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
            jpeg = pix.tobytes("jpeg", jpg_quality=quality)
            if beside is not None:
                beside.mkdir(parents=True, exist_ok=True)
                name = f"page-{index + 1:03d}.jpg"
                (beside / name).write_bytes(jpeg)
                src = f"{beside.name}/{name}"
            else:
                src = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
            if suffix in IMAGE_SUFFIXES:
                scale = IMAGE_FRAME_WIDTH / frame
                views.append(PageView(index + 1, rect.width * scale, rect.height * scale, src))
            else:
                views.append(PageView(index + 1, rect.width, rect.height, src))
    finally:
        doc.close()
    return views
