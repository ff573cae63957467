"""Speed and memory of the pipeline on the samples: pages/s per stage, s/page, peak RSS.

    python benchmarks/bench_pipeline.py [--samples samples] [--variant pdf|scan] [--repeat 3]

Each (sample, variant) runs in a fresh process so its peak memory is its own
(ru_maxrss of that process, which includes the OCR models when they load).
Prints numbers; asserts nothing (targets are judged by people reading them).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
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
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(path, options)
        total = time.perf_counter() - start
        stages = {**result.stage_seconds, "total": total}
        if best is None or total < best["total"]:
            best = stages
        pages = result.pages
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"pages": pages, "stages": best, "peak_mb": round(peak_mb, 1)})


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--variant", action="append", choices=["pdf", "scan"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the fastest counts (default 3)")
    args = parser.parse_args()
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
        f"{'variant':7} {'file':28} {'pages':>5} {'total s':>8} {'pages/s':>8} {'s/page':>7} {'peak MB':>8}  stages (pages/s)"
    )
    for variant in variants:
        pages = seconds = 0.0
        stage_totals: dict[str, float] = {}
        peak = 0.0
        for row in (r for r in rows if r["variant"] == variant):
            total = row["stages"]["total"]
            stages = ", ".join(
                f"{k} {row['pages'] / v:.0f}" for k, v in row["stages"].items() if k != "total" and v > 0
            )
            print(
                f"{variant:7} {row['file']:28} {row['pages']:5d} {total:8.2f} {row['pages'] / total:8.1f} "
                f"{total / row['pages']:7.3f} {row['peak_mb']:8.1f}  {stages}"
            )
            pages += row["pages"]
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
                f"{seconds / pages:7.3f} {peak:8.1f}  {stages}"
            )
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
