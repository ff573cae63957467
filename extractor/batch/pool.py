"""The local executor: `--jobs` worker processes, each file isolated, each bounded in time and memory.

A worker takes one task at a time over a pipe. The parent watches every
worker's deadline: a file that runs past `--timeout` has its worker killed
(SIGKILL: MuPDF or onnxruntime may be deep in C code) and a fresh worker
started, so the batch goes on. A worker that dies on its own (a crash in a C
library, the kernel's OOM killer) costs that file one error line, too.
Workers ignore Ctrl-C; the parent stops them (see runner.py).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from extractor.batch.forkserver import context
from extractor.batch.work import FileOutcome, FileTask, process_file

OnStart = Callable[[FileTask], None]
OnDone = Callable[[FileTask, FileOutcome], None]


def _worker_main(conn: Connection, ocr_threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from extractor.api import set_ocr_threads

    set_ocr_threads(ocr_threads)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(process_file(task))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: FileTask | None = None
    started: float = 0.0


@dataclass
class LocalPool:
    jobs: int
    timeout_s: float
    ocr_threads: int = 1
    _workers: list[_Worker] = field(default_factory=list)

    def _spawn(self) -> _Worker:
        # A fork server imports the pipeline once and forks each worker from it: workers (and
        # the fresh one after a timeout) start in milliseconds, without the parent's state or
        # threads, and no worker repeats the second of imports on a shared CPU.
        ctx = context()
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child, self.ocr_threads), daemon=True)
        process.start()
        child.close()
        return _Worker(process=process, conn=parent)

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def close(self) -> None:
        """Stop every worker now (used on Ctrl-C/SIGTERM and at the end)."""
        for worker in self._workers:
            self._retire(worker)
        self._workers.clear()

    def run(self, tasks: Iterator[FileTask], on_start: OnStart, on_done: OnDone) -> None:
        pending = iter(tasks)
        try:
            exhausted = self._feed(pending, on_start)
            while True:
                busy = [w for w in self._workers if w.task is not None]
                if not busy:
                    if exhausted:
                        return
                    exhausted = self._feed(pending, on_start)
                    continue
                finished = self._wait(busy)
                # The freed workers get their next file before this process writes the results
                # (and fsyncs them): they read while it writes.
                exhausted = exhausted or self._feed(pending, on_start)
                for task, outcome in finished:
                    on_done(task, outcome)
        finally:
            self.close()

    def _feed(self, pending: Iterator[FileTask], on_start: OnStart) -> bool:
        """Give every idle worker a task, starting workers up to `jobs`; True once none is left."""
        for worker in self._workers:
            if worker.task is None:
                task = next(pending, None)
                if task is None:
                    return True
                self._assign(worker, task, on_start)
        while len(self._workers) < self.jobs:
            task = next(pending, None)
            if task is None:
                return True
            worker = self._spawn()
            self._workers.append(worker)
            self._assign(worker, task, on_start)
        return False

    def _assign(self, worker: _Worker, task: FileTask, on_start: OnStart) -> None:
        worker.task, worker.started = task, time.monotonic()
        on_start(task)
        worker.conn.send(task)

    def _wait(self, busy: list[_Worker]) -> list[tuple[FileTask, FileOutcome]]:
        """The outcomes of the files that finished (or ran out of time) while waiting."""
        finished: list[tuple[FileTask, FileOutcome]] = []
        now = time.monotonic()
        if self.timeout_s:
            soonest = min(w.started + self.timeout_s for w in busy)
            timeout = max(0.0, min(soonest - now, 1.0))
        else:
            timeout = 1.0
        by_handle: dict[Any, _Worker] = {}
        for w in busy:
            by_handle[w.conn] = w
            by_handle[w.process.sentinel] = w
        ready = wait(list(by_handle), timeout=timeout)
        handled: set[int] = set()
        for handle in ready:
            worker = by_handle[handle]
            if id(worker) in handled or worker.task is None:
                continue
            handled.add(id(worker))
            task = worker.task
            outcome: FileOutcome | None = None
            if worker.conn.poll():
                try:
                    outcome = worker.conn.recv()
                except (EOFError, OSError):
                    outcome = None
            if outcome is None:
                outcome = self._died(worker, task)
            worker.task = None
            finished.append((task, outcome))
        if self.timeout_s:
            now = time.monotonic()
            for worker in busy:
                if worker.task is not None and now - worker.started > self.timeout_s:
                    task = worker.task
                    self._replace(worker)
                    finished.append((task, _failed(task, self._timeout_reason(), now - worker.started)))
        return finished

    def _timeout_reason(self) -> str:
        return (
            f"took longer than the limit of {self.timeout_s:g} s per file and was stopped; "
            "raise it with --timeout if the file is genuine"
        )

    def _died(self, worker: _Worker, task: FileTask) -> FileOutcome:
        worker.process.join(5)
        code = worker.process.exitcode
        elapsed = time.monotonic() - worker.started
        self._replace(worker)
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                why = "the worker was killed (SIGKILL; out of memory?) while reading this file"
            else:
                why = f"the worker crashed ({name}) while reading this file: a damaged or hostile file"
        else:
            why = f"the worker exited unexpectedly (status {code}) while reading this file"
        return _failed(task, why + "; the rest of the batch goes on", elapsed)

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        index = self._workers.index(worker)
        self._workers[index] = self._spawn()


def _failed(task: FileTask, reason: str, seconds: float) -> FileOutcome:
    return FileOutcome(path=task.path, status="error", reason=reason, seconds=seconds, transient=True)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


__all__ = ["LocalPool", "OnDone", "OnStart", "default_jobs"]
