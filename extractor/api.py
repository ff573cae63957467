"""The library surface: one options object in, one result type out.

    >>> from extractor import extract
    >>> result = extract("samples/pdf/002_d741ed2ca5e3f399.pdf")
    >>> result.reports[0].key_figures.income_total
    Decimal('1467.89')

Per-file work is a pure function of (path, options): picklable inputs, no
global state besides a per-process cache of loaded OCR models, so a process
pool can fan files out.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from extractor.core.errors import InputError
from extractor.core.limits import DEFAULT_LIMITS, MB, Limits, too_big
from extractor.core.types import LayoutDocument
from extractor.extract.llm.config import LlmConfig, MergeMode
from extractor.schemas import Finding, ResultDocument, Source

if TYPE_CHECKING:
    from extractor.eval.harness import Pipeline
    from extractor.ingest.ocr.base import OcrEngine

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
TEXT_SUFFIXES = {".txt", ".text"}


class ExtractOptions(BaseModel):
    """Everything that changes what `extract` returns."""

    model_config = ConfigDict(frozen=True)

    ocr: Literal["auto", "always", "never"] = "auto"
    ocr_engine: str = "rapidocr"
    backend: Literal["rules"] = "rules"
    checks: bool = True
    # --- LLM extraction (issue 5): merge mode and endpoint; see extractor/extract/llm/merge.py ---
    llm: MergeMode = "off"
    llm_config: LlmConfig | None = None
    """None: read from EXTRACTOR_LLM_* / EXTRACTOR_LLM_CONFIG when `llm` is not off."""
    # --- end LLM ---
    limits: Limits = DEFAULT_LIMITS
    """Bounds on pages, pixels and text size (issue 16); they refuse a file, never change a result."""


class ExtractionRun(BaseModel):
    """A result with the seconds each stage took."""

    model_config = ConfigDict(frozen=True)

    document: ResultDocument
    stage_seconds: dict[str, float]
    pages: int


_OCR_THREADS: list[int] = []


def set_ocr_threads(threads: int) -> None:
    """Threads per OCR engine in this process (a batch worker gets its share of the cores)."""
    wanted = [threads] if threads > 0 else []
    if wanted != _OCR_THREADS:
        _OCR_THREADS[:] = wanted
        _engine.cache_clear()


@functools.lru_cache(maxsize=4)
def _engine(name: str) -> OcrEngine:
    # Loading OCR models takes seconds: one engine per process and name.
    from extractor.ingest.ocr import get_engine

    if _OCR_THREADS and name == "rapidocr":
        return get_engine(name, threads=_OCR_THREADS[0])
    return get_engine(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _printable(name: str) -> str:
    """A file name as JSON-safe text: bytes that are not UTF-8 as \\xNN (never an encoding error)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    with path.open("rb") as handle:
        head = handle.read(5)
    if head.startswith(b"%PDF"):
        return "pdf"
    raise InputError(
        str(path), f"unsupported file type {suffix or '(no suffix)'}: give a PDF, an image or a .txt file"
    )


def layout_file(path: Path, options: ExtractOptions, timings: dict[str, float]) -> LayoutDocument:
    """Ingest and lay out one file (PDF, image or plain text)."""
    from extractor.layout.blocks import layout_pages

    if not path.exists():
        raise InputError(str(path), "file not found")
    if path.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    if not path.is_file():
        raise InputError(str(path), "is not a regular file (a device, FIFO or socket); give a file")
    if path.stat().st_size == 0:
        raise InputError(str(path), "file is empty (0 bytes)")
    kind = _kind_of(path)
    limits = options.limits
    start = time.perf_counter()
    if kind == "text":
        from extractor.ingest.text import layout_text

        size = path.stat().st_size
        if size > limits.max_text_mb * MB:
            raise InputError(
                str(path),
                too_big("the text", f"{size / MB:.1f} MB", f"{limits.max_text_mb:g} MB", "--max-text-mb"),
            )
        doc = layout_text(path)
        timings["ingest"] = time.perf_counter() - start
        return doc
    if kind == "pdf":
        from extractor.ingest.pdf import ingest_pdf

        factory = functools.partial(_engine, options.ocr_engine) if options.ocr != "never" else None
        pages = list(ingest_pdf(path, ocr=options.ocr, engine=factory, limits=limits))
    else:
        from extractor.ingest.image import page_from_image
        from extractor.ingest.image_files import iter_frames

        if options.ocr == "never":
            raise InputError(str(path), "is an image, which needs OCR, and OCR is off; run with --ocr auto")
        engine = _engine(options.ocr_engine)
        pages = []
        # Frames are decoded one at a time: a many-frame TIFF never sits in memory whole.
        for number, image in enumerate(iter_frames(path, limits), start=1):
            height, width = image.shape[:2]
            # Images carry no physical size: treat them as A4 at the scale of their width.
            pages.append(
                page_from_image(
                    image, number=number, width_pt=595.0, height_pt=595.0 * height / width, engine=engine
                )
            )
    timings["ingest"] = time.perf_counter() - start
    start = time.perf_counter()
    doc = layout_pages(str(path), pages)
    timings["layout"] = time.perf_counter() - start
    return doc


