"""The per-file function every executor runs: a task in, an outcome out, nothing raised.

`process_file` is pure (picklable task and outcome, no shared state besides the
per-process OCR model cache), so the local process pool and Ray run exactly
the same code. It never writes files: the parent writes results and the
journal, so a killed worker can leave nothing half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import resource
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from extractor.api import ExtractOptions
from extractor.batch.failures import reason_for, traceback_text
from extractor.core.limits import MB, Limits

Format = Literal["json", "csv"]


class FileTask(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    options: ExtractOptions
    limits: Limits
    fmt: Format = "json"


class FileOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    status: Literal["ok", "error"]
    reason: str | None = None
    internal: bool = False
    transient: bool = False
    """A timeout or a dead worker: may be the machine's fault, so a resumed run tries again."""
    traceback: str | None = None
    payload: bytes | None = None
    """The result file's bytes (JSON or CSV)."""
    sha256: str | None = None
    pages: int = 0
    reports: dict[str, int] = {}
    failed_checks: dict[str, int] = {}
    """Failed findings per severity, for --fail-on."""
    summary: str | None = None
    stage_seconds: dict[str, float] = {}
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    llm: dict[str, object] | None = None


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions that change results; recorded in the journal, and part of "up to date"."""
    from importlib import metadata

    out = {}
    for name in ("fiscal-report-extractor", "pymupdf", "rapidocr", "onnxruntime"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def limits_key(limits: Limits) -> str:
    return hashlib.sha256(limits.model_dump_json().encode()).hexdigest()[:16]


def options_key(options: ExtractOptions, fmt: str) -> str:
    """A hash of everything that changes a result file: options, format, extractor version."""
    llm = options.llm_config
    data = {
        "fmt": fmt,
        "ocr": options.ocr,
        "ocr_engine": options.ocr_engine,
        "backend": options.backend,
        "checks": options.checks,
        "llm": options.llm,
        "llm_endpoint": [llm.base_url, llm.model] if llm and options.llm != "off" else None,
        "extractor": versions()["fiscal-report-extractor"],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _address_space() -> int:
    """Bytes of address space this process has mapped now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def memory_cap(limit_mb: int) -> Iterator[None]:
    """Let this process map at most `limit_mb` more address space while the block runs.

    A huge allocation then raises MemoryError instead of swapping the machine. The cap
    counts from what is already mapped: a Ray worker maps gigabytes before any task runs.
    """
    if not limit_mb:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + limit_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_file(task: FileTask) -> FileOutcome:
    """Extract one file; every failure becomes an outcome with a one-line reason."""
    from extractor.api import run

    start = time.perf_counter()
    try:
        with memory_cap(task.limits.max_memory_mb):
            result = run(Path(task.path), task.options.model_copy(update={"limits": task.limits}))
            doc = result.document
            if task.fmt == "json":
                from extractor.schemas import dump_result

                payload = dump_result(doc).encode("utf-8")
            else:
                from extractor.batch.formats import to_csv

                payload = to_csv(doc).encode("utf-8")
            from extractor.check import summary_line

            summary = summary_line(task.path, doc.findings)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        reason, internal = reason_for(exc, task.limits)
        return FileOutcome(
            path=task.path,
            status="error",
            reason=reason,
            internal=internal,
            traceback=traceback_text(exc) if internal else None,
            seconds=time.perf_counter() - start,
            peak_rss_mb=_peak_rss_mb(),
        )
    failed: dict[str, int] = {}
    for finding in doc.findings:
        if finding.status == "fail":
            failed[finding.severity] = failed.get(finding.severity, 0) + 1
    reports: dict[str, int] = {}
    for report in doc.reports:
        reports[report.kind] = reports.get(report.kind, 0) + 1
    llm = (doc.model_extra or {}).get("llm")
    return FileOutcome(
        path=task.path,
        status="ok",
        payload=payload,
        sha256=doc.source.sha256,
        pages=result.pages,
        reports=reports,
        failed_checks=failed,
        summary=summary,
        stage_seconds=result.stage_seconds,
        seconds=time.perf_counter() - start,
        peak_rss_mb=_peak_rss_mb(),
        llm=llm if isinstance(llm, dict) else None,
    )


__all__ = ["FileOutcome", "FileTask", "limits_key", "memory_cap", "options_key", "process_file", "versions"]
