"""`--executor ray`: the same per-file function as Ray tasks, on a local Ray or an existing cluster.

Each file is one task (`max_retries=0`: a file that crashes its worker is an
error line, not a retry loop). At most as many tasks are in flight as the
cluster has CPUs, so a task's clock starts about when it is submitted; one
that runs past `--timeout` is cancelled with force (its worker is killed).
The memory cap is applied inside the task (`memory_cap`, restored after).
Results come back to this process, which writes them and the journal exactly
as with the local pool.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from extractor.batch.work import FileOutcome, FileTask, process_file
from extractor.core.errors import ConfigError


def _ray_process(task: FileTask) -> FileOutcome:
    from extractor.api import set_ocr_threads

    set_ocr_threads(1)  # one Ray task per CPU: each OCR engine gets one thread
    return process_file(task)


class RayExecutor:
    def __init__(self, address: str | None, timeout_s: float, max_in_flight: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ConfigError("--executor ray needs Ray: pip install 'fiscal-report-extractor[ray]'") from exc
        self.ray: Any = ray
        if not ray.is_initialized():
            ray.init(address=address or os.environ.get("RAY_ADDRESS"), log_to_driver=False)
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        self.in_flight = max(1, max_in_flight or cpus)
        self.timeout_s = timeout_s
        self.remote = ray.remote(num_cpus=1, max_retries=0)(_ray_process)
        self._running: dict[Any, tuple[FileTask, float]] = {}

    def run(
        self,
        tasks: Iterator[FileTask],
        on_start: Callable[[FileTask], None],
        on_done: Callable[[FileTask, FileOutcome], None],
    ) -> None:
        ray = self.ray
        pending = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(self._running) < self.in_flight:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                on_start(task)
                self._running[self.remote.remote(task)] = (task, time.monotonic())
            if not self._running:
                return
            ready, _ = ray.wait(list(self._running), num_returns=1, timeout=1.0)
            for ref in ready:
                task, started = self._running.pop(ref)
                on_done(task, self._get(ref, task, started))
            if self.timeout_s:
                now = time.monotonic()
                for ref, (task, started) in list(self._running.items()):
                    if now - started > self.timeout_s:
                        ray.cancel(ref, force=True)
                        del self._running[ref]
                        on_done(task, _failed(task, _timeout_reason(self.timeout_s), now - started))

    def _get(self, ref: Any, task: FileTask, started: float) -> FileOutcome:
        try:
            outcome: FileOutcome = self.ray.get(ref)
            return outcome
        except self.ray.exceptions.RayError as exc:
            # process_file never raises: this is the worker dying (a crash in a C library, the OOM killer).
            reason = f"the Ray worker died while reading this file ({type(exc).__name__}); the batch goes on"
            return _failed(task, reason, time.monotonic() - started)

    def close(self) -> None:
        for ref in list(self._running):
            self.ray.cancel(ref, force=True)
        self._running.clear()


def _timeout_reason(timeout_s: float) -> str:
    return (
        f"took longer than the limit of {timeout_s:g} s per file and was stopped; "
        "raise it with --timeout if the file is genuine"
    )


def _failed(task: FileTask, reason: str, seconds: float) -> FileOutcome:
    return FileOutcome(path=task.path, status="error", reason=reason, seconds=seconds, transient=True)


__all__ = ["RayExecutor"]
