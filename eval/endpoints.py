"""Two chat-completions endpoints on 127.0.0.1 that know the gold: the ceiling and a weak model.

    perfect  answers each requested field with its gold value only when that value is
             printed in the text the request carries, quoting the line it is printed on:
             whatever it misses was lost by the plumbing (segmentation, the text a request
             carries, the schema, grounding, the merge), never by reading.
    noisy    the perfect answer spoiled like a weak model spoils it: per value and attempt,
             with a fixed seed, a digit changed, two fields swapped (values and quotes), a
             unit slip (万元 read as 元), a right value with a quote that does not hold it,
             or an invented value (a number printed elsewhere, with its line) for a field
             the document leaves empty.

Both speak `POST /v1/chat/completions` to the real `openai` client and instructor: the
answer is a forced tool call, JSON content (json_schema) or JSON in a markdown fence,
as the request asks. What is being asked is read from the request alone — the section
from the prompt's `Section:` line, the document between the `<document>` markers, the
fields from the response model's JSON schema — and every value sent is logged
(`Sent`) so `eval.endpoint_eval` can tell a wrong value stopped from one let through.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
from dataclasses import dataclass
from typing import Any, Literal

from extractor.core.paths import get_path
from extractor.eval.json_server import Answer, JsonServer
from extractor.eval.normalize import normalize_text, values_equal
from extractor.eval.reading import asked_fields, perfect_answer, quoted_values, request_schema, spoil

ReaderName = Literal["perfect", "noisy"]
READERS: tuple[ReaderName, ...] = ("perfect", "noisy")
_SECTION = re.compile(r"^Section: (\S+)", re.MULTILINE)
_DOCUMENT = re.compile(r"<document>\n(.*)\n</document>", re.DOTALL)
_REJECTED = re.compile(r"^- ([\w.\[\]]+): ", re.MULTILINE)


@dataclass(frozen=True)
class Sent:
    """One value the reader sent: where, what, whether it is the gold value, and the noise applied."""

    document: str
    section: str
    attempt: int
    path: str
    value: str
    right: bool
    noise: str = ""
    row_name: str | None = None
    """For an indicator's value: the name of the row it was sent in."""
    report: int = -1
    """The index of the gold report the reader answered from."""
    quote: str = ""


def _scalars(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for key, value in node.items() if key not in ("kind", "evidence") for v in _scalars(value)]
    if isinstance(node, str | int) and not isinstance(node, bool):
        return [str(node)]
    return []


def _choose_report(reports: list[dict[str, Any]], kind: str, text: str) -> int:
    """The gold report of `kind` the text is about: the most printed characters of its scalar values
    (long distinctive texts such as goals outweigh numbers shared by several reports); -1: none."""
    norm = normalize_text(text)
    best: tuple[int, int] | None = None
    for index, report in enumerate(reports):
        if report.get("kind") != kind:
            continue
        values = {normalize_text(v) for v in _scalars(report)}
        weight = sum(len(v) for v in values if v and v in norm)
        if best is None or weight > best[0]:
            best = (weight, index)
    return -1 if best is None else best[1]


