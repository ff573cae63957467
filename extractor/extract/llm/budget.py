"""Token budget and usage accounting, shared by the threads of one run."""

from __future__ import annotations

import threading
from decimal import Decimal

from extractor.extract.llm.client import Usage
from extractor.extract.llm.config import LlmConfig


class TokenBudget:
    """Counts every token spent; refuses new calls once `limit` is reached (None: no limit).

    Calls already in flight finish (their tokens are counted), so a run may end a
    little over the limit, never by more than the calls running at once.
    """

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._used = Usage()
        self._lock = threading.Lock()

    @property
    def used(self) -> Usage:
        with self._lock:
            return self._used

    def exhausted(self) -> bool:
        with self._lock:
            return self.limit is not None and self._used.total_tokens >= self.limit

    def add(self, usage: Usage) -> None:
        with self._lock:
            self._used = self._used + usage


def cost(usage: Usage, config: LlmConfig) -> Decimal | None:
    """Cost from the configured prices per million tokens (None when no price is configured)."""
    if config.input_price is None and config.output_price is None:
        return None
    million = Decimal(1_000_000)
    total = Decimal(usage.prompt_tokens) * (config.input_price or Decimal(0)) / million
    total += Decimal(usage.completion_tokens) * (config.output_price or Decimal(0)) / million
    return total.quantize(Decimal("0.000001"))


class RunLedger:
    """Usage over a run of many documents, and the budget the next document may spend."""

    def __init__(self, config: LlmConfig) -> None:
        self.config = config
        self.usage = Usage()
        self.documents = 0

    def config_for_next(self) -> LlmConfig:
        if self.config.max_tokens is None:
            return self.config
        left = max(0, self.config.max_tokens - self.usage.total_tokens)
        return self.config.model_copy(update={"max_tokens": left})

    def add(self, info: dict[str, object] | None) -> None:
        """Count one document's `llm` info (the result's extension field)."""
        if not info:
            return

        def number(key: str) -> int:
            value = info.get(key)
            return int(value) if isinstance(value, int | str) and str(value).isdigit() else 0

        self.documents += 1
        self.usage += Usage(
            prompt_tokens=number("prompt_tokens"),
            completion_tokens=number("completion_tokens"),
            calls=number("calls"),
            http_retries=number("http_retries"),
            cache_hits=number("from_cache"),
        )

    def summary(self) -> str:
        u = self.usage
        price = cost(u, self.config)
        line = (
            f"llm: {self.config.model}: {self.documents} documents, {u.calls} calls, {u.cache_hits} sections from the cache, "
            f"{u.total_tokens} tokens ({u.prompt_tokens} prompt + {u.completion_tokens} completion)"
        )
        if price is not None:
            line += f", cost {price}"
        if self.config.max_tokens is not None:
            line += f", budget {self.config.max_tokens}"
        return line
