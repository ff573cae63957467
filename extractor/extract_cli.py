"""`extractor extract`: many files in, one result file each; a bad file is reported and skipped."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from extractor.api import ExtractOptions, _sha256, run
from extractor.core.errors import EngineError, ExtractorError, InputError
from extractor.schemas import Finding, ResultDocument, dump_result, load_result
from extractor.schemas.io import ReportFileError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("extract", help="extract reports from PDFs, scans, images or text files")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--ocr", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--ocr-engine", default="rapidocr", help="rapidocr (default) or paddle")
    p.add_argument("--force", action="store_true", help="re-extract files whose result is already up to date")
    p.add_argument("--stdout", action="store_true", help="print the JSON result instead of writing files")
    # --- LLM extraction (issue 5) ---
    g = p.add_argument_group("LLM extraction (any OpenAI-compatible endpoint; see README)")
    g.add_argument(
        "--llm",
        choices=["off", "fill", "verify", "full"],
        help="merge with the rules: fill empty fields / verify (findings) / full (model wins); "
        "default: fill when an endpoint is configured, else off",
    )
    g.add_argument(
        "--llm-config", type=Path, help="TOML file with the [llm] settings (or $EXTRACTOR_LLM_CONFIG)"
    )
    g.add_argument("--llm-base-url", help="endpoint base URL (or $EXTRACTOR_LLM_BASE_URL)")
    g.add_argument(
        "--llm-model", help="model name (or $EXTRACTOR_LLM_MODEL); the key: $EXTRACTOR_LLM_API_KEY"
    )
    g.add_argument(
        "--max-tokens", type=int, help="token budget for the whole run; stops cleanly, keeps what is done"
    )
    # --- end LLM ---
    # --- exit status (issue 11): one --fail-on policy shared with `check` (extractor/check/policy.py) ---
    from extractor.check.policy import DEFAULT_FAIL_ON, FAIL_ON_CHOICES, FAIL_ON_HELP

    p.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=DEFAULT_FAIL_ON, help=FAIL_ON_HELP)
    # --- end exit status ---
    p.set_defaults(func=run_extract_command)


def _up_to_date(target: Path, source: Path) -> bool:
    """A JSON result for the same source bytes exists (so a re-run of a batch skips it)."""
    if not target.exists() or target.suffix != ".json":
        return False
    try:
        done = load_result(target)
    except ReportFileError:
        return False
    return done.source.sha256 == _sha256(source)


CSV_COLUMNS = ["file", "report", "kind", "field", "value", "page", "source_text"]


def to_csv(doc: ResultDocument) -> str:
    """One row per filled field, with its evidence: easy to load into a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    data = doc.model_dump(mode="json")
    for index, report in enumerate(data["reports"]):
        evidence = report.get("evidence") or {}
        for path, value in _leaves(report):
            ev = evidence.get(path) or {}
            writer.writerow(
                [doc.source.file, index, report["kind"], path, value, ev.get("page", ""), ev.get("text", "")]
            )
    return buffer.getvalue()


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in ("evidence", "pages", "kind"):
                continue
            out += _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _leaves(item, f"{path}[{i}]")
    elif value is not None:
        out.append((path, value))
    return out


def run_extract_command(args: argparse.Namespace) -> int:
    options = ExtractOptions(ocr=args.ocr, ocr_engine=args.ocr_engine)
    # --- LLM extraction (issue 5): configuration, and a ledger for the run-wide budget ---
    from extractor.llm_cli import llm_ledger

    options, ledger = llm_ledger(args, options)
    # --- end LLM ---
    failures = 0
    checked: list[Finding] = []  # exit status (issue 11): every file's findings, skipped files included
    if not args.stdout:
        args.out.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        target = args.out / f"{path.stem}.{args.format}"
        try:
            if (
                not args.stdout
                and not args.force
                and path.exists()
                and _up_to_date(args.out / f"{path.stem}.json", path)
            ):
                print(f"skip: {path} (up to date: {args.out / (path.stem + '.json')})", file=sys.stderr)
                checked += load_result(args.out / f"{path.stem}.json").findings  # exit status (issue 11)
                continue
            result = run(path, ledger.options(options) if ledger else options)  # LLM: budget left
        except (InputError, EngineError) as exc:
            failures += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        except ExtractorError as exc:
            failures += 1
            print(f"error: {path}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:
            failures += 1
            print(
                f"error: {path}: internal error {type(exc).__name__}: {exc} (please report this file)",
                file=sys.stderr,
            )
            continue
        doc = result.document
        checked += doc.findings  # exit status (issue 11)
        if ledger:  # LLM (issue 5): count this document's tokens
            ledger.add(doc)
        text = dump_result(doc) if args.format == "json" else to_csv(doc)
        if args.stdout:
            sys.stdout.write(text)
        else:
            # Write to a temporary name first so an interrupted run never leaves a half-written result.
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        from extractor.check import summary_line

        print(summary_line(str(path), doc.findings), file=sys.stderr)
        kinds = ", ".join(f"{n}×{k}" for k, n in _kind_counts(doc).items())
        seconds = sum(result.stage_seconds.values())
        print(
            f"ok: {path} → {'stdout' if args.stdout else target} ({result.pages} pages, {kinds}, {seconds:.2f} s)",
            file=sys.stderr,
        )
    if ledger:  # LLM (issue 5): run totals
        print(ledger.summary(), file=sys.stderr)
    from extractor.check.policy import exit_status  # exit status (issue 11)

    return exit_status(checked, args.fail_on, broken_inputs=failures)


def _kind_counts(doc: ResultDocument) -> dict[str, int]:
    counts: dict[str, int] = {}
    for report in doc.reports:
        counts[report.kind] = counts.get(report.kind, 0) + 1
    return counts


__all__ = ["add_parser", "run_extract_command", "to_csv"]
