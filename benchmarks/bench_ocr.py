"""Seconds per page of `page_from_image` on a scanned sample (not a test).

    python benchmarks/bench_ocr.py                       # first scan in samples/scan, 3 pages
    python benchmarks/bench_ocr.py samples/scan/x.pdf --pages 5 --threads 2

Pages are rendered the way `ingest_pdf` renders them for OCR (grayscale, 200 dpi).
The model loads before the clock starts (it is loaded once per process in real use).
Wall time depends on what else runs on the machine; CPU time (all threads of this
process) is the steadier number to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFont

from extractor.ingest.image import page_from_image
from extractor.ingest.ocr import get_engine
from extractor.ingest.pdf import OCR_DPI, render_page
from extractor.ingest.raster import estimate_skew

ROOT = Path(__file__).resolve().parent.parent


def _warmup_image() -> np.ndarray:
    # Some text, so recognition runs too (a blank image stops after detection).
    img = Image.new("L", (320, 64), 255)
    ImageDraw.Draw(img).text((10, 20), "1,467.89", fill=0, font=ImageFont.load_default(size=24))
    return np.asarray(img)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, help="a scanned PDF (default: first in samples/scan)")
    parser.add_argument("--pages", type=int, default=3, help="first N pages (default 3)")
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: all cores)")
    parser.add_argument("--dpi", type=int, default=OCR_DPI)
    args = parser.parse_args(argv)

    path = args.pdf or next(iter(sorted((ROOT / "samples" / "scan").glob("*.pdf"))), None)
    if path is None:
        print("no scanned sample: pass a PDF or build samples/scan first", file=sys.stderr)
        return 2
    options = {"threads": args.threads} if args.threads else {}
    engine = get_engine(args.engine, **options)
    start = time.perf_counter()
    engine.read(_warmup_image())  # loads the detection and recognition models
    print(f"{path.name}: model load {time.perf_counter() - start:.2f} s")

    walls, cpus = [], []
    with pymupdf.open(path) as doc:
        for index in range(min(args.pages, doc.page_count)):
            pdf_page = doc[index]
            image = render_page(pdf_page, dpi=args.dpi)
            wall, cpu = time.perf_counter(), time.process_time()
            page = page_from_image(
                image,
                number=index + 1,
                width_pt=pdf_page.rect.width,
                height_pt=pdf_page.rect.height,
                engine=engine,
            )
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            print(
                f"page {index + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, "
                f"skew {estimate_skew(image):+.2f}°, {len(page.lines)} lines, {len(page.rulings)} rulings"
            )
    if walls:
        print(
            f"mean {statistics.mean(walls):.2f} s/page wall, {statistics.mean(cpus):.2f} s/page CPU "
            f"over {len(walls)} pages"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
