"""`extractor check RESULT.json…`: re-run the checkers on saved or hand-edited results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.check import run_checks, summary_line
from extractor.schemas import ReportFileError, dump_result, load_result

_RANK = {"error": 2, "warning": 1, "info": 0}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="re-check saved results (REPORT_FORMAT v1 JSON)")
    p.add_argument("results", nargs="+", type=Path)
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="error",
        help="exit 1 when a check of this severity (or worse) fails (default: error)",
    )
    p.add_argument("--write", action="store_true", help="write the new findings back into each file")
    p.add_argument("-v", "--verbose", action="store_true", help="print every failed or skipped check")
    p.set_defaults(func=run_check_command)


def run_check_command(args: argparse.Namespace) -> int:
    worst = -1
    broken = 0
    for path in args.results:
        try:
            doc = load_result(path)
        except ReportFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            broken += 1
            continue
        findings = run_checks(doc.reports)
        print(summary_line(str(path), findings))
        for f in findings:
            if f.status == "fail":
                worst = max(worst, _RANK[f.severity])
            if args.verbose and f.status != "pass":
                print(f"  [{f.status} {f.severity}] report {f.report} {f.check}: {f.message}")
        if args.write:
            path.write_text(dump_result(doc.model_copy(update={"findings": findings})), encoding="utf-8")
    threshold = {"error": 2, "warning": 1, "never": 99}[args.fail_on]
    return 1 if broken or worst >= threshold else 0
