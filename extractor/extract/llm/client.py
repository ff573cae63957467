"""The backend boundary: one small method over our own frozen types.

    class LlmClient(Protocol):
        model: str
        def complete(self, request: LlmRequest) -> LlmResponse: ...

A client sends the messages, enforces the response model's structure the best way
the endpoint allows and returns the parsed JSON (or the raw text and why it did not
parse). It knows nothing of grounding, checkers or re-asking: the single retry loop
in `extractor.extract.llm.extract` owns those. `OpenAICompatibleClient` talks to any
chat-completions endpoint through instructor; `FakeLlmClient` answers in-process.

Errors:

    EngineError
    └── LlmError
        ├── LlmCallError            the endpoint failed (HTTP error after retries, timeout, bad key)
        └── LlmExtractionError      every attempt was rejected; carries the attempts and the usage
            └── LlmBudgetExhausted  the run's token budget ran out first
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from extractor.core.errors import EngineError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Usage(_Frozen):
    """Tokens and calls, summed over attempts (re-asks and HTTP retries included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    """Answers received (each re-ask is a call; an HTTP retry is not)."""
    http_retries: int = 0
    cache_hits: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
            http_retries=self.http_retries + other.http_retries,
            cache_hits=self.cache_hits + other.cache_hits,
        )


class ChatMessage(_Frozen):
    role: Literal["system", "user", "assistant"]
    content: str


class LlmRequest(_Frozen):
    """One structured completion: the conversation so far and the model the answer must fit."""

    messages: tuple[ChatMessage, ...]
    response_model: type[BaseModel]
    max_output_tokens: int = 4096
    temperature: float = 0.0
    tag: str = ""
    """What is being asked (`<kind>.<section>`), for logs and fakes."""


class LlmResponse(_Frozen):
    """`data` is the answer as JSON (already fitting `response_model`), or None with `error` saying why."""

    data: dict[str, Any] | None
    raw: str
    error: str | None = None
    usage: Usage = Usage()
    mode: str = ""


class Attempt(_Frozen):
    """One answer and what was wrong with it (no problems: accepted)."""

    number: int
    raw: str
    problems: tuple[str, ...] = ()
    usage: Usage = Usage()
    mode: str = ""


class LlmClient(Protocol):
    @property
    def model(self) -> str: ...

    def complete(self, request: LlmRequest) -> LlmResponse: ...


class LlmError(EngineError):
    """The LLM engine failed."""


class LlmCallError(LlmError):
    """The endpoint could not be used: an HTTP error after the retries, a timeout, a refused key."""

    def __init__(self, message: str, *, status: int | None = None, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.usage = usage or Usage()


class LlmExtractionError(LlmError):
    """No acceptable answer within the retries: every attempt and the tokens they cost."""

    def __init__(self, message: str, *, attempts: list[Attempt], usage: Usage) -> None:
        super().__init__(message)
        self.attempts = list(attempts)
        self.usage = usage


class LlmBudgetExhausted(LlmExtractionError):
    """The run's token budget ran out before this section was done."""
