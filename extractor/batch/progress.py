"""What the user sees while a batch runs: a live rich display on a terminal, plain lines otherwise.

Both print one line per finished file (ok / skip / error) on stderr; the rich
display adds a bar with files and pages done, pages/s, failures so far and the
ETA, kept below those lines.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Protocol

from extractor.batch.naming import display


class Reporter(Protocol):
    def start(self, total: int) -> None: ...
    def line(self, text: str) -> None: ...
    def file_done(self, pages: int, failed: bool) -> None: ...
    def stop(self) -> None: ...


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class PlainReporter:
    """Line per file; for logs, pipes and --quiet."""

    def start(self, total: int) -> None:
        self.total = total

    def line(self, text: str) -> None:
        _err(text)

    def file_done(self, pages: int, failed: bool) -> None:
        return None

    def stop(self) -> None:
        return None


class RichReporter:
    """A live bar: files, pages, pages/s, failures, ETA."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]extract"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[pages]} pages · {task.fields[rate]} pages/s"),
            TextColumn("· [red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.pages = 0
        self.failed = 0
        self.began = time.monotonic()

    def start(self, total: int) -> None:
        self.began = time.monotonic()
        self.task = self.progress.add_task("extract", total=total, pages=0, rate="0.0", failed=0)
        self.progress.start()

    def line(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def file_done(self, pages: int, failed: bool) -> None:
        self.pages += pages
        self.failed += int(failed)
        rate = self.pages / max(time.monotonic() - self.began, 1e-9)
        self.progress.update(self.task, advance=1, pages=self.pages, rate=f"{rate:.1f}", failed=self.failed)

    def stop(self) -> None:
        self.progress.stop()


def reporter(quiet: bool) -> Reporter:
    """rich on a terminal (and when rich is installed), else plain lines."""
    if not quiet and sys.stderr.isatty():
        try:
            return RichReporter()
        except ImportError:
            pass
    return PlainReporter()


__all__ = ["PlainReporter", "Reporter", "RichReporter", "display", "reporter"]
