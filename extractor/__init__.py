"""Chinese government fiscal reports (部门决算, 绩效自评) → verified, structured data."""

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
