"""`extractor eval`: run the harness and print / write its reports."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal  # LLM (issue 5): token totals

from extractor.core.errors import ConfigError, SchemaError
from extractor.eval.dataset import VARIANTS, discover
from extractor.eval.harness import Pipeline, SampleResult, run_eval, score_files
from extractor.eval.report import render_markdown, render_terminal, summarise, to_json
from extractor.schemas import ReportFileError


def _pipeline(backend: str) -> Pipeline:
    from extractor.api import eval_pipeline

    return eval_pipeline(backend)


def run_eval_command(args: argparse.Namespace) -> int:
    info = {"backend": args.backend}
    try:
        if args.pred or args.gold:
            if not (args.pred and args.gold):
                raise ConfigError("--pred and --gold go together: give both files")
            results: list[SampleResult] = [score_files(args.pred, args.gold)]
            info = {"pred": str(args.pred), "gold": str(args.gold)}
        else:
            variants = tuple(args.variant) if args.variant else VARIANTS
            samples = discover(args.samples, variants)
            if args.only:
                samples = [s for s in samples if any(s.name.startswith(o) for o in args.only)]
            if not samples:
                raise ConfigError(
                    f"{args.samples}: no samples found (expected gold/<name>.json with pdf/ or scan/ beside)"
                )
            endpoint = getattr(args, "endpoint", None)  # LLM (issue 12): a reader that knows the gold
            if endpoint:
                from extractor.eval.endpoint_eval import run_endpoint_eval

                results = run_endpoint_eval(samples, args.backend, endpoint, args.out)
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
        raise SchemaError(str(exc)) from exc
    summary = summarise(results, info)
    sys.stdout.write(render_terminal(summary))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(to_json(summary), encoding="utf-8")
    (args.out / "report.md").write_text(render_markdown(summary), encoding="utf-8")
    print(f"reports written: {args.out / 'report.json'}, {args.out / 'report.md'}")
    f1 = float(summary["overall"]["f1"])
    if args.fail_under is not None and f1 < args.fail_under:
        print(f"FAIL: overall field F1 {f1:.4f} is below --fail-under {args.fail_under}", file=sys.stderr)
        return 1
    return 0
