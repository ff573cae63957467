"""`LlmClient` for any OpenAI-compatible chat-completions endpoint, through openai + instructor.

instructor prepares the request for the mode (a forced tool call, a json_schema
response_format, or the schema in the prompt and JSON in a markdown fence) and
parses the answer into the response model; it is called with `max_retries=0`, so
re-asking stays in our one loop. The openai client's own retries are off too: this
module retries 429, 5xx, timeouts and dropped connections itself, honouring
Retry-After, so every wait is bounded and counted.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import instructor
import openai
from instructor import Mode as InstructorMode
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel

from extractor.core.errors import ConfigError
from extractor.extract.llm.client import LlmCallError, LlmRequest, LlmResponse, Usage
from extractor.extract.llm.config import LlmConfig, require_endpoint

log = logging.getLogger(__name__)
# instructor logs every failed parse at ERROR; with no handler configured Python's
# last-resort handler would print them. Re-asks are normal here, and ours are logged.
logging.getLogger("instructor").addHandler(logging.NullHandler())

_MODES: dict[str, InstructorMode] = {
    "tools": InstructorMode.TOOLS,
    "json_schema": InstructorMode.JSON_SCHEMA,
    "md_json": InstructorMode.MD_JSON,
}
_FALLBACK = ("tools", "json_schema", "md_json")
_UNSUPPORTED = re.compile(
    r"not supported|unsupported|does not support|not support|invalid.*(tool|response_format|json_schema)|"
    r"unknown (field|parameter|argument)|unrecognized|extra (fields|inputs)",
    re.IGNORECASE,
)
_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)


def _usage(raw: Any) -> tuple[int, int]:
    if raw is None:
        return 0, 0
    return int(getattr(raw, "prompt_tokens", 0) or 0), int(getattr(raw, "completion_tokens", 0) or 0)


def _raw_text(completion: Any) -> str:
    """The model's answer as text: the tool call's arguments, else the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments or "")
    return str(getattr(message, "content", "") or "")


def _short(text: str, limit: int = 600) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit] + " …"


def retry_after(exc: openai.APIError) -> float | None:
    """Seconds from a Retry-After (or retry-after-ms) header, when the server sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


class OpenAICompatibleClient:
    """Talks to `config.base_url` with `config.model`; thread-safe (one httpx pool, a lock on the mode)."""

    def __init__(self, config: LlmConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = require_endpoint(config)
        if config.mode != "auto" and config.mode not in _MODES:
            raise ConfigError(f"unknown LLM mode {config.mode!r}")
        key = config.api_key.get_secret_value() if config.api_key else "no-key"
        self._openai = openai.OpenAI(
            base_url=config.base_url, api_key=key, timeout=config.timeout, max_retries=0
        )
        self._sleep = sleep
        self._lock = threading.Lock()
        self._modes: list[str] = list(_FALLBACK) if config.mode == "auto" else [config.mode]
        self._clients: dict[str, Any] = {}

    @property
    def model(self) -> str:
        return str(self.config.model)

    @property
    def mode(self) -> str:
        """The mode in use (under `auto`: the first that has not been refused)."""
        with self._lock:
            return self._modes[0]

    def _instructor(self, mode: str) -> Any:
        with self._lock:
            if mode not in self._clients:
                self._clients[mode] = instructor.from_openai(self._openai, mode=_MODES[mode])
            return self._clients[mode]

    def _fall_back(self, mode: str) -> bool:
        """Drop `mode` after the endpoint refused it; False when nothing is left to try."""
        with self._lock:
            if self._modes[0] == mode and len(self._modes) > 1:
                self._modes.pop(0)
                log.info("LLM endpoint refused mode %s; using %s", mode, self._modes[0])
            return self._modes[0] != mode

    def complete(self, request: LlmRequest) -> LlmResponse:
        retries = 0
        while True:
            mode = self.mode
            try:
                response = self._once(request, mode)
            except openai.BadRequestError as exc:
                if self.config.mode == "auto" and _UNSUPPORTED.search(str(exc)) and self._fall_back(mode):
                    continue
                raise LlmCallError(
                    f"LLM endpoint refused the request (HTTP 400): {_short(str(exc))}", status=400
                ) from exc
            except _RETRYABLE as exc:
                status = getattr(exc, "status_code", None)
                what = f"HTTP {status}" if status else type(exc).__name__
                if retries >= self.config.http_retries:
                    raise LlmCallError(
                        f"LLM endpoint failed after {retries + 1} tries ({what}): {_short(str(exc))}",
                        status=status,
                        usage=Usage(http_retries=retries),
                    ) from exc
                delay = self._delay(exc, retries)
                log.warning("LLM %s on %s; retry %d in %.1f s", what, request.tag, retries + 1, delay)
                self._sleep(delay)
                retries += 1
                continue
            except openai.APIStatusError as exc:
                raise LlmCallError(
                    f"LLM endpoint error HTTP {exc.status_code}: {_short(str(exc))}", status=exc.status_code
                ) from exc
            except openai.OpenAIError as exc:
                raise LlmCallError(f"LLM client error: {_short(str(exc))}") from exc
            if retries:
                response = response.model_copy(update={"usage": response.usage + Usage(http_retries=retries)})
            return response

    def _delay(self, exc: openai.APIError, retries: int) -> float:
        told = retry_after(exc)
        if told is not None:
            return min(told, self.config.max_backoff)
        base = self.config.backoff * (2**retries)
        return float(min(self.config.max_backoff, base * (0.75 + random.random() / 2)))

    def _once(self, request: LlmRequest, mode: str) -> LlmResponse:
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        kwargs: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "response_model": request.response_model,
            "max_retries": 0,
            self.config.token_parameter: request.max_output_tokens,
            "temperature": request.temperature,
        }
        try:
            parsed, completion = self._instructor(mode).chat.completions.create_with_completion(**kwargs)
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, openai.OpenAIError):
                raise cause from None
            prompt, completion_tokens = _usage(exc.total_usage)
            return LlmResponse(
                data=None,
                raw=_raw_text(exc.last_completion),
                error=_short(str(cause or exc)),
                usage=Usage(prompt_tokens=prompt, completion_tokens=completion_tokens, calls=1),
                mode=mode,
            )
        except IncompleteOutputException as exc:
            prompt, completion_tokens = _usage(getattr(exc.last_completion, "usage", None))
            return LlmResponse(
                data=None,
                raw=_raw_text(exc.last_completion),
                error=f"the answer was cut off at {request.max_output_tokens} tokens: answer more briefly",
                usage=Usage(prompt_tokens=prompt, completion_tokens=completion_tokens, calls=1),
                mode=mode,
            )
        assert isinstance(parsed, BaseModel)
        prompt, completion_tokens = _usage(getattr(completion, "usage", None))
        return LlmResponse(
            data=parsed.model_dump(mode="json"),
            raw=_raw_text(completion),
            usage=Usage(prompt_tokens=prompt, completion_tokens=completion_tokens, calls=1),
            mode=mode,
        )
