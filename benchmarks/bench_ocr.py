"""Seconds per scanned page: our OCR path against naive RapidOCR, on the same pages (not a test).

    python benchmarks/bench_ocr.py                        # every page of samples/scan/*.pdf
    python benchmarks/bench_ocr.py samples/scan/x.pdf --pages 5 --rounds 2
    python benchmarks/bench_ocr.py --threads 1            # our path on one core
    python benchmarks/bench_ocr.py --real 2               # also 2 table pages of each real PDF, as scans

Each run is a fresh process, so its peak memory (ru_maxrss) is its own:
- ours: render the page (grayscale, 200 dpi, as `ingest_pdf` does) and
  `page_from_image` with `get_engine("rapidocr")` (threads: auto unless --threads);
- naive: render the same page and call `RapidOCR()` on it with the wheel's default
  configuration (only the model paths and log level set), as one would without
  this project.
Rounds alternate ours / naive so that a change in the machine's load hits both.
--real N adds a second set: up to N ruled-table pages of each samples/real/pdf file,
rendered as scans (300 dpi grayscale, skew, noise, JPEG; benchmarks/scan_like.py) into
a temp dir; both sets are run and reported, each with its own ratio.
Models load before the clock starts (once per process in real use). Wall time
depends on what else runs on the machine; CPU time (user + sys of all threads)
is the steadier number. The load average is printed with every run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0]) if Path("/proc/loadavg").exists() else -1.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warmup_image() -> Any:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    # Some text, so recognition runs too (a blank image stops after detection).
    img = Image.new("L", (320, 64), 255)
    ImageDraw.Draw(img).text((10, 20), "1,467.89", fill=0, font=ImageFont.load_default(size=24))
    return np.asarray(img)


def _naive_engine() -> Any:
    from rapidocr import RapidOCR

    from extractor.ingest.ocr.rapidocr import _DEFAULT_MODELS, _bundled_models_dir

    models = _bundled_models_dir()
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Det.model_path": str(models / _DEFAULT_MODELS["Det"]),
            "Rec.model_path": str(models / _DEFAULT_MODELS["Rec"]),
            "Cls.model_path": str(models / _DEFAULT_MODELS["Cls"]),
        }
    )


def _run(kind: str, pages: list[tuple[str, int]], threads: int | None, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    import pymupdf

    from extractor.ingest.pdf import OCR_DPI, render_page

    if kind == "ours":
        from extractor.ingest.image import page_from_image
        from extractor.ingest.ocr import get_engine

        engine = get_engine("rapidocr", **({"threads": threads} if threads else {}))
        engine.read(_warmup_image())
        before = dict(engine.stage_seconds)  # type: ignore[attr-defined]
    else:
        naive = _naive_engine()
        naive(_warmup_image())
    load_start = _load()
    wall = cpu = raster = 0.0
    lines = 0
    docs: dict[str, Any] = {}
    for path, index in pages:
        doc = docs.get(path) or docs.setdefault(path, pymupdf.open(path))
        pdf_page = doc[index]
        w0, c0 = time.perf_counter(), _cpu()
        image = render_page(pdf_page, dpi=OCR_DPI)
        if kind == "ours":
            e0 = sum(engine.stage_seconds.values())  # type: ignore[attr-defined]
            page = page_from_image(
                image,
                number=index + 1,
                width_pt=pdf_page.rect.width,
                height_pt=pdf_page.rect.height,
                engine=engine,
            )
            lines += len(page.lines)
            elapsed = time.perf_counter() - w0
            raster += elapsed - (sum(engine.stage_seconds.values()) - e0)  # type: ignore[attr-defined]
        else:
            output = naive(image)
            lines += len(output.txts or ())
            elapsed = time.perf_counter() - w0
        wall += elapsed
        cpu += _cpu() - c0
    for doc in docs.values():
        doc.close()
    stages: dict[str, float] = {}
    if kind == "ours":
        after = engine.stage_seconds  # type: ignore[attr-defined]
        stages = {k: v - before.get(k, 0.0) for k, v in after.items()}
        stages = {"render+raster+convert": raster, **stages}
    queue.put(
        {
            "kind": kind,
            "pages": len(pages),
            "wall": wall,
            "cpu": cpu,
            "lines": lines,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": (load_start, _load()),
            "stages": stages,
        }
    )


def _in_child(kind: str, pages: list[tuple[str, int]], threads: int | None) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    proc = ctx.Process(target=_run, args=(kind, pages, threads, queue))
    proc.start()
    out: dict[str, Any] = queue.get()
    proc.join()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("pdf", nargs="*", type=Path, help="scanned PDFs (default: samples/scan/*.pdf)")
    parser.add_argument("--pages", type=int, default=0, help="first N pages of each file (default: all)")
    parser.add_argument("--threads", type=int, default=None, help="our engine's threads (default: auto)")
    parser.add_argument("--rounds", type=int, default=1, help="ours/naive pairs to run (default 1)")
    parser.add_argument("--no-naive", action="store_true", help="run only our path")
    parser.add_argument(
        "--real",
        type=int,
        default=0,
        metavar="N",
        help="also up to N ruled-table pages of each samples/real/pdf file, rendered as scans",
    )
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    args = parser.parse_args(argv)

    import pymupdf

    paths = args.pdf or sorted((ROOT / "samples" / "scan").glob("*.pdf"))
    if not paths:
        print("no scanned PDFs: pass some or build samples/scan first", file=sys.stderr)
        return 2
    pages: list[tuple[str, int]] = []
    for path in paths:
        with pymupdf.open(path) as doc:
            count = doc.page_count if args.pages <= 0 else min(args.pages, doc.page_count)
        pages += [(str(path), i) for i in range(count)]
    _compare(f"scans: {len(pages)} pages from {len(paths)} file(s)", pages, args)
    if args.real > 0:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from scan_like import build

        sources = sorted((ROOT / "samples" / "real" / "pdf").glob("*.pdf"))
        with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
            built = build(sources, Path(tmp), args.real)
            real = [(str(path), i) for path, indices in built for i in indices]
            label = f"real table pages rendered as scans: {len(real)} pages from {len(built)} file(s)"
            _compare(label, real, args)
    return 0


def _compare(label: str, pages: list[tuple[str, int]], args: argparse.Namespace) -> None:
    """Run ours and naive on `pages` for the rounds asked, and print each run and the ratio."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{label}; {cores} cores; threads {args.threads or 'auto'}")

    runs: list[dict[str, Any]] = []
    for _ in range(args.rounds):
        for kind in ("ours",) if args.no_naive else ("ours", "naive"):
            run = _in_child(kind, pages, args.threads)
            runs.append(run)
            n = run["pages"]
            print(
                f"{kind:5}  {run['wall'] / n:6.2f} s/page wall  {run['cpu'] / n:6.2f} s/page CPU  "
                f"peak {run['peak_mb']:5.0f} MB  {run['lines']:5d} lines  "
                f"load {run['load'][0]:.2f}→{run['load'][1]:.2f}"
            )
            if run["stages"]:
                print(
                    "       steps (s/page wall): "
                    + ", ".join(f"{k} {v / n:.2f}" for k, v in run["stages"].items())
                )
    ours = [r for r in runs if r["kind"] == "ours"]
    naive = [r for r in runs if r["kind"] == "naive"]
    n = len(pages)
    best_ours = min(r["wall"] for r in ours) / n
    summary = (
        f"ours {best_ours:.2f} s/page wall (best of {len(ours)}), "
        f"{statistics.median(r['cpu'] for r in ours) / n:.2f} s/page CPU, "
        f"peak {max(r['peak_mb'] for r in ours):.0f} MB"
    )
    if naive:
        best_naive = min(r["wall"] for r in naive) / n
        cpu_ratio = statistics.median(r["cpu"] for r in ours) / statistics.median(r["cpu"] for r in naive)
        summary += (
            f"; naive {best_naive:.2f} s/page wall, {statistics.median(r['cpu'] for r in naive) / n:.2f} s/page CPU, "
            f"peak {max(r['peak_mb'] for r in naive):.0f} MB; ratio ours/naive {best_ours / best_naive:.2f} wall, "
            f"{cpu_ratio:.2f} CPU"
        )
    print(summary)
    if args.json:
        print(json.dumps(runs))


if __name__ == "__main__":
    raise SystemExit(main())
