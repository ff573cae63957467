"""LLM configuration: TOML file < environment < flags; the key stays secret; the default merge mode."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from extractor.api import ExtractOptions
from extractor.core.errors import ConfigError
from extractor.extract.llm.config import LlmConfig, load_config, require_endpoint
from extractor.llm_cli import llm_ledger

SECRET = "sk-live-DO-NOT-PRINT"


def test_environment_variables() -> None:
    env = {
        "EXTRACTOR_LLM_BASE_URL": "http://localhost:8000/v1",
        "EXTRACTOR_LLM_MODEL": "qwen2.5-7b-instruct",
        "EXTRACTOR_LLM_API_KEY": SECRET,
    }
    config = load_config(environ=env)
    assert (config.base_url, config.model, config.configured) == (
        "http://localhost:8000/v1",
        "qwen2.5-7b-instruct",
        True,
    )
    assert config.api_key is not None and config.api_key.get_secret_value() == SECRET
    assert SECRET not in repr(config) and SECRET not in str(config) and SECRET not in config.describe()
    assert SECRET not in config.model_dump_json()


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "llm.toml"
    path.write_text(
        '[llm]\nbase_url = "https://api.example.com/v1"\nmodel = "from-file"\nmode = "md_json"\n'
        'max_tokens = 5000\ncache_dir = "/tmp/x"\napi_key_env = "MY_KEY"\ninput_price = "0.5"\n',
        encoding="utf-8",
    )
    env = {"EXTRACTOR_LLM_CONFIG": str(path), "EXTRACTOR_LLM_MODEL": "from-env", "MY_KEY": SECRET}
    config = load_config(environ=env, overrides={"max_tokens": 100, "base_url": None})
    assert config.base_url == "https://api.example.com/v1"  # file (flag not given)
    assert config.model == "from-env"  # environment over file
    assert config.max_tokens == 100  # flag over file
    assert config.mode == "md_json" and config.cache_dir == Path("/tmp/x")
    assert config.api_key is not None and config.api_key.get_secret_value() == SECRET


def test_bad_configuration_names_the_problem_not_the_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'mode = "telepathy"\napi_key = "{SECRET}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="mode") as caught:
        load_config(path, environ={})
    assert SECRET not in str(caught.value)
    path.write_text("mode = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid TOML"):
        load_config(path, environ={})
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError, match="EXTRACTOR_LLM_BASE_URL"):
        require_endpoint(LlmConfig())


def _args(**kw: object) -> argparse.Namespace:
    base = {"llm": None, "llm_config": None, "llm_base_url": None, "llm_model": None, "max_tokens": None}
    return argparse.Namespace(**{**base, **kw})


def test_llm_is_off_without_an_endpoint_and_fill_with_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "EXTRACTOR_LLM_BASE_URL",
        "EXTRACTOR_LLM_MODEL",
        "EXTRACTOR_LLM_API_KEY",
        "EXTRACTOR_LLM_CONFIG",
    ):
        monkeypatch.delenv(var, raising=False)
    options, ledger = llm_ledger(_args(), ExtractOptions())
    assert options.llm == "off" and ledger is None
    with pytest.raises(ConfigError, match="needs an endpoint"):
        llm_ledger(_args(llm="verify"), ExtractOptions())
    options, ledger = llm_ledger(_args(llm_base_url="http://127.0.0.1:9/v1", llm_model="m"), ExtractOptions())
    assert options.llm == "fill" and ledger is not None
    assert options.llm_config is not None and options.llm_config.model == "m"
