"""Reading and writing result / gold files, with errors that name the file and the field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


MAX_JSON_BYTES = 200 << 20
MAX_JSON_DEPTH = 64
"""REPORT_FORMAT nests about 8 deep; a hostile file nested 10,000 deep must not reach the parser's recursion."""
MAX_NUMBER_DIGITS = 60
"""A 万亿 amount in 元 has 17 digits; Python refuses to parse integers over 4,300 digits at all."""
_NUMBER_TEXT = re.compile(r"^\s*[-+]?[\d,，]*\.?\d*(?:[eE][-+]?\d+)?\s*$")


def _number(limit: int, name: str, convert: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text.lstrip("-").replace(".", "")) > limit:
            raise ReportFileError(
                f"{name}: a number has more than {limit} digits ({text[:20]}…); not a real amount"
            )
        return convert(text)

    return parse


def _no_constant(text: str) -> Any:
    raise ReportFileError(f"not valid JSON: {text} is not a JSON number")


def _check_shape(data: Any, name: str, max_depth: int, max_digits: int) -> None:
    """Depth and number-string size of parsed JSON, without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise ReportFileError(f"{name}: JSON nested deeper than {max_depth} levels; not a result file")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str) and len(value) > max_digits and _NUMBER_TEXT.match(value):
            digits = sum(ch.isdigit() for ch in value.split("e")[0].split("E")[0])
            exponent = re.search(r"[eE]([-+]?\d+)", value)
            if digits > max_digits or (exponent and len(exponent.group(1).lstrip("+-")) > 4):
                raise ReportFileError(
                    f"{name}: a number has more than {max_digits} digits ({value[:20]}…); not a real amount"
                )


def read_json(
    text: str, name: str = "<string>", *, max_depth: int = MAX_JSON_DEPTH, max_digits: int = MAX_NUMBER_DIGITS
) -> Any:
    """Parse JSON text with bounded nesting and number length; every failure is a ReportFileError."""
    try:
        data = json.loads(
            text,
            parse_int=_number(max_digits, name, int),
            parse_float=_number(max_digits, name, float),
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise ReportFileError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise ReportFileError(
            f"{name}: JSON nested deeper than {max_depth} levels; not a result file"
        ) from exc
    except ReportFileError as exc:
        message = str(exc)
        raise ReportFileError(message if message.startswith(name) else f"{name}: {message}") from exc
    _check_shape(data, name, max_depth, max_digits)
    return data


def read_json_file(path: str | Path, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Read a JSON file (result, gold or prediction) within the limits; errors name the file."""
    return read_json(_read_text(Path(path), max_bytes), str(path))


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        if path.is_dir():
            raise ReportFileError(f"{path}: is a folder, not a result file; give the .json files in it")
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportFileError(
                f"{path}: is {size / (1 << 20):.0f} MB, over the limit of {max_bytes >> 20} MB for a result file"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReportFileError(f"{path}: file not found") from exc
    except OSError as exc:
        raise ReportFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportFileError(
            f"{path}: not UTF-8 text (a binary file?); give a REPORT_FORMAT JSON file"
        ) from exc


def parse_result(text: str, name: str = "<string>") -> ResultDocument:
    """Validate JSON text as a result document; errors name `name` and each bad field."""
    data = read_json(text, name)
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
    return parse_result(_read_text(path, MAX_JSON_BYTES), str(path))


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
