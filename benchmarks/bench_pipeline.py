"""Speed and memory of the pipeline on the samples: pages/s per stage, s/page, peak RSS.

    python benchmarks/bench_pipeline.py [--samples samples] [--variant pdf|scan] [--repeat 3]
                                        [--ocr-threads N]

CPU s/page (user + sys of the process, all threads) is printed too: on a shared
machine it moves less than wall time. --ocr-threads sets $EXTRACTOR_OCR_THREADS in
the measuring processes (default: the engine's own choice, the cores available).

Each (sample, variant) runs in a fresh process so its peak memory is its own
(ru_maxrss of that process, which includes the OCR models when they load).
Prints numbers; asserts nothing (targets are judged by people reading them).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _measure(path: str, repeat: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from extractor.api import ExtractOptions, run

    options = ExtractOptions()
    best: dict[str, float] | None = None
    best_cpu = 0.0
    pages = 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        result = run(path, options)
        total = time.perf_counter() - start
        stages = {**result.stage_seconds, "total": total}
        if best is None or total < best["total"]:
            best, best_cpu = stages, _cpu() - cpu
        pages = result.pages
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        {"pages": pages, "stages": best, "cpu": best_cpu, "peak_mb": round(peak_mb, 1), "load": _load()}
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> float:
    path = Path("/proc/loadavg")
    return float(path.read_text().split()[0]) if path.exists() else -1.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--variant", action="append", choices=["pdf", "scan"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the fastest counts (default 3)")
    parser.add_argument(
        "--ocr-threads", type=int, help="$EXTRACTOR_OCR_THREADS for the runs (default: unset)"
    )
    args = parser.parse_args()
    if args.ocr_threads:
        os.environ["EXTRACTOR_OCR_THREADS"] = str(args.ocr_threads)  # inherited by the spawned runs
    variants = args.variant or ["pdf", "scan"]
    ctx = mp.get_context("spawn")
    rows = []
    for variant in variants:
        for path in sorted((args.samples / variant).glob("*.pdf")):
            queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
            proc = ctx.Process(
                target=_measure, args=(str(path), 1 if variant == "scan" else args.repeat, queue)
            )
            proc.start()
            out = queue.get()
            proc.join()
            rows.append({"variant": variant, "file": path.name, **out})
    print(
        f"{'variant':7} {'file':28} {'pages':>5} {'total s':>8} {'pages/s':>8} {'s/page':>7} {'CPU s/p':>7} "
        f"{'peak MB':>8} {'load':>5}  stages (pages/s)"
    )
    for variant in variants:
        pages = seconds = cpu = 0.0
        stage_totals: dict[str, float] = {}
        peak = 0.0
        for row in (r for r in rows if r["variant"] == variant):
            total = row["stages"]["total"]
            stages = ", ".join(
                f"{k} {row['pages'] / v:.0f}" for k, v in row["stages"].items() if k != "total" and v > 0
            )
            print(
                f"{variant:7} {row['file']:28} {row['pages']:5d} {total:8.2f} {row['pages'] / total:8.1f} "
                f"{total / row['pages']:7.3f} {row['cpu'] / row['pages']:7.3f} {row['peak_mb']:8.1f} "
                f"{row['load']:5.2f}  {stages}"
            )
            pages += row["pages"]
            cpu += row["cpu"]
            seconds += total
            peak = max(peak, row["peak_mb"])
            for k, v in row["stages"].items():
                stage_totals[k] = stage_totals.get(k, 0.0) + v
        if pages:
            stages = ", ".join(
                f"{k} {pages / v:.0f}" for k, v in stage_totals.items() if k != "total" and v > 0
            )
            print(
                f"{variant:7} {'ALL':28} {int(pages):5d} {seconds:8.2f} {pages / seconds:8.1f} "
                f"{seconds / pages:7.3f} {cpu / pages:7.3f} {peak:8.1f} {'':5}  {stages}"
            )
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
