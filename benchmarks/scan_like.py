"""Scan-like PDFs built from born-digital pages, for OCR benchmarks (not a test).

The sample scans are few and mostly prose; published reports are mostly dense ruled
tables. This renders real born-digital pages the way a scanner would deliver them:
300-dpi grayscale, a slight skew, a greyish paper tone with sensor noise, and JPEG
compression, each page an image in a new PDF (no text layer) of the page's size. The
PDFs are built at run time in a folder the caller gives (a temp dir), never committed.

Which pages: those with a ruled table (at least MIN_RULINGS rulings in the text layer's
drawings, the same `rulings` the born-digital ingest reads), up to `per_file` of them per
file, spread evenly over the file's table pages (not hand-picked).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from extractor.ingest.pdf import rulings

SCAN_DPI = 300
MIN_RULINGS = 10
"""A page with this many rulings holds a ruled table (a heading underline or a box has a few)."""
MAX_SKEW_DEG = 0.8
NOISE_SIGMA = 6.0
JPEG_QUALITY = 75


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


def scanned(page: pymupdf.Page, seed: int, turns: int = 0) -> bytes:
    """The page as a scanner would give it: JPEG bytes of a noisy, skewed 300-dpi grayscale image,
    turned `turns` quarters counter-clockwise."""
    rng = np.random.default_rng(seed)
    pix = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if turns % 4:
        img = img.rotate(90 * (turns % 4), expand=True)
    img = img.rotate(float(rng.uniform(-MAX_SKEW_DEG, MAX_SKEW_DEG)), Image.Resampling.BICUBIC, fillcolor=255)
    # Paper is never white nor ink black on a scan: map 0..255 to ~30..235, then sensor noise.
    pixels = np.asarray(img, dtype=np.float32) * (205.0 / 255.0) + 30.0
    pixels += rng.normal(0.0, NOISE_SIGMA, pixels.shape).astype(np.float32)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def save_scan(
    doc: pymupdf.Document, name: str, indices: list[int], path: Path, *, turned: bool = False
) -> None:
    """Save the pages `indices` of `doc` (a file called `name`, which seeds them) as a scan-like PDF.

    `turned`: pages as a sheet feeder gives them (`quarter_turns`), each PDF page the size of
    its turned image and with no /Rotate, so a reader must find which way up it is."""
    with pymupdf.open() as scan:
        for index in indices:
            page = doc[index]
            seed = page_seed(name, index)
            turns = quarter_turns(page, seed) if turned else 0
            width, height = (
                (page.rect.height, page.rect.width) if turns % 2 else (page.rect.width, page.rect.height)
            )
            target = scan.new_page(width=width, height=height)
            target.insert_image(target.rect, stream=scanned(page, seed, turns))
        scan.save(path)


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
