"""Chinese government fiscal reports (部门决算, 绩效自评) → verified, structured data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.api import ExtractOptions, extract
    from extractor.core.errors import ConfigError, EngineError, ExtractorError, InputError, SchemaError

__all__ = [
    "ConfigError",
    "EngineError",
    "ExtractOptions",
    "ExtractorError",
    "InputError",
    "SchemaError",
    "extract",
]

_HOME = {"ExtractOptions": "extractor.api", "extract": "extractor.api"}

# `extract` is both the API function and a subpackage's name. Importing a subpackage binds
# it on its parent the first time it loads, so a notebook that imported extractor.extract.…
# before touching `extractor.extract` got the package, not the function ('module' object is
# not callable). The subpackage (an empty __init__) loads here, once, and its binding is
# taken back: `extract` is then always the function, through __getattr__.
import extractor.extract  # noqa: E402, F401

del globals()["extract"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `import extractor.<module>` (the command line, a worker's
    # fork server) does not pay for the pipeline's models before it needs them.
    if name not in __all__:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOME.get(name, "extractor.core.errors")), name)
    globals()[name] = value
    return value
