"""On-disk answer cache: an unchanged re-run makes no request.

The key is (model, PROMPT_VERSION, the section's schema hash, the chunk's hash):
a new model, a changed prompt or response model, or a changed document each miss.
Only accepted answers are stored (grounded, checked), one JSON file per key,
written atomically; the API key is not part of an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_key(model: str, prompt_version: str, schema_hash: str, chunk_hash: str) -> str:
    text = json.dumps([model, prompt_version, schema_hash, chunk_hash])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(tmp, path)
