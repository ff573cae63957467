"""A JSON-over-HTTP server on 127.0.0.1, in a thread of its own: the scaffolding of the reader
endpoints (`eval/endpoints.py`) and of the tests' scripted chat server (`tests/llm_server.py`).

A subclass says what a POST answers (`respond`); this class binds a free loopback port, serves
in a daemon thread for the `with` block, parses the request's JSON, and sends the answer (a
client that gave up and left costs nothing). Nothing here touches the network.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

Answer = tuple[int, dict[str, Any], dict[str, str]]
"""(HTTP status, JSON body, extra headers)."""


class JsonServer:
    """`with Server() as server:` … `server.base_url` (an OpenAI-style `…/v1`) for the client."""

    def __init__(self, poll_seconds: float = 0.05) -> None:
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(poll_seconds,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def respond(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Answer:
        """The answer to one POST (called on the server's threads; guard shared state)."""
        raise NotImplementedError

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, payload, extra = server.respond(self.path, dict(self.headers), body)
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in extra.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

        return Handler
