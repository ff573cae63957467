"""OCR engines behind one small protocol; `get_engine` builds one by name.

>>> engine = get_engine("rapidocr", threads=1)
>>> engine.read(image).lines[0].text
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from extractor.core.errors import ConfigError
from extractor.ingest.ocr.base import OcrEngine, OcrLine, OcrResult, OcrWord
from extractor.ingest.ocr.fake import FakeOcrEngine

__all__ = ["ENGINES", "FakeOcrEngine", "OcrEngine", "OcrLine", "OcrResult", "OcrWord", "get_engine"]

ENGINES = ("rapidocr", "paddle")


def get_engine(name: str = "rapidocr", **options: Any) -> OcrEngine:
    """Build an engine by name; construction is cheap, the model loads on the first `read`.

    Raises EngineUnavailable when the engine or its models are missing, and
    ConfigError for an unknown name or option.
    """
    factory: Callable[..., OcrEngine]
    if name == "rapidocr":
        from extractor.ingest.ocr.rapidocr import RapidOcrEngine

        factory = RapidOcrEngine
    elif name == "paddle":
        from extractor.ingest.ocr.paddle import PaddleOcrEngine

        factory = PaddleOcrEngine
    else:
        raise ConfigError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}")
    try:
        inspect.signature(factory).bind(**options)
    except TypeError as exc:
        raise ConfigError(f"OCR engine {name!r}: {exc}") from exc
    return factory(**options)
