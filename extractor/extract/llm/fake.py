"""An in-process `LlmClient` that answers from a script and keeps every request in `.history`."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from extractor.extract.llm.client import LlmRequest, LlmResponse, Usage

Answer = dict[str, Any] | str | Exception
Script = Callable[[LlmRequest], Answer]


class FakeLlmClient:
    """Answers are taken in order (per `tag` when given as a dict of lists), or computed by `script`.

    A dict is the parsed answer; a str is raw model output (parsed here, so invalid JSON
    comes back as an error, like a real client); an exception is raised from `complete`.
    """

    def __init__(
        self,
        answers: Iterable[Answer] | dict[str, list[Answer]] = (),
        *,
        script: Script | None = None,
        model: str = "fake-model",
        tokens: tuple[int, int] = (100, 20),
    ) -> None:
        self.by_tag: dict[str, list[Answer]] = (
            {k: list(v) for k, v in answers.items()} if isinstance(answers, dict) else {}
        )
        self.queue: list[Answer] = [] if isinstance(answers, dict) else list(answers)
        self.script = script
        self._model = model
        self.tokens = tokens
        self.history: list[LlmRequest] = []
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self._model

    def _next(self, request: LlmRequest) -> Answer:
        with self._lock:
            self.history.append(request)
            queue = self.by_tag.get(request.tag) or self.queue
            if queue:
                return queue.pop(0)
        if self.script is not None:
            return self.script(request)
        raise AssertionError(f"FakeLlmClient: no answer left for {request.tag!r}")

    def complete(self, request: LlmRequest) -> LlmResponse:
        answer = self._next(request)
        if isinstance(answer, Exception):
            raise answer
        usage = Usage(prompt_tokens=self.tokens[0], completion_tokens=self.tokens[1], calls=1)
        raw = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        try:
            parsed = request.response_model.model_validate_json(raw)
        except ValidationError as exc:
            return LlmResponse(data=None, raw=raw, error=str(exc), usage=usage, mode="fake")
        return LlmResponse(data=parsed.model_dump(mode="json"), raw=raw, usage=usage, mode="fake")
