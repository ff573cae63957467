"""Reading and writing result / gold files, with errors that name the file and the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from extractor.schemas.document import ResultDocument


class ReportFileError(ValueError):
    """A result or gold file that is missing, not JSON, or not REPORT_FORMAT v1."""


def _format_location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def parse_result(text: str, name: str = "<string>") -> ResultDocument:
    """Validate JSON text as a result document; errors name `name` and each bad field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportFileError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    try:
        return ResultDocument.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_format_location(err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)[:10]
        )
        more = f" (and {exc.error_count() - 10} more)" if exc.error_count() > 10 else ""
        raise ReportFileError(f"{name}: not a REPORT_FORMAT v1 document: {problems}{more}") from exc


def load_result(path: str | Path) -> ResultDocument:
    """Load a result or gold file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReportFileError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise ReportFileError(f"{path}: not UTF-8 text") from exc
    return parse_result(text, str(path))


def dump_result(doc: ResultDocument) -> str:
    """Serialise exactly as REPORT_FORMAT v1 (decimal strings, nulls kept)."""
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def unknown_fields(model: BaseModel, prefix: str = "") -> Iterator[str]:
    """Yield the JSON paths of keys the schema does not define (extras), recursively."""
    for key in model.model_extra or {}:
        yield f"{prefix}{key}"
    for name in type(model).model_fields:
        value = getattr(model, name)
        yield from _unknown_in(value, f"{prefix}{name}")


def _unknown_in(value: object, path: str) -> Iterator[str]:
    if isinstance(value, BaseModel):
        yield from unknown_fields(value, path + ".")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _unknown_in(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknown_in(item, f"{path}.{key}")
