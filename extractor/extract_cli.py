"""`extractor extract`: files, folders and globs in, one result file each, on a process pool or Ray.

Exit status: 0 every file done (or already up to date); 1 some files failed (or, with
--fail-on, a check of that severity failed); 2 usage error; 130 interrupted (Ctrl-C / SIGTERM).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.api import ExtractOptions
from extractor.batch.formats import CSV_COLUMNS, to_csv
from extractor.batch.naming import collect, display
from extractor.batch.progress import reporter
from extractor.batch.runner import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Batch, BatchResult
from extractor.batch.store import prepare_out
from extractor.check.policy import DEFAULT_FAIL_ON, FAIL_ON_CHOICES, FAIL_ON_HELP, fails_counts
from extractor.core.errors import ConfigError
from extractor.core.limits import DEFAULT_LIMITS, Limits


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "extract",
        help="extract reports from PDFs, scans, images or text files (files, folders, globs)",
        description="Exit status: 0 all done, 1 some files failed (or --fail-on), 2 usage error, 130 interrupted.",
    )
    p.add_argument(
        "files", nargs="+", type=Path, help="files, folders (searched recursively) or glob patterns"
    )
    p.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--ocr", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--ocr-engine", default="rapidocr", help="rapidocr (default) or paddle")
    p.add_argument("--force", action="store_true", help="re-extract files whose result is already up to date")
    p.add_argument("--stdout", action="store_true", help="print the results instead of writing files")
    p.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=DEFAULT_FAIL_ON, help=FAIL_ON_HELP)
    b = p.add_argument_group("batch (see README: Bulk runs)")
    b.add_argument("-j", "--jobs", type=int, help="worker processes (default: the machine's cores)")
    b.add_argument(
        "--executor", choices=["local", "ray"], default="local", help="local process pool, or Ray tasks"
    )
    b.add_argument("--ray-address", help="an existing Ray cluster (default: $RAY_ADDRESS, else a local Ray)")
    b.add_argument("-q", "--quiet", action="store_true", help="plain lines, no live progress display")
    _add_limits(p)
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
    p.set_defaults(func=run_extract_command)


def _add_limits(p: argparse.ArgumentParser) -> None:
    d = DEFAULT_LIMITS
    g = p.add_argument_group("limits per file (a file over a limit gets one error line; 0: no limit)")
    g.add_argument("--timeout", type=float, default=d.timeout_s, help=f"seconds (default {d.timeout_s:g})")
    g.add_argument(
        "--max-memory",
        type=int,
        default=d.max_memory_mb,
        help=f"MB of address space one file may add to its worker (default {d.max_memory_mb})",
    )
    g.add_argument(
        "--max-pages", type=int, default=d.max_pages, help=f"pages or frames (default {d.max_pages})"
    )
    g.add_argument(
        "--max-pixels",
        type=int,
        default=d.max_pixels,
        help=f"pixels of an image or page (default {d.max_pixels})",
    )
    g.add_argument(
        "--max-text-mb",
        type=float,
        default=d.max_text_mb,
        help=f"MB of a text input (default {d.max_text_mb:g})",
    )


def limits_from(args: argparse.Namespace) -> Limits:
    from pydantic import ValidationError

    try:
        return Limits(
            timeout_s=args.timeout,
            max_memory_mb=args.max_memory,
            max_pages=args.max_pages,
            max_pixels=args.max_pixels,
            max_text_mb=args.max_text_mb,
        )
    except ValidationError as exc:
        bad = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ConfigError(f"invalid limit ({bad})") from exc


def _executor(args: argparse.Namespace, limits: Limits) -> object:
    from extractor.batch.pool import default_jobs

    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    if args.executor == "ray":
        from extractor.batch.ray_executor import RayExecutor

        return RayExecutor(address=args.ray_address, timeout_s=limits.timeout_s, max_in_flight=args.jobs)
    from extractor.batch.pool import LocalPool

    # Each worker's OCR gets its share of the cores (onnxruntime defaults to all of them).
    return LocalPool(jobs=jobs, timeout_s=limits.timeout_s, ocr_threads=max(1, default_jobs() // jobs))


def run_extract_command(args: argparse.Namespace) -> int:
    limits = limits_from(args)
    options = ExtractOptions(ocr=args.ocr, ocr_engine=args.ocr_engine)
    # --- LLM extraction (issue 5): configuration, and a ledger for the run-wide budget ---
    from extractor.llm_cli import llm_ledger

    options, ledger = llm_ledger(args, options)
    # --- end LLM ---
    inputs, notes = collect(args.files)
    executor = _executor(args, limits)
    out = None if args.stdout else args.out
    if out is not None:
        prepare_out(out)
    show = reporter(args.quiet)
    for note in notes:
        show.line(note)
    batch = Batch(
        out=out,
        options=options,
        limits=limits,
        fmt=args.format,
        force=args.force or args.stdout,
        reporter=show,
        header={
            "inputs": [display(a) for a in args.files],
            "options": options.model_dump(mode="json", include={"ocr", "ocr_engine", "backend", "llm"}),
            "format": args.format,
            "limits": limits.model_dump(mode="json"),
        },
        on_result=(lambda o: ledger.run.add(o.llm)) if ledger else None,
        options_for_next=ledger.options if ledger else None,
    )
    result = batch.run(inputs, executor)  # type: ignore[arg-type]
    if ledger:  # LLM (issue 5): run totals
        print(ledger.summary(), file=sys.stderr)
    return _finish(result, args, len(inputs))


def _finish(result: BatchResult, args: argparse.Namespace, total: int) -> int:
    journal = f"; journal: {display(result.journal)}" if result.journal else ""
    summary = (
        f"{result.ok} done, {result.skipped} up to date, {result.failed} failed "
        f"of {total} files ({result.pages} pages){journal}"
    )
    if result.interrupted:
        print(
            f"interrupted: {summary}. Run the same command again to resume: finished files are skipped.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(f"summary: {summary}", file=sys.stderr)
    if result.failed:
        return EXIT_FAILED
    if fails_counts(result.failed_checks, args.fail_on):
        print(
            f"checks failed at severity {args.fail_on} or worse (--fail-on {args.fail_on})", file=sys.stderr
        )
        return EXIT_FAILED
    return EXIT_OK


__all__ = ["CSV_COLUMNS", "add_parser", "run_extract_command", "to_csv"]
