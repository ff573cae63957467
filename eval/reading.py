"""Reading a request and answering it from the gold, as the readers of `eval.endpoints` do.

asked_fields    the fields a response model's JSON schema asks for, by report path
rank_lines      where a text prints a gold value, best line first (a table row with its header)
perfect_answer  every asked field whose gold value the text prints, quoted from its line
spoil           a perfect answer spoiled like a weak model spoils it
"""

from __future__ import annotations

import difflib
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from extractor.core.paths import get_path, set_path
from extractor.eval.normalize import normalize_text
from extractor.extract.llm.grounding import numbers_in

NOISE = ("digit", "swap", "unit", "misquote", "invented")
_DATE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})")
_HINT = re.compile(r"[\u4e00-\u9fff]{2,}")


# --- what a request asks for --------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    path: str
    shape: Literal["quoted", "items", "indicators"]
    hints: tuple[str, ...]
    """Chinese words of the field's description (the reader quotes the line that has most of them)."""


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    for option in schema.get("anyOf") or []:
        if option.get("type") != "null":
            return _resolve(option, defs)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _resolve(defs[ref.rsplit("/", 1)[-1]], defs)
    return schema


def asked_fields(schema: dict[str, Any]) -> list[Asked]:
    """The fields a response model's JSON schema asks for, by report path."""
    defs = schema.get("$defs") or {}
    out: list[Asked] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        for name, raw in (node.get("properties") or {}).items():
            path = f"{prefix}{name}"
            hints = tuple(_HINT.findall(str(raw.get("description") or "")))
            field = _resolve(raw, defs)
            props = field.get("properties") or {}
            if field.get("type") == "array":
                item = _resolve(field.get("items") or {}, defs)
                shape: Literal["items", "indicators"] = (
                    "items" if "text" in (item.get("properties") or {}) else "indicators"
                )
                out.append(Asked(path, shape, hints))
            elif "value" in props and "quote" in props:
                out.append(Asked(path, "quoted", hints))
            elif props:
                walk(field, path + ".")

    walk(schema, "")
    return out


def request_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    if tools:
        return dict(tools[0]["function"]["parameters"])
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return dict(fmt["json_schema"]["schema"])
    for message in body.get("messages") or []:  # md_json: instructor puts the schema in the system prompt
        text = str(message.get("content") or "")
        start = text.find("{")
        while start >= 0:
            try:
                data, _ = json.JSONDecoder().raw_decode(text[start:])
            except json.JSONDecodeError:
                start = text.find("{", start + 1)
                continue
            if isinstance(data, dict) and "properties" in data:
                return data
            start = text.find("{", start + 1)
    return None


# --- reading a value off the text ----------------------------------------------------------------


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def printed_form(gold: Any, line: str) -> str | None:
    """How `line` prints the gold value (None: it does not)."""
    text = str(gold).strip()
    if not text:
        return None
    wanted = _number(text)
    if wanted is not None and not isinstance(gold, bool):
        for printed in numbers_in(line):
            number = _number(printed)
            if number is None:
                continue
            if number == wanted:
                return printed
            if number.scaleb(-4) == wanted and "元" in unicodedata.normalize("NFKC", line):
                return text  # printed in 元, the gold (and the answer) in 万元
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        for m in _DATE.finditer(unicodedata.normalize("NFKC", line)):
            if f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" == text:
                return text
        return None
    return text if normalize_text(text) in normalize_text(line) else None


def _affinity(line: str, hints: tuple[str, ...]) -> int:
    """How much of the hints the line prints: the longest common run of each hint (2+ characters)."""
    norm = normalize_text(line)
    cells = {normalize_text(c) for c in line.split("|")}
    total = 0
    for hint in hints:
        h = normalize_text(hint)
        if h in cells:  # a cell that is the hint (an indicator's row, not a row merely containing it)
            total += 2 * len(h)
        match = difflib.SequenceMatcher(None, norm, h, autojunk=False).find_longest_match(
            0, len(norm), 0, len(h)
        )
        total += match.size if match.size >= 2 else 0
    return total


_AMOUNT = re.compile(r"[-+]?[\d,，]*\d(?:\.\d+)?\s*[%％]?")


def _has_amount(line: str) -> bool:
    """Whether a table row has a cell that is a number (a header cell such as 2024年预算数 is not)."""
    return any(_AMOUNT.fullmatch(cell.strip()) for cell in line.strip().strip("|").split("|"))


def column_numbers(line: str) -> bool:
    """Whether a table row is a 栏次 row: the columns' numbers (1 2 3 …, or labelled 栏次), not values."""
    if not line.startswith("|"):
        return False
    cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
    if any("栏次" in c for c in cells):
        return True
    return (
        len(cells) >= 3
        and all(c.isdigit() for c in cells)
        and [int(c) for c in cells] == list(range(1, len(cells) + 1))
    )


def rank_lines(gold: Any, lines: list[str], hints: tuple[str, ...]) -> list[tuple[str, str]]:
    """(the value as printed, the line) for every line printing the gold value, best first: most of
    the hints in the line (a table row: with the rows above it), then in the line above it, then
    document order. A 栏次 row prints the columns' numbers, not values: it is read as header."""
    ranked: list[tuple[int, int, int, str, str]] = []
    # a table row is read with its header: the last run of rows without a number cell above it
    header, after_data = "", True
    for index, line in enumerate(lines):
        if not line.startswith("|"):
            header, after_data = "", True
        numbering = column_numbers(line)
        printed = None if numbering else printed_form(gold, line)
        if printed is not None:
            above = _affinity(lines[index - 1], hints) if index else 0
            score = _affinity(line, hints) + (_affinity(header, hints) if header else 0)
            ranked.append((-score, -above, index, printed, line.strip()))
        if line.startswith("|"):
            numbers = _has_amount(line) and not numbering
            if not numbers:
                header = line if after_data else header + line
            after_data = numbers
    ranked.sort()
    out = [(printed, line) for _, _, _, printed, line in ranked]
    text = normalize_text(str(gold))
    if not out and _number(str(gold)) is None and text and text in normalize_text("".join(lines)):
        # a text printed across a line break: the text itself is the quote (quotes match without whitespace)
        out.append((str(gold), str(gold)))
    return out


