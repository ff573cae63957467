"""LLM endpoint configuration: defaults < TOML file < environment < command-line flags.

    EXTRACTOR_LLM_BASE_URL   e.g. https://api.deepseek.com/v1, http://localhost:8000/v1 (vLLM), …/v1 (Ollama)
    EXTRACTOR_LLM_MODEL      the model name the endpoint expects
    EXTRACTOR_LLM_API_KEY    the key (local servers usually need none)
    EXTRACTOR_LLM_CONFIG     a TOML file with any field below (top level or under [llm])

The key is a `SecretStr`: its repr is masked, it is never put in a result, a cache
entry or a log line. A TOML file may name the variable holding the key
(`api_key_env = "DEEPSEEK_API_KEY"`) instead of holding the key itself.

`mode` picks how the answer's structure is enforced: `tools` (a forced function
call), `json_schema` (response_format json_schema), `md_json` (JSON in a markdown
fence, the schema in the prompt: works with any chat model). `auto` tries tools; a
400 answer saying tools are unsupported moves on to json_schema, a 400 saying
that is unsupported to md_json; the first mode that works is kept for the run.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from extractor.core.errors import ConfigError

Mode = Literal["auto", "tools", "json_schema", "md_json"]
MergeMode = Literal["off", "fill", "verify", "full"]

ENV_BASE_URL = "EXTRACTOR_LLM_BASE_URL"
ENV_MODEL = "EXTRACTOR_LLM_MODEL"
ENV_API_KEY = "EXTRACTOR_LLM_API_KEY"
ENV_CONFIG = "EXTRACTOR_LLM_CONFIG"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fiscal-report-extractor" / "llm"


class LlmConfig(BaseModel):
    """Everything about the endpoint and the cost limits. Frozen and picklable (it rides in ExtractOptions)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
    mode: Mode = "auto"
    timeout: float = Field(default=120.0, gt=0)
    """Seconds for one HTTP request."""
    max_retries: int = Field(default=2, ge=0, le=10)
    """Re-asks after a rejected answer (invalid JSON, ungrounded quote, failed checker)."""
    http_retries: int = Field(default=4, ge=0, le=10)
    """Retries of one request after 429, 5xx, a timeout or a dropped connection."""
    backoff: float = Field(default=1.0, ge=0)
    """First wait before an HTTP retry (doubled each time) when the server sends no Retry-After."""
    max_backoff: float = Field(default=60.0, ge=0)
    """Longest wait, Retry-After included."""
    concurrency: int = Field(default=4, ge=1, le=64)
    max_tokens: int | None = Field(default=None, ge=0)
    """Token budget for the whole run (prompt + completion, retries included); None: unlimited, 0: no calls."""
    max_output_tokens: int = Field(default=4096, ge=16)
    """`max_tokens` sent with each request."""
    temperature: float = Field(default=0.0, ge=0)
    cache_dir: Path | None = Field(default_factory=_default_cache_dir)
    """On-disk answer cache; None turns it off."""
    prompts_dir: Path | None = None
    """A folder of *.j2 templates; None: the packaged ones (`extractor.prompts`)."""
    examples_dir: Path | None = None
    """A folder of gold files to take few-shot examples from (never the file being extracted);
    None: the packaged examples (`extractor.prompts/examples.json`)."""
    few_shot: bool = True
    """False: no example in the prompts."""
    token_parameter: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    """How the output cap is sent: OpenAI's reasoning models (o1, o3, gpt-5 …) refuse `max_tokens`
    and require `max_completion_tokens`."""
    max_context_tokens: int = Field(default=24000, ge=500)
    """Tokens of document text one request may carry (estimated, `extractor.chunk.estimate_tokens`);
    a longer report is sent as the chunks that concern each section."""
    input_price: Decimal | None = None
    """Price per million prompt tokens, for cost accounting (None: cost not reported)."""
    output_price: Decimal | None = None

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    def describe(self) -> str:
        """One line for logs: never the key."""
        key = "set" if self.api_key else "none"
        return f"model={self.model} base_url={self.base_url} mode={self.mode} key={key}"


def _read_toml(path: Path, env: Mapping[str, str]) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: LLM config file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file: {exc}") from exc
    table = data.get("llm", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [llm] must be a table")
    key_env = table.pop("api_key_env", None)
    if key_env is not None:
        if not isinstance(key_env, str):
            raise ConfigError(f"{path}: api_key_env must name an environment variable")
        if env.get(key_env):
            table["api_key"] = env[key_env]
    return dict(table)


def load_config(
    file: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> LlmConfig:
    """The configuration from a TOML file (or $EXTRACTOR_LLM_CONFIG), the environment, then `overrides`.

    `overrides` holds command-line values; None values are ignored (flag not given).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = Path(file) if file else (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else None)
    if path is not None:
        values.update(_read_toml(path, env))
    for name, var in (("base_url", ENV_BASE_URL), ("model", ENV_MODEL), ("api_key", ENV_API_KEY)):
        if env.get(var):
            values[name] = env[var]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return LlmConfig.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        where = f" (from {path})" if path else ""
        raise ConfigError(f"invalid LLM configuration{where}: {problems}") from exc


def require_endpoint(config: LlmConfig) -> LlmConfig:
    if not config.configured:
        raise ConfigError(
            f"no LLM endpoint configured: set {ENV_BASE_URL} and {ENV_MODEL} "
            "(or --llm-base-url/--llm-model, or a --llm-config TOML file), or use --llm off"
        )
    return config
