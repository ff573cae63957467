"""A scripted OCR engine for tests: a real `OcrEngine` that replays given results."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from extractor.core.errors import EngineError
from extractor.ingest.ocr.base import OcrResult

Script = Callable[[np.ndarray], OcrResult]


class FakeOcrEngine:
    """Returns scripted results and records every image it was given in `.history`.

    `results` is either a sequence (one result per call, in order; running out
    raises EngineError, like a real engine failing) or a function of the image.
    """

    def __init__(self, results: Iterable[OcrResult] | Script = (), *, name: str = "fake") -> None:
        self.name = name
        self._script: Script | None = results if callable(results) else None
        self._queue: list[OcrResult] = [] if callable(results) else list(results)
        self.history: list[np.ndarray] = []

    def read(self, image: np.ndarray) -> OcrResult:
        self.history.append(image)
        if self._script is not None:
            return self._script(image)
        if not self._queue:
            raise EngineError(f"{self.name}: no scripted OCR result left for call {len(self.history)}")
        return self._queue.pop(0)