def find_line(gold: Any, lines: list[str], hints: tuple[str, ...], skip: int = 0) -> tuple[str, str] | None:
    """(the value as printed, the line quoted) — the best line, or the next ones after `skip`
    rejections; None: not printed."""
    ranked = rank_lines(gold, lines, hints)
    return ranked[min(skip, len(ranked) - 1)] if ranked else None


# --- the readers ---------------------------------------------------------------------------------


INDICATOR_KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")


def perfect_answer(
    asked: list[Asked], report: dict[str, Any], text: str, rejected: dict[str, int] | None = None
) -> dict[str, Any]:
    """Every asked field whose gold value `text` prints, with the line it is printed on.

    `rejected`: how often each path was rejected so far; like a model that heeds the re-ask,
    the reader then quotes its next-best line.
    """
    lines = [ln for ln in text.split("\n") if ln.strip()]
    skips = rejected or {}
    answer: dict[str, Any] = {}
    for field in asked:
        gold = get_path(report, field.path)
        if field.shape == "quoted":
            found = None if gold is None else find_line(gold, lines, field.hints, skips.get(field.path, 0))
            if found:
                set_path(answer, field.path, {"value": found[0], "quote": found[1]})
        elif field.shape == "items":
            items = []
            for item in gold or []:
                hit = find_line(item, lines, ())
                if hit:
                    items.append({"text": str(item), "quote": hit[1]})
            set_path(answer, field.path, items)
        else:
            rows: list[dict[str, Any]] = []
            for row in gold or []:
                name = row.get("name")
                named = find_line(name, lines, ()) if name else None
                if named is None:
                    continue
                out: dict[str, Any] = {}
                here = f"{field.path}[{len(rows)}]."
                for key in INDICATOR_KEYS:
                    value = row.get(key)
                    # a row's values are quoted from the row (the line naming the indicator) when it holds them
                    skip = skips.get(here + key, 0)
                    hit = None if value is None else find_line(value, lines, (str(name),), skip)
                    if hit:
                        out[key] = {"value": hit[0], "quote": hit[1]}
                rows.append(out)
            set_path(answer, field.path, rows)
    return answer


def quoted_values(answer: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(report path, the {"value", "quote"} object) of every value in an answer, rows included."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key, node in answer.items():
        path = f"{prefix}{key}"
        if isinstance(node, dict) and "value" in node and "quote" in node:
            out.append((path, node))
        elif isinstance(node, dict):
            out += quoted_values(node, path + ".")
        elif isinstance(node, list):
            for i, row in enumerate(node):
                if isinstance(row, dict) and "text" in row:
                    out.append((f"{path}[{i}]", row))
                elif isinstance(row, dict):
                    out += quoted_values(row, f"{path}[{i}].")
    return out


def _digit(value: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(value) if ch.isdigit()]
    if not spots:
        return value + "1"
    i = rng.choice(spots)
    new = rng.choice([d for d in "0123456789" if d != value[i]])
    return value[:i] + new + value[i + 1 :]


def spoil(
    answer: dict[str, Any],
    asked: list[Asked],
    text: str,
    rng: random.Random,
    rate: float,
) -> dict[str, str]:
    """Spoil `answer` in place like a weak model; returns path → the noise applied."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    applied: dict[str, str] = {}
    values = quoted_values(answer)
    numeric = [(p, v) for p, v in values if "value" in v and _number(str(v["value"])) is not None]
    for path, node in values:
        if path in applied or rng.random() >= rate:
            continue
        key = "value" if "value" in node else "text"
        noise = rng.choice(NOISE[:4])
        value = str(node[key])
        is_number = _number(value) is not None
        if noise == "swap" and is_number:
            others = [(p, v) for p, v in numeric if p != path and p not in applied and v["value"] != value]
            if others:
                other_path, other = rng.choice(others)
                node["value"], other["value"] = other["value"], node["value"]
                node["quote"], other["quote"] = other["quote"], node["quote"]
                applied[path] = applied[other_path] = "swap"
                continue
            noise = "digit"
        if noise == "unit" and is_number:
            node[key] = str(Decimal(value).scaleb(4).normalize()) if "." in value else value + "0000"
        elif noise in ("digit", "swap", "unit"):
            node[key] = _digit(value, rng)
            noise = "digit"
        else:  # misquote: the right value, quoted from a line that does not print it
            wrong = [ln for ln in lines if printed_form(value, ln) is None]
            if not wrong:
                continue
            node["quote"] = rng.choice(wrong)
        applied[path] = noise
    # invented: a number printed somewhere, with its line, for a scalar field the answer leaves empty
    for field in asked:
        if field.shape != "quoted" or get_path(answer, field.path) is not None or rng.random() >= rate:
            continue
        line = rng.choice(lines) if lines else ""
        numbers = numbers_in(line)
        if numbers:
            set_path(answer, field.path, {"value": rng.choice(numbers), "quote": line})
            applied[field.path] = "invented"
    return applied