def run(path: str | Path, options: ExtractOptions | None = None) -> ExtractionRun:
    """Extract one file and time each stage."""
    from extractor.extract.draft import reports_of
    from extractor.extract.rules.dispatch import extract_drafts

    options = options or ExtractOptions()
    path = Path(path)
    timings: dict[str, float] = {}
    doc = layout_file(path, options, timings)
    start = time.perf_counter()
    drafts = extract_drafts(doc)
    timings["extract"] = time.perf_counter() - start
    if not drafts:
        raise InputError(
            str(path), "no 部门决算, 部门预算 or 绩效自评 report found (wrong kind of document?)"
        )
    # --- LLM extraction (issue 5): the model's answers merged into the rules' reports ---
    llm_findings: list[Finding] = []
    llm_info: dict[str, object] | None = None
    if options.llm != "off":
        from extractor.extract.llm.config import load_config, require_endpoint
        from extractor.extract.llm.merge import merge_llm

        start = time.perf_counter()
        config = require_endpoint(options.llm_config or load_config())
        merged = merge_llm(doc, drafts, mode=options.llm, config=config)
        drafts = [d.with_report(r) for d, r in zip(drafts, merged.reports, strict=True)]
        llm_findings, llm_info = merged.findings, merged.info
        timings["llm"] = time.perf_counter() - start
    # --- end LLM ---
    findings = []
    if options.checks:
        from extractor.check import check_drafts

        start = time.perf_counter()
        findings = check_drafts(drafts, layout=doc)  # layout: wording/contents checks (issue 17)

        timings["check"] = time.perf_counter() - start
    source: dict[str, object] = {
        "file": _printable(path.name),
        "sha256": _sha256(path),
        "pages": doc.n_pages,
        # Extension `source.path`: where the source was read, so `extractor check` can re-read it.
        "path": _printable(str(path.resolve())),
    }
    if turned := {str(page.number): page.turned for page in doc.pages if page.turned}:
        # Extension `source.turned`: pages read turned (degrees clockwise, page number → turn);
        # their evidence boxes are in the turned page's points (the review page shows it so).
        source["turned"] = turned
    result = ResultDocument(
        source=Source.model_validate(source),
        reports=reports_of(drafts),
        findings=findings + llm_findings,
    )
    if llm_info is not None:  # LLM (issue 5): extension field `llm` (model, prompt version, tokens)
        result = ResultDocument.model_validate({**result.model_dump(), "llm": llm_info})
    return ExtractionRun(document=result, stage_seconds=timings, pages=doc.n_pages)


def extract(path: str | Path, options: ExtractOptions | None = None) -> ResultDocument:
    """Extract every report in one file (PDF, scan, image or text) into REPORT_FORMAT v1."""
    return run(path, options).document


def eval_pipeline(backend: str) -> Pipeline:
    """The extractor as an eval pipeline (see `eval.harness`)."""
    from extractor.core.errors import ConfigError
    from extractor.eval.harness import PipelineRun

    if backend not in ("rules", "llm"):
        raise ConfigError(f"backend {backend!r} is not available: use --backend rules or llm")
    options = ExtractOptions()
    # --- LLM extraction (issue 5): --backend llm = rules + model (full merge), endpoint from the environment ---
    if backend == "llm":
        from extractor.llm_cli import llm_eval_pipeline

        return llm_eval_pipeline(run, options)
    # --- end LLM ---

    def pipeline(path: Path) -> PipelineRun:
        result = run(path, options)
        return PipelineRun(
            document=result.document.model_dump(mode="json"),
            pages=result.pages,
            stage_seconds=result.stage_seconds,
            info={"backend": backend},
        )

    return pipeline
