"""A batch: inputs → tasks (skipping what is up to date) → an executor → result files and a journal.

The parent alone writes: each result atomically under OUT, then its journal
line. Ctrl-C or SIGTERM stops the executor (its workers are killed), removes
nothing that is finished, leaves no partial file, and says how to resume.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from extractor.api import ExtractOptions
from extractor.batch.journal import Done, Journal, load_done
from extractor.batch.naming import BatchInput, display
from extractor.batch.order import scan_input
from extractor.batch.progress import Reporter
from extractor.batch.store import sweep_parts, write_atomic
from extractor.batch.work import FileOutcome, FileTask, Format, limits_key, options_key, versions
from extractor.core.limits import Limits

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Executor(Protocol):
    def run(
        self,
        tasks: Iterator[FileTask],
        on_start: Callable[[FileTask], None],
        on_done: Callable[[FileTask, FileOutcome], None],
    ) -> None: ...

    def close(self) -> None: ...


class Interrupted(Exception):
    """SIGTERM, turned into an exception so the batch stops the same way as on Ctrl-C."""


@dataclass
class BatchResult:
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    failed_checks: dict[str, int] = field(default_factory=dict)
    outcomes: list[FileOutcome] = field(default_factory=list)
    journal: Path | None = None
    interrupted: bool = False


@dataclass
class Batch:
    out: Path | None
    """None: results go to stdout (--stdout)."""
    options: ExtractOptions
    limits: Limits
    fmt: Format
    force: bool
    reporter: Reporter
    header: dict[str, Any] = field(default_factory=dict)
    on_result: Callable[[FileOutcome], None] | None = None
    """Called in the parent for each successful file (the LLM ledger counts tokens here)."""
    options_for_next: Callable[[ExtractOptions], ExtractOptions] | None = None

    key: str = field(init=False, default="")
    limits_key: str = field(init=False, default="")
    journal: Journal | None = field(init=False, default=None)

    def run(self, inputs: list[BatchInput], executor: Executor) -> BatchResult:
        result = BatchResult()
        self.key, self.limits_key = options_key(self.options, self.fmt), limits_key(self.limits)
        if self.out is not None:
            swept = sweep_parts(self.out)
            if swept:
                self.reporter.line(f"note: removed {swept} partial file(s) left by an interrupted run")
            self.journal = Journal(self.out, {**self.header, "versions": versions()})
            result.journal = self.journal.path
        done = load_done(self.out) if self.out is not None and not self.force else {}
        by_path = {os.fspath(item.path): item for item in inputs}
        hashes: dict[str, str | None] = {}

        def tasks() -> Iterator[FileTask]:
            # The most work first (see order.py); the same read hashes each input (computed here,
            # so that failed files are journalled with their sha256 too).
            scans = {os.fspath(item.path): scan_input(item.path) for item in inputs}
            for item in sorted(inputs, key=lambda item: scans[os.fspath(item.path)].work, reverse=True):
                path = os.fspath(item.path)
                hashes[path] = scans[path].sha256
                if self._up_to_date(item, hashes[path], done, result):
                    continue
                options = self.options_for_next(self.options) if self.options_for_next else self.options
                yield FileTask(path=path, options=options, limits=self.limits, fmt=self.fmt)

        def on_start(task: FileTask) -> None:
            return None

        def on_done(task: FileTask, outcome: FileOutcome) -> None:
            self._finish(by_path[task.path], hashes.get(task.path), outcome, result)

        previous = signal.signal(signal.SIGTERM, _raise_interrupted)
        self.reporter.start(len(inputs))
        try:
            executor.run(tasks(), on_start, on_done)
        except (KeyboardInterrupt, Interrupted):
            executor.close()
            result.interrupted = True
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.reporter.stop()
            if self.journal is not None:
                event = "interrupted" if result.interrupted else "finished"
                self.journal.write({"event": event, **_counts(result)})
                self.journal.close()
        return result

    def _up_to_date(
        self, item: BatchInput, sha: str | None, done: dict[str, Done], result: BatchResult
    ) -> bool:
        """Whether an earlier run already finished this input with these options (then say so)."""
        if self.out is None or self.force or sha is None:
            return False
        output = "/".join(item.output(self.fmt))
        previous = done.get(output)
        if previous is None or previous.key != self.key or previous.sha256 != sha:
            return False
        name = display(item.path)
        entry: dict[str, Any] = {"file": name, "output": output, "status": "skipped", "sha256": sha}
        if previous.status == "ok":
            target = self.out.joinpath(*item.output(self.fmt))
            if not target.is_file() or target.is_symlink():
                return False
            result.skipped += 1
            for severity, n in previous.failed_checks.items():  # --fail-on sees the whole batch
                result.failed_checks[severity] = result.failed_checks.get(severity, 0) + int(n)
            self.reporter.line(f"skip: {name} (up to date: {display(target)})")
            self.reporter.file_done(0, failed=False)
            entry["failed_checks"] = previous.failed_checks
        else:
            if previous.transient or previous.limits_key != self.limits_key:
                return False
            result.failed += 1
            self.reporter.line(
                f"error: {name}: {previous.reason} (as in an earlier run; --force tries again)"
            )
            self.reporter.file_done(0, failed=True)
            entry.update({"previous": "error", "reason": previous.reason})
        if self.journal is not None:
            self.journal.write(entry)
        return True

    def _finish(self, item: BatchInput, sha: str | None, outcome: FileOutcome, result: BatchResult) -> None:
        output = "/".join(item.output(self.fmt))
        name = display(item.path)
        entry: dict[str, Any] = {
            "file": name,
            "output": output,
            "status": outcome.status,
            "sha256": sha,
            "options_key": self.key,
            "limits_key": self.limits_key,
            "pages": outcome.pages,
            "seconds": round(outcome.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in outcome.stage_seconds.items()},
            "peak_rss_mb": round(outcome.peak_rss_mb, 1),
            "reports": outcome.reports,
            "failed_checks": outcome.failed_checks,
        }
        if outcome.status == "ok" and outcome.payload is not None:
            try:
                where = self._emit(item, outcome.payload)
            except OSError as exc:
                outcome = outcome.model_copy(
                    update={"status": "error", "reason": f"cannot write the result ({exc.strerror or exc})"}
                )
                entry["status"] = "error"
            else:
                result.ok += 1
                result.pages += outcome.pages
                for severity, n in outcome.failed_checks.items():
                    result.failed_checks[severity] = result.failed_checks.get(severity, 0) + n
                if self.on_result:
                    self.on_result(outcome)
                if outcome.summary:
                    self.reporter.line(outcome.summary.replace(outcome.path, name, 1))
                kinds = ", ".join(f"{n}×{k}" for k, n in outcome.reports.items())
                self.reporter.line(
                    f"ok: {name} → {where} ({outcome.pages} pages, {kinds}, {outcome.seconds:.2f} s)"
                )
        if outcome.status == "error":
            result.failed += 1
            # One line per file, whatever an engine's message holds.
            outcome = outcome.model_copy(update={"reason": " ".join(str(outcome.reason).split())})
            entry.update(
                {"reason": outcome.reason, "internal": outcome.internal, "transient": outcome.transient}
            )
            if outcome.traceback:
                entry["traceback"] = outcome.traceback
            self.reporter.line(f"error: {name}: {outcome.reason}")
        if self.journal is not None:
            self.journal.write(entry)
        result.outcomes.append(outcome.model_copy(update={"payload": None}))
        self.reporter.file_done(outcome.pages, failed=outcome.status == "error")

    def _emit(self, item: BatchInput, payload: bytes) -> str:
        if self.out is None:
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
            return "stdout"
        return display(write_atomic(self.out, item.output(self.fmt), payload))


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def _counts(result: BatchResult) -> dict[str, int]:
    return {"ok": result.ok, "skipped": result.skipped, "failed": result.failed, "pages": result.pages}


__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "Batch", "BatchResult", "Executor"]
