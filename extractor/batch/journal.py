"""The run journal: OUT/_runs/<run>.jsonl, one JSON line per file as it finishes.

The first line describes the run (arguments, options, versions); every other
line is one file: status (ok / error / skipped), the reason, the result's path
under OUT, the input's sha256, the options key, pages, timings and the
worker's peak memory. A line is flushed as soon as the file's result is
written, so a killed run's journal says exactly which files are done, and the
next run skips them ("up to date" = a journal line `ok` for the same result
path, input sha256 and options key, and the result file still there). A file
that failed is not tried again for the same input, options and limits (it
would fail the same way; --force retries it), except after a timeout or a
crashed worker, which may have been the machine's fault.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from extractor.batch.naming import RESERVED

RUNS = RESERVED


@dataclass(frozen=True)
class Done:
    """The latest finished attempt at one result path."""

    status: str
    sha256: str
    key: str
    limits_key: str
    failed_checks: dict[str, int]
    reason: str | None
    transient: bool


def run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}"


def load_done(out: Path) -> dict[str, Done]:
    """Result path → what made it, from every earlier run's journal (later lines win)."""
    done: dict[str, Done] = {}
    folder = out / RUNS
    if not folder.is_dir() or folder.is_symlink():
        return done
    for journal in sorted(folder.glob("*.jsonl")):
        try:
            lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a killed run may be cut short
            if not isinstance(entry, dict) or "output" not in entry:
                continue
            status = entry.get("status")
            if status in ("ok", "error") and isinstance(entry.get("sha256"), str):
                failed = entry.get("failed_checks")
                done[str(entry["output"])] = Done(
                    status=str(status),
                    sha256=entry["sha256"],
                    key=str(entry.get("options_key")),
                    limits_key=str(entry.get("limits_key")),
                    failed_checks=failed if isinstance(failed, dict) else {},
                    reason=entry.get("reason"),
                    transient=bool(entry.get("transient")),
                )
    return done


class Journal:
    """Appends one line per event to OUT/_runs/<run>.jsonl and flushes it."""

    def __init__(self, out: Path, header: dict[str, Any]) -> None:
        folder = out / RUNS
        if folder.is_symlink():
            raise OSError(f"{folder} is a symlink; remove it")
        folder.mkdir(exist_ok=True)
        base, attempt = run_id(), 1
        while True:  # two runs in the same second of one process (tests, notebooks) get -2, -3, ...
            self.id = base if attempt == 1 else f"{base}-{attempt}"
            self.path = folder / f"{self.id}.jsonl"
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
                break
            except FileExistsError:
                attempt += 1
        self._stream: TextIO = os.fdopen(fd, "w", encoding="utf-8")
        self.write({"run": self.id, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **header})

    def write(self, entry: dict[str, Any]) -> None:
        self._stream.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())

    def close(self) -> None:
        self._stream.close()


__all__ = ["RUNS", "Done", "Journal", "load_done"]
