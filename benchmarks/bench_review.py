"""How fast the review page of a long result opens in headless Chromium (not a test).

    python benchmarks/bench_review.py                          # the 82-page sample, 5 loads
    python benchmarks/bench_review.py samples/pdf/x.pdf --runs 10 --dpi 120 --images beside

Extracts the PDF, writes its review page (timed: rendering the pages is most of it), then
loads the page in a fresh tab `--runs` times and prints, from the browser's Performance API
(milliseconds since navigation start): DOM interactive, DOMContentLoaded, the load event, and
first contentful paint; then the time from clicking a value on the last pages to its box
being on screen with its page picture decoded. Needs Debian's chromium + chromium-driver
(scripts/system-deps.sh) and selenium (the dev extra).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from extractor.api import extract
from extractor.review import write_review
from extractor.schemas import dump_result

ROOT = Path(__file__).resolve().parent.parent

NAVIGATION = """const n = performance.getEntriesByType('navigation')[0];
const fcp = performance.getEntriesByName('first-contentful-paint')[0];
return [n.domInteractive, n.domContentLoadedEventEnd, n.loadEventEnd, fcp ? fcp.startTime : null];"""

CLICK = """const done = arguments[arguments.length - 1];
const t0 = performance.now();
frReview.select(arguments[0]);
const box = document.querySelector('.box.active');
const img = box.closest('.page').querySelector('img');
const finish = () => img.decode().then(() => done(performance.now() - t0), () => done(-1));
if (img.complete) finish(); else img.addEventListener('load', finish, {once: true});"""


def _driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    binary = "/usr/lib/chromium/chromium"
    options.binary_location = binary if Path(binary).is_file() else (shutil.which("chromium") or binary)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1600,1000")
    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        sys.exit("chromedriver not found: run scripts/system-deps.sh (Debian chromium-driver)")
    return webdriver.Chrome(service=Service(driver_path), options=options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "samples/pdf/002_d741ed2ca5e3f399.pdf")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dpi", type=int, default=96)
    parser.add_argument("--images", choices=["embed", "beside"], default="embed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        doc = extract(args.pdf)
        result = Path(tmp) / "result.json"
        result.write_text(dump_result(doc), encoding="utf-8")
        start = time.perf_counter()
        page = write_review(result, Path(tmp) / "review.html", args.pdf, dpi=args.dpi, images=args.images)
        build = time.perf_counter() - start
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file() and f != result)
        boxes = sum(1 for r in doc.reports for e in r.evidence.values() if e.bbox)
        print(
            f"{args.pdf.name}: {doc.source.pages} pages, {len(doc.reports)} reports, {boxes} boxes, "
            f"{len(doc.findings)} checks; page written in {build:.2f} s, {size / 1e6:.1f} MB "
            f"({args.images}, {args.dpi} dpi)"
        )
        last = max(
            (
                (f"{i}|{p}", e.page)
                for i, r in enumerate(doc.reports)
                for p, e in r.evidence.items()
                if e.bbox
            ),
            key=lambda pair: pair[1],
        )
        driver = _driver()
        try:
            rows = []
            clicks = []
            for _ in range(args.runs):
                driver.switch_to.new_window("tab")
                driver.get(page.as_uri())
                rows.append(driver.execute_script(NAVIGATION))
                clicks.append(driver.execute_async_script(CLICK, last[0]))
                driver.close()
                driver.switch_to.window(driver.window_handles[0])
        finally:
            driver.quit()
    print(f"{'run':>4} {'interactive':>12} {'DOMContent':>11} {'load':>8} {'FCP':>8} {'click→box':>10}  (ms)")
    for n, (row, click) in enumerate(zip(rows, clicks, strict=True), 1):
        fcp = f"{row[3]:8.0f}" if row[3] is not None else f"{'-':>8}"
        print(f"{n:>4} {row[0]:12.0f} {row[1]:11.0f} {row[2]:8.0f} {fcp} {click:10.0f}")
    loads = [row[2] for row in rows]
    print(
        f"load event: median {statistics.median(loads):.0f} ms, max {max(loads):.0f} ms over {args.runs} loads; "
        f"click on a value of page {last[1]} → box shown with its page decoded: "
        f"median {statistics.median(clicks):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