class Reader:
    """A perfect or noisy reader of the current gold document (`use` sets it)."""

    def __init__(self, name: ReaderName, *, rate: float = 0.2, seed: int = 12) -> None:
        self.name = name
        self.rate = rate
        self.seed = seed
        self.gold: dict[str, Any] = {"reports": []}
        self.document = ""
        self.sent: list[Sent] = []
        self._lock = threading.Lock()

    def use(self, document: str, gold: dict[str, Any]) -> None:
        with self._lock:
            self.document, self.gold = document, gold

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        messages = body.get("messages") or []
        prompt = next((str(m.get("content") or "") for m in messages if m.get("role") == "user"), "")
        section = _SECTION.search(prompt)
        text = _DOCUMENT.search(prompt)
        schema = request_schema(body)
        if section is None or text is None or schema is None:
            return {}
        section_id, chunk = section.group(1), text.group(1)
        asked = asked_fields(schema)
        attempt = 1 + sum(1 for m in messages if m.get("role") == "assistant")
        with self._lock:
            reports = self.gold.get("reports") or []
            index = _choose_report(reports, section_id.split(".")[0], chunk)
            report = reports[index] if index >= 0 else None
            # what it sent clean and right before: a rejection of those asks for another line
            clean = {
                (x.attempt, x.path)
                for x in self.sent
                if (x.document, x.section, x.report) == (self.document, section_id, index)
                and x.right
                and not x.noise
            }
        rejected: dict[str, int] = {}
        reasks = [m for m in messages[2:] if m.get("role") == "user"]
        for number, m in enumerate(reasks, start=1):  # the re-asks: "- <path>: why"
            for path in _REJECTED.findall(str(m.get("content") or "")):
                if (number, path) in clean:
                    rejected[path] = rejected.get(path, 0) + 1
        with self._lock:
            document = self.document
        answer = perfect_answer(asked, report or {}, chunk, rejected)
        applied: dict[str, str] = {}
        if self.name == "noisy":
            key = (
                f"{self.seed}|{document}|{section_id}|{attempt}|{hashlib.sha256(chunk.encode()).hexdigest()}"
            )
            rng = random.Random(hashlib.sha256(key.encode()).hexdigest())
            applied = spoil(answer, asked, chunk, rng, self.rate)
        sent = []
        for path, node in quoted_values(answer):
            value = str(node.get("value", node.get("text")))
            row_name = None
            if "]." in path:
                row = get_path(answer, path.split("[")[0])[int(path.split("[")[1].split("]")[0])]
                row_name = str((row.get("name") or {}).get("value")) if row.get("name") else None
            right = self._right(report or {}, path, value, row_name)
            sent.append(
                Sent(
                    document,
                    section_id,
                    attempt,
                    path,
                    value,
                    right,
                    applied.get(path, ""),
                    row_name,
                    index,
                    str(node.get("quote", "")),
                )
            )
        with self._lock:
            self.sent.extend(sent)
        return answer

    @staticmethod
    def _right(report: dict[str, Any], path: str, value: str, row_name: str | None) -> bool:
        """Whether `value` is the gold value at `path` (a row's value: of the gold row of that name)."""
        m = re.fullmatch(r"(\w+)\[(\d+)\](?:\.(\w+))?", path)
        if m is None:
            gold = get_path(report, path)
            return gold is not None and values_equal(gold, value)[0]
        rows = report.get(m.group(1)) or []
        key = m.group(3)
        if key is None:  # an item: right when it is one of the gold items
            return any(values_equal(g, value)[0] for g in rows)
        named = [r for r in rows if isinstance(r, dict) and values_equal(r.get("name"), row_name)[0]]
        return any(r.get(key) is not None and values_equal(r.get(key), value)[0] for r in named)


# --- the HTTP server -----------------------------------------------------------------------------


def completion(body: dict[str, Any], payload: dict[str, Any], number: int) -> dict[str, Any]:
    """A chat.completion answering in the form the request asked for (tool call, JSON, markdown JSON)."""
    text = json.dumps(payload, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None}
    tools = body.get("tools") or []
    if tools:
        name = tools[0]["function"]["name"]
        message["tool_calls"] = [
            {"id": f"call_{number}", "type": "function", "function": {"name": name, "arguments": text}}
        ]
        finish = "tool_calls"
    elif (body.get("response_format") or {}).get("type") == "json_schema":
        message["content"], finish = text, "stop"
    else:
        message["content"], finish = f"```json\n{text}\n```", "stop"
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages") or [])
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": 0,
        "model": str(body.get("model") or "reader"),
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": len(text),
            "total_tokens": prompt + len(text),
        },
    }


class ReaderServer(JsonServer):
    """`with ReaderServer(Reader("perfect")) as server:` … `server.base_url` for the client."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.calls = 0
        super().__init__(poll_seconds=0.05)

    def respond(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Answer:
        if path.rstrip("/") != "/v1/chat/completions":
            return 404, {"error": {"message": f"no route {path}"}}, {}
        with self._lock:
            self.calls += 1
            number = self.calls
        return 200, completion(body, self.reader.answer(body), number), {}
