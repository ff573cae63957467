"""Accuracy of the scan path on the real corpus: every page of samples/real/pdf rendered as a
scan (benchmarks/scan_like.py), then `extractor eval` on those scans (not a test).

    python benchmarks/real_scans.py                     # build in a temp dir, eval, print
    python benchmarks/real_scans.py --keep /tmp/rs      # keep the scans (a re-run reuses them)
    python benchmarks/real_scans.py --only jiangsu_renda_2018 --only shanghai
    python benchmarks/real_scans.py --turned --keep /tmp/rst   # pages fed sideways / upside down
    python benchmarks/real_scans.py --poor --keep /tmp/rsp     # 150 dpi, 3° skew, noisier, JPEG 40
    python benchmarks/real_scans.py --searchable --keep /tmp/rss  # with a hidden OCR text layer
    python benchmarks/real_scans.py --bilevel --keep /tmp/rsb     # black and white, 1 bit a pixel

The real corpus's gold was typed from the born-digital PDFs; the same gold scores the
scans, so `real/scan` F1 next to `real/pdf` F1 (`extractor eval --corpus real --variant
pdf`) is what OCR loses. The scans are built at run time and never committed: 424 pages at
300 dpi take ~2 minutes to build and ~7 minutes to read on 2 cores (~9 with --turned: a
turned page is read about twice). Each style needs its own --keep folder: a scan already
there is reused whatever style built it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_like import BILEVEL, CLEAN, POOR, ScanStyle, save_scan  # noqa: E402


def build_corpus(
    out: Path, only: list[str], turned: bool = False, style: ScanStyle = CLEAN, searchable: bool = False
) -> Path:
    """`out/real/` laid out as a corpus: gold and corpus.toml copied, scan/<name>.pdf built.
    A scan already there is reused (its pages depend only on the source and its name)."""
    source_root = ROOT / "samples" / "real"
    root = out / "real"
    (root / "scan").mkdir(parents=True, exist_ok=True)
    if (root / "gold").exists():
        shutil.rmtree(root / "gold")
    shutil.copytree(source_root / "gold", root / "gold", ignore=shutil.ignore_patterns("notes"))
    shutil.copy2(source_root / "corpus.toml", root / "corpus.toml")
    for source in sorted((source_root / "pdf").glob("*.pdf")):
        if only and not any(source.stem.startswith(o) for o in only):
            continue
        target = root / "scan" / source.name
        if target.exists():
            continue
        with pymupdf.open(source) as doc:
            save_scan(
                doc,
                source.name,
                list(range(doc.page_count)),
                target.with_suffix(".part"),
                turned=turned,
                style=style,
                searchable=searchable,
            )
        target.with_suffix(".part").rename(target)
        print(f"built {target.name}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--keep", type=Path, help="build into (and reuse) this folder instead of a temp dir")
    parser.add_argument("--only", action="append", default=[], help="documents whose name starts with this")
    parser.add_argument("--out", type=Path, help="where eval writes report.json and report.md")
    parser.add_argument(
        "--turned",
        action="store_true",
        help="pages as a sheet feeder gives them: landscape pages a quarter turned, 1 in 10 upside down "
        "(use another --keep folder than for upright scans)",
    )
    parser.add_argument(
        "--poor",
        action="store_true",
        help="an archive's scans: 150 dpi, up to 3° skew, twice the noise, JPEG quality 40 "
        "(use another --keep folder)",
    )
    parser.add_argument(
        "--searchable",
        action="store_true",
        help="scans that carry the source's text invisibly, as 'make searchable' OCR leaves them "
        "(not with --turned; use another --keep folder)",
    )
    parser.add_argument(
        "--bilevel",
        action="store_true",
        help="black-and-white scans, 1 bit a pixel (not with --poor; use another --keep folder)",
    )
    args = parser.parse_args(argv)
    if args.bilevel and args.poor:
        parser.error("--bilevel and --poor are two styles: pick one")
    if args.searchable and args.turned:
        parser.error("--searchable scans are built upright: leave out --turned")

    from extractor.cli import main as cli

    def run(folder: Path) -> int:
        style = POOR if args.poor else BILEVEL if args.bilevel else CLEAN
        build_corpus(folder, args.only, args.turned, style, args.searchable)
        command = ["eval", "--samples", str(folder), "--corpus", "real", "--variant", "scan"]
        command += [x for o in args.only for x in ("--only", o)]
        command += ["--out", str(args.out)] if args.out else []
        return cli(command)

    if args.keep:
        return run(args.keep)
    with tempfile.TemporaryDirectory(prefix="real-scans-") as tmp:
        return run(Path(tmp))


if __name__ == "__main__":
    raise SystemExit(main())
