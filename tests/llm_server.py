"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for the LLM tests.

It speaks `POST /v1/chat/completions` well enough for the real `openai` client and
instructor: each request gets the next scripted item for its response model (matched
by the tool's name, the json_schema's name, or the schema title that MD_JSON mode
puts in the system message), answered the way the request asked — a tool call, JSON
content, or JSON in a markdown fence — or as an HTTP error, or after a delay. Every
request is logged (headers and body) so tests can assert what went over the wire.
Loopback only; nothing here touches the network.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from extractor.eval.json_server import Answer, JsonServer

Format = Literal["auto", "tools", "json_schema", "md_json", "text"]


@dataclass(frozen=True)
class Reply:
    """A 200 answer. `payload` (a dict is sent as JSON, a str verbatim: invalid JSON on purpose)."""

    payload: dict[str, Any] | str
    fmt: Format = "auto"
    prompt_tokens: int = 100
    completion_tokens: int = 20
    finish_reason: str | None = None


@dataclass(frozen=True)
class Fail:
    """An HTTP error with an OpenAI-style error body."""

    status: int
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sleep:
    """Wait (longer than the client's timeout, typically), then answer `then`."""

    seconds: float
    then: Reply | Fail


Item = Reply | Fail | Sleep
Responder = Callable[[dict[str, Any]], Item]


def schema_name(body: dict[str, Any], candidates: list[str]) -> str | None:
    """The response model a request asks for."""
    tools = body.get("tools") or []
    if tools:
        return str(tools[0]["function"]["name"])
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    text = json.dumps(body.get("messages") or [], ensure_ascii=False)
    for name in candidates:
        if f'\\"title\\": \\"{name}\\"' in text:
            return name
    return None


def request_format(body: dict[str, Any]) -> Format:
    if body.get("tools"):
        return "tools"
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return "json_schema"
    return "md_json"


class ChatServer(JsonServer):
    """`with ChatServer() as server: server.script("Name", Reply({...}))`; `server.base_url` for the client."""

    def __init__(self, responder: Responder | None = None, model: str = "test-model") -> None:
        self.requests: list[dict[str, Any]] = []
        self._scripts: dict[str, list[Item]] = {}
        self._default: list[Item] = []
        self.responder = responder
        self.model = model
        super().__init__(poll_seconds=0.02)

    def script(self, name: str | None, *items: Item) -> None:
        """Queue answers for requests asking for response model `name` (None: any request)."""
        with self._lock:
            (self._default if name is None else self._scripts.setdefault(name, [])).extend(items)

    def bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests]

    def _next(self, body: dict[str, Any]) -> Item:
        with self._lock:
            name = schema_name(body, list(self._scripts))
            queue = self._scripts.get(name or "") or self._default
            if queue:
                return queue.pop(0)
        if self.responder is not None:
            return self.responder(body)
        return Fail(500, f"no scripted answer left for {name!r}")

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        text = (
            reply.payload if isinstance(reply.payload, str) else json.dumps(reply.payload, ensure_ascii=False)
        )
        fmt = request_format(body) if reply.fmt == "auto" else reply.fmt
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if fmt == "tools":
            name = (body.get("tools") or [{"function": {"name": "answer"}}])[0]["function"]["name"]
            message["tool_calls"] = [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}
            ]
            finish = "tool_calls"
        elif fmt == "md_json":
            message["content"] = f"Here is the answer:\n```json\n{text}\n```"
            finish = "stop"
        else:
            message["content"] = text
            finish = "stop"
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "finish_reason": reply.finish_reason or finish, "message": message}],
            "usage": {
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            },
        }

    def respond(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Answer:
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "body": body})
        if path.rstrip("/") != "/v1/chat/completions":
            return 404, {"error": {"message": f"no route {path}"}}, {}
        item = self._next(body)
        if isinstance(item, Sleep):
            time.sleep(item.seconds)
            item = item.then
        if isinstance(item, Fail):
            error = {"error": {"message": item.message, "type": "scripted", "code": item.status}}
            return item.status, error, item.headers or {}
        return 200, self._completion(body, item), {}
