"""The `extractor` command line: a thin layer over the library."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from extractor.core.errors import ExtractorError


def _add_eval(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "eval", help="score extraction against labelled samples, or a prediction file against a gold file"
    )
    p.add_argument(
        "--samples",
        type=Path,
        default=Path("samples"),
        help="folder with gold/, pdf/, scan/ (default: samples)",
    )
    p.add_argument(
        "--corpus",
        choices=["samples", "real", "all"],
        default="all",
        help="samples: our three typeset reports; real: published PDFs (samples/real); default all",
    )
    p.add_argument("--backend", choices=["rules", "llm"], default="rules")
    p.add_argument(
        "--endpoint",
        choices=["perfect", "noisy"],
        help="with --backend llm: a reader on 127.0.0.1 that knows the gold (ceiling; wrong values stopped)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=12,
        help="with --endpoint noisy: the seed of the reader's mistakes (default 12; others draw other mistakes)",
    )
    p.add_argument(
        "--variant", choices=["pdf", "scan"], action="append", help="repeatable; default: every variant"
    )
    p.add_argument("--only", action="append", help="only samples whose name starts with this (repeatable)")
    p.add_argument("--pred", type=Path, help="score this prediction file (needs --gold)")
    p.add_argument("--gold", type=Path, help="the gold file for --pred")
    p.add_argument("--out", type=Path, default=Path("out/eval"), help="where report.json and report.md go")
    p.add_argument("--fail-under", type=float, help="exit 1 when overall field F1 is below this")
    p.set_defaults(func=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from extractor.eval.cli import run_eval_command

    return run_eval_command(args)


def _add_review(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from extractor.review_cli import add_parser as add_review

    add_review(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Chinese government fiscal reports (部门决算, 绩效自评) → verified structured data",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    from extractor.extract_cli import add_parser as add_extract

    add_extract(sub)
    from extractor.check_cli import add_parser as add_check

    add_check(sub)
    from extractor.annotate import add_parser as add_annotate  # issue 17: the annotated PDF

    add_annotate(sub)
    _add_eval(sub)
    from extractor.export import add_parser as add_export

    add_export(sub)
    _add_review(sub)
    return parser


def _local_batch(argv: list[str]) -> bool:
    """`extract` on the local process pool (not `--executor ray`, not asking for help)."""
    if argv[:1] != ["extract"] or any(a in ("-h", "--help") for a in argv):
        return False
    for i, arg in enumerate(argv):
        if arg == "--executor=ray" or (arg == "--executor" and argv[i + 1 : i + 2] == ["ray"]):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status: 0 success, 1 some inputs failed, 2 usage error, 130 interrupted."""
    for stream in (sys.stdout, sys.stderr):
        # A file name that is not UTF-8 (or a terminal that is not) must never cost a traceback.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    raw = list(sys.argv[1:] if argv is None else argv)
    if _local_batch(raw):
        from extractor.batch.forkserver import start_fork_server

        start_fork_server()  # its imports overlap ours (bulk start-up, issue 13)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except ExtractorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-written is left behind", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
