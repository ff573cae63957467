"""`extractor review RESULT.json [--source FILE] -o review.html`."""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor.core.errors import ConfigError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review", help="an HTML page showing every value's box on its page, the failed checks, corrections"
    )
    p.add_argument("result", type=Path, help="a result file (REPORT_FORMAT JSON) written by extract")
    p.add_argument(
        "--source", type=Path, help="the document it was extracted from (default: its name beside the result)"
    )
    p.add_argument(
        "-o", "--out", type=Path, help="the HTML file to write (default: RESULT with .review.html)"
    )
    p.add_argument("--dpi", type=int, default=96, help="resolution of the page pictures (default 96)")
    p.add_argument(
        "--images",
        choices=["embed", "beside"],
        default="embed",
        help="embed: one self-contained file (default); beside: JPEGs in a folder next to the page",
    )
    p.set_defaults(func=run_review_command)


def run_review_command(args: argparse.Namespace) -> int:
    from extractor.review import write_review

    if not 24 <= args.dpi <= 300:
        raise ConfigError(f"--dpi {args.dpi}: give a resolution between 24 and 300")
    out = args.out or args.result.with_name(args.result.stem + ".review.html")
    written = write_review(args.result, out, args.source, dpi=args.dpi, images=args.images)
    print(f"review page written: {written}")
    return 0
