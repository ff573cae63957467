"""Scan-like PDFs built from born-digital pages, for OCR benchmarks (not a test).

The sample scans are few and mostly prose; published reports are mostly dense ruled
tables. This renders real born-digital pages the way a scanner would deliver them:
300-dpi grayscale, a slight skew, a greyish paper tone with sensor noise, and JPEG
compression (`CLEAN`; `POOR` is an archive's 150-dpi, 3°, noisier, harder-compressed scan),
each page an image in a new PDF (no text layer) of the page's size. The
PDFs are built at run time in a folder the caller gives (a temp dir), never committed.

Which pages: those with a ruled table (at least MIN_RULINGS rulings in the text layer's
drawings, the same `rulings` the born-digital ingest reads), up to `per_file` of them per
file, spread evenly over the file's table pages (not hand-picked).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from extractor.ingest.pdf import rulings

MIN_RULINGS = 10
"""A page with this many rulings holds a ruled table (a heading underline or a box has a few)."""


@dataclass(frozen=True)
class ScanStyle:
    """How a scanner delivers a page: resolution, the most skew, sensor noise, JPEG quality."""

    dpi: int = 300
    max_skew: float = 0.8
    noise: float = 6.0
    jpeg_quality: int = 75
    bilevel: bool = False
    """Black and white only (1 bit a pixel, lossless), as archives and fax-era scanners keep pages."""


CLEAN = ScanStyle()
"""An office scanner's output; what every benchmark used before POOR existed."""
POOR = ScanStyle(dpi=150, max_skew=3.0, noise=12.0, jpeg_quality=40)
"""An archive's: low resolution, a sheet laid by hand, a noisy sensor, heavy compression."""
BILEVEL = ScanStyle(bilevel=True)
"""A black-and-white scan: the office scan thresholded at mid grey, stored 1 bit a pixel."""


def table_pages(doc: pymupdf.Document, per_file: int) -> list[int]:
    """Up to `per_file` indices of pages with a ruled table, evenly spread over those pages."""
    tables = [i for i, page in enumerate(doc) if len(rulings(page)) >= MIN_RULINGS]
    if len(tables) <= per_file:
        return tables
    picks = np.linspace(0, len(tables) - 1, per_file).round().astype(int)
    return [tables[k] for k in sorted(set(picks.tolist()))]


def page_seed(name: str, index: int) -> int:
    """The noise and skew of a page depend on the file's name and the page only: runs compare."""
    return int.from_bytes(hashlib.blake2b(f"{name}:{index}".encode(), digest_size=8).digest())


UPSIDE_DOWN_SHARE = 0.1
"""With `turned`, this share of the portrait pages is fed upside down."""


def quarter_turns(page: pymupdf.Page, seed: int) -> int:
    """How a sheet feeder delivers the page, in counter-clockwise quarter turns: a landscape
    page on a portrait sheet, turned one way or the other; now and then a sheet upside down."""
    rng = np.random.default_rng(seed ^ 0x7475726E)  # its own stream: the scan's noise is unchanged
    if page.rect.width > page.rect.height:
        return 1 if rng.random() < 0.5 else 3
    return 2 if rng.random() < UPSIDE_DOWN_SHARE else 0


def scanned(page: pymupdf.Page, seed: int, turns: int = 0, style: ScanStyle = CLEAN) -> bytes:
    """The page as a scanner would give it: JPEG bytes of a noisy, skewed grayscale image
    (PNG bytes of a 1-bit one for a `bilevel` style), turned `turns` quarters counter-clockwise."""
    rng = np.random.default_rng(seed)
    pix = page.get_pixmap(dpi=style.dpi, colorspace=pymupdf.csGRAY, alpha=False)
    img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if turns % 4:
        img = img.rotate(90 * (turns % 4), expand=True)
    skew = float(rng.uniform(-style.max_skew, style.max_skew))
    img = img.rotate(skew, Image.Resampling.BICUBIC, fillcolor=255)
    # Paper is never white nor ink black on a scan: map 0..255 to ~30..235, then sensor noise.
    pixels = np.asarray(img, dtype=np.float32) * (205.0 / 255.0) + 30.0
    pixels += rng.normal(0.0, style.noise, pixels.shape).astype(np.float32)
    out = io.BytesIO()
    grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if style.bilevel:
        grey.point(lambda v: 255 if v >= 128 else 0).convert("1").save(out, "PNG")
    else:
        grey.save(out, "JPEG", quality=style.jpeg_quality)
    return out.getvalue()


def save_scan(
    doc: pymupdf.Document,
    name: str,
    indices: list[int],
    path: Path,
    *,
    turned: bool = False,
    style: ScanStyle = CLEAN,
    searchable: bool = False,
) -> None:
    """Save the pages `indices` of `doc` (a file called `name`, which seeds them) as a scan-like PDF.

    `turned`: pages as a sheet feeder gives them (`quarter_turns`), each PDF page the size of
    its turned image and with no /Rotate, so a reader must find which way up it is.
    `searchable`: each page also carries the source's text, invisible over the image, as
    "make searchable" OCR leaves it (`copy_text_invisibly`); not with `turned`."""
    if searchable and turned:
        raise ValueError("a searchable scan is built upright: pass turned or searchable, not both")
    with pymupdf.open() as scan:
        for index in indices:
            page = doc[index]
            seed = page_seed(name, index)
            turns = quarter_turns(page, seed) if turned else 0
            width, height = (
                (page.rect.height, page.rect.width) if turns % 2 else (page.rect.width, page.rect.height)
            )
            target = scan.new_page(width=width, height=height)
            target.insert_image(target.rect, stream=scanned(page, seed, turns, style))
            if searchable:
                copy_text_invisibly(page, target)
        scan.save(path)


def copy_text_invisibly(source: pymupdf.Page, target: pymupdf.Page) -> None:
    """Write `source`'s horizontal text spans onto `target` in render mode 3 (invisible), at
    their places and sizes: a scan's hidden OCR layer, had that OCR read every character.
    The source's rulings are not copied: a hidden layer has none (they are in the image)."""
    if source.rotation:
        source.remove_rotation()
    for block in source.get_text("dict")["blocks"]:
        for line in block.get("lines", ()):
            if tuple(line["dir"]) != (1.0, 0.0):
                continue
            for span in line["spans"]:
                if span["text"].strip():
                    target.insert_text(
                        span["origin"], span["text"], fontsize=span["size"], fontname="china-s", render_mode=3
                    )


def build(sources: list[Path], out_dir: Path, per_file: int) -> list[tuple[Path, list[int]]]:
    """One scan-like PDF per source with pages; returns (pdf, its page indices 0..n-1)."""
    built = []
    for source in sources:
        with pymupdf.open(source) as doc:
            picks = table_pages(doc, per_file)
            if not picks:
                continue
            path = out_dir / f"{source.stem}.scan.pdf"
            save_scan(doc, source.name, picks, path)
        built.append((path, list(range(len(picks)))))
    return built
