"""`extractor check RESULT.json…`: re-run the checkers on saved or hand-edited results.

With the source document (`--source FILE`, or the `source.path` an extraction recorded,
when the file there still has the recorded sha256) every check runs, so `check`
reproduces `extract`'s findings exactly. Without it the checks that read the source
(prose, wording, contents) cannot run: their saved findings are kept as they were, so
`--write` never loses a finding.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.batch.store import write_atomic
from extractor.check import run_checks, summary_line
from extractor.check.policy import DEFAULT_FAIL_ON, FAIL_ON_CHOICES, FAIL_ON_HELP, exit_status
from extractor.check.registry import needs_source
from extractor.core.errors import ExtractorError, InputError
from extractor.core.types import LayoutDocument, SourceSpan
from extractor.schemas import Finding, ReportFileError, ResultDocument, dump_result, load_result


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="re-check saved results (REPORT_FORMAT v1 JSON)")
    p.add_argument("results", nargs="+", type=Path)
    p.add_argument(
        "--source",
        type=Path,
        help="the document the result was extracted from (one result only); default: source.path "
        "recorded in the result, when that file is unchanged",
    )
    p.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=DEFAULT_FAIL_ON, help=FAIL_ON_HELP)
    p.add_argument("--write", action="store_true", help="write the new findings back into each file")
    p.add_argument("-v", "--verbose", action="store_true", help="print every failed or skipped check")
    p.set_defaults(func=run_check_command)


def _source_path(doc: ResultDocument, given: Path | None) -> Path | None:
    if given is not None:
        return given
    recorded = getattr(doc.source, "path", None)
    return Path(recorded) if isinstance(recorded, str) and Path(recorded).is_file() else None


def _read_source(doc: ResultDocument, path: Path) -> tuple[list[list[SourceSpan]], LayoutDocument]:
    """The narratives and layout of the source, paired with the result's reports by position."""
    from extractor.api import ExtractOptions, _sha256, layout_file
    from extractor.extract.rules.dispatch import extract_drafts

    if doc.source.sha256 and _sha256(path) != doc.source.sha256:
        raise InputError(str(path), "not the file this result was extracted from (its sha256 differs)")
    layout = layout_file(path, ExtractOptions(ocr="auto"), {})
    drafts = extract_drafts(layout)
    paired: list[list[SourceSpan]] = [
        list(drafts[i].narrative) if i < len(drafts) and drafts[i].report.kind == r.kind else []
        for i, r in enumerate(doc.reports)
    ]
    return paired, layout


def recheck(doc: ResultDocument, source: Path | None) -> tuple[list[Finding], bool]:
    """The findings `extract` would give this result (with its source), and whether the source was read.

    Findings no check here produces (the LLM merge's `llm.*`) are kept, as are, without the
    source, the saved findings of the checks that need it.
    """
    if source is not None:
        narratives, layout = _read_source(doc, source)
        fresh = run_checks(doc.reports, narratives, layout=layout)
        kept = [f for f in doc.findings if f.check.startswith("llm.")]
        return fresh + kept, True
    fresh = run_checks(doc.reports)
    kept = [f for f in doc.findings if f.check.startswith("llm.") or needs_source(f.check)]
    return fresh + kept, False


def run_check_command(args: argparse.Namespace) -> int:
    if args.source is not None and len(args.results) != 1:
        print(
            "error: --source names the document of one result: give one RESULT.json with it", file=sys.stderr
        )
        return 2
    every: list[Finding] = []
    broken = 0
    for path in args.results:
        try:
            doc = load_result(path)
            findings, with_source = recheck(doc, _source_path(doc, args.source))
        except (ReportFileError, ExtractorError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            broken += 1
            continue
        every += findings
        note = (
            ""
            if with_source
            else " (source not at hand: saved prose/wording findings kept; --source FILE re-runs them)"
        )
        print(summary_line(str(path), findings) + note)
        if args.verbose:
            for f in findings:
                if f.status != "pass":
                    print(f"  [{f.status} {f.severity}] report {f.report} {f.check}: {f.message}")
        if args.write:
            # Atomically (the bulk runner's writer): an interrupted --write leaves the old result whole.
            write_atomic(
                path.parent, (path.name,), dump_result(doc.model_copy(update={"findings": findings})).encode()
            )
    return exit_status(every, args.fail_on, broken_inputs=broken)
