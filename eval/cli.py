"""`extractor eval`: run the harness and print / write its reports."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal  # LLM (issue 5): token totals
from pathlib import Path

from extractor.core.errors import ConfigError
from extractor.eval.dataset import CORPORA, VARIANTS, discover_corpora
from extractor.eval.harness import Pipeline, SampleResult, run_eval, score_files
from extractor.eval.report import render_markdown, render_terminal, summarise, to_json
from extractor.schemas import ReportFileError


def _pipeline(backend: str) -> Pipeline:
    from extractor.api import eval_pipeline

    return eval_pipeline(backend)


def _score_files(pred: Path, gold: Path) -> SampleResult:
    """score_files, with a prediction from any tool read within limits and checked for its shape first."""
    from extractor.schemas import load_result
    from extractor.schemas.io import read_json_file

    load_result(gold)  # the gold must be REPORT_FORMAT; this names the field that is not
    data = read_json_file(pred)
    reports = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
        raise ReportFileError(
            f'{pred}: expected a JSON object with a "reports" list of objects (REPORT_FORMAT v1)'
        )
    try:
        return score_files(pred, gold)
    except (AttributeError, TypeError, KeyError, ValueError, ArithmeticError) as exc:
        # The prediction is read leniently (any tool's output); a value of the wrong type lands here.
        raise ReportFileError(
            f"{pred}: a value has the wrong type for REPORT_FORMAT v1 ({type(exc).__name__}: {exc}); "
            "validate it with `extractor check`"
        ) from exc


def run_eval_command(args: argparse.Namespace) -> int:
    info = {"backend": args.backend}
    try:
        if args.pred or args.gold:
            if not (args.pred and args.gold):
                raise ConfigError("--pred and --gold go together: give both files")
            results: list[SampleResult] = [_score_files(args.pred, args.gold)]
            info = {"pred": str(args.pred), "gold": str(args.gold)}
        else:
            variants = tuple(args.variant) if args.variant else VARIANTS
            corpora = CORPORA if args.corpus == "all" else (args.corpus,)
            samples = discover_corpora(args.samples, corpora, variants)
            if args.only:
                samples = [s for s in samples if any(s.name.startswith(o) for o in args.only)]
            if not samples:
                raise ConfigError(
                    f"{args.samples}: no samples found for --corpus {args.corpus} "
                    "(expected gold/<name>.json with pdf/ or scan/ beside, under samples/ or samples/real/)"
                )
            endpoint = getattr(args, "endpoint", None)  # LLM (issue 12): a reader that knows the gold
            if endpoint:
                from extractor.eval.endpoint_eval import run_endpoint_eval

                results = run_endpoint_eval(samples, args.backend, endpoint, args.out, args.seed)
            else:
                results = run_eval(samples, _pipeline(args.backend))
            for r in results:
                info.update({k: v for k, v in r.info.items() if k not in info})
            # --- LLM (issue 5): calls, tokens and cost are totals over the run, not the first sample's ---
            summed = ("_calls", "_from_cache", "_tokens", "_cost")
            for key in {k for r in results for k in r.info if k.startswith("llm_") and k.endswith(summed)}:
                info[key] = str(sum((Decimal(r.info[key]) for r in results if r.info.get(key)), Decimal(0)))
            # --- end LLM ---
    except ReportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary = summarise(results, info)
    sys.stdout.write(render_terminal(summary))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(to_json(summary), encoding="utf-8")
    (args.out / "report.md").write_text(render_markdown(summary), encoding="utf-8")
    print(f"reports written: {args.out / 'report.json'}, {args.out / 'report.md'}")
    unscored = [r for r in results if r.score is None]
    for r in unscored:
        print(f"error: {r.sample}: {r.error}", file=sys.stderr)
    f1 = float(summary["overall"]["f1"])
    if args.fail_under is not None and f1 < args.fail_under:
        print(f"FAIL: overall field F1 {f1:.4f} is below --fail-under {args.fail_under}", file=sys.stderr)
        return 1
    return 1 if unscored else 0
