"""The error hierarchy. Every message names the file (where there is one) and says what to do.

ExtractorError
├── InputError          the input file: missing, corrupt, encrypted, empty, image-only without OCR, not a report
├── EngineError         an OCR or LLM engine failed; keeps the original exception as __cause__
│   └── EngineUnavailable   the engine is not installed or has no models
├── SchemaError         a result or gold file does not match REPORT_FORMAT v1
└── ConfigError         bad options or configuration
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(ExtractorError):
    """The input cannot be processed; `path` names it, `reason` says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class EngineError(ExtractorError):
    """An OCR or LLM engine failed."""


class EngineUnavailable(EngineError):
    """An optional engine is not installed or cannot find its models."""


class SchemaError(ExtractorError):
    """A result or gold file is not REPORT_FORMAT v1."""


class ConfigError(ExtractorError):
    """Invalid options or configuration."""


def raised_in(exc: BaseException) -> str | None:
    """The top-level package whose code raised `exc` (its innermost traceback frame), else of its type.

    Engines raise builtins (RuntimeError, ValueError) from inside their own code on
    broken input; where it was raised tells a damaged file from a bug of ours.
    """
    tb = exc.__traceback__
    module = None
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__")
        tb = tb.tb_next
    for name in (module, type(exc).__module__):
        if name and name.split(".")[0] not in ("builtins", "extractor"):
            return name.split(".")[0]
    return None
