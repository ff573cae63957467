"""The LLM mode at the command line: `extract --llm …` flags and `eval --backend llm`.

Both take the endpoint from flags / EXTRACTOR_LLM_* / a TOML file, and both hold the
token budget (max_tokens) for the whole run: each document gets what is left.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.api import ExtractionRun, ExtractOptions
from extractor.core.errors import ConfigError
from extractor.extract.llm.budget import RunLedger
from extractor.extract.llm.config import LlmConfig, load_config, require_endpoint
from extractor.schemas import ResultDocument

if TYPE_CHECKING:
    from extractor.eval.harness import Pipeline


class Ledger:
    """Hands each document the budget the run has left, and adds up what it spent."""

    def __init__(self, config: LlmConfig) -> None:
        self.run = RunLedger(config)

    def options(self, options: ExtractOptions) -> ExtractOptions:
        return options.model_copy(update={"llm_config": self.run.config_for_next()})

    def add(self, document: ResultDocument) -> None:
        info = (document.model_extra or {}).get("llm")
        self.run.add(info if isinstance(info, dict) else None)

    def summary(self) -> str:
        return self.run.summary()


def llm_ledger(args: argparse.Namespace, options: ExtractOptions) -> tuple[ExtractOptions, Ledger | None]:
    """Options with the LLM settings from the flags, environment and config file (None: LLM off).

    Without --llm the model is used (mode fill) exactly when an endpoint is configured.
    """
    overrides = {"base_url": args.llm_base_url, "model": args.llm_model, "max_tokens": args.max_tokens}
    config = load_config(args.llm_config, overrides)
    mode = args.llm or ("fill" if config.configured else "off")
    if mode == "off":
        return options, None
    if not config.configured:
        raise ConfigError(
            f"--llm {mode} needs an endpoint: set EXTRACTOR_LLM_BASE_URL and EXTRACTOR_LLM_MODEL "
            "(or --llm-base-url/--llm-model, or --llm-config FILE)"
        )
    return options.model_copy(update={"llm": mode, "llm_config": config}), Ledger(config)


def llm_eval_pipeline(
    run: Callable[[Path, ExtractOptions], ExtractionRun], options: ExtractOptions
) -> Pipeline:
    """`extractor eval --backend llm`: the rules plus the model (full merge), endpoint from the environment.

    The sample's own gold file is never a few-shot example. Each document's info
    records the model, the prompt version and the tokens (eval/cli.py sums them).
    """
    from extractor.eval.harness import PipelineRun

    config = require_endpoint(load_config())
    ledger = RunLedger(config)

    def pipeline(path: Path) -> PipelineRun:
        opts = options.model_copy(update={"llm": "full", "llm_config": ledger.config_for_next()})
        result = run(path, opts)
        document: dict[str, Any] = result.document.model_dump(mode="json")
        llm = document.pop("llm", None) or {}
        ledger.add(llm)
        for report in document.get("reports") or []:
            report.pop("sources", None)  # provenance, like evidence: not a scored field
        info = {
            "backend": "llm",
            "llm_model": str(llm.get("model", config.model)),
            "llm_mode": str(llm.get("mode", "")),
            "llm_merge": "full",
            "llm_prompt_version": str(llm.get("prompt_version", "")),
            "llm_calls": str(llm.get("calls", 0)),
            "llm_from_cache": str(llm.get("from_cache", 0)),
            "llm_prompt_tokens": str(llm.get("prompt_tokens", 0)),
            "llm_completion_tokens": str(llm.get("completion_tokens", 0)),
            "llm_total_tokens": str(llm.get("total_tokens", 0)),
        }
        if llm.get("cost") is not None:
            info["llm_cost"] = str(llm["cost"])
        return PipelineRun(
            document=document, pages=result.pages, stage_seconds=result.stage_seconds, info=info
        )

    return pipeline
