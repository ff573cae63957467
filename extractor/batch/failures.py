"""What went wrong with one file, in one line: the user's input, or our bug.

Engines (MuPDF, Pillow, onnxruntime/OpenCV, the JSON parser) raise many exception
types on broken input, often builtins such as RuntimeError or ValueError raised
from inside their code. Where an exception was raised (the innermost traceback
frame) tells which library choked, so a damaged PDF reads "damaged PDF (MuPDF:
…)" instead of "internal error". Only an exception raised in our own code is an
internal error, and only those carry a traceback (into the run journal, not the
terminal).
"""

from __future__ import annotations

import traceback

from extractor.core.errors import EngineError, ExtractorError, InputError, raised_in
from extractor.core.limits import Limits

_ENGINES = {
    "pymupdf": "damaged or unsupported PDF (MuPDF: {msg}); check the file opens in a PDF viewer, "
    "or re-save it",
    "fitz": "damaged or unsupported PDF (MuPDF: {msg}); check the file opens in a PDF viewer, or re-save it",
    "mupdf": "damaged or unsupported PDF (MuPDF: {msg}); check the file opens in a PDF viewer, or re-save it",
    "PIL": "not a readable image (Pillow: {msg}); give a complete PNG, JPEG or TIFF",
    "onnxruntime": "OCR could not read this page image (onnxruntime: {msg}); check the scan is a normal page",
    "cv2": "OCR could not read this page image (OpenCV: {msg}); check the scan is a normal page",
    "rapidocr": "OCR could not read this page image (RapidOCR: {msg}); check the scan is a normal page",
    "json": "not valid JSON ({msg})",
}


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def reason_for(exc: BaseException, limits: Limits) -> tuple[str, bool]:
    """(reason, is_internal) for an exception raised while processing one file.

    The reason does not repeat the file name; the caller prints `error: FILE: reason`.
    """
    if isinstance(exc, InputError):
        return exc.reason, False
    if isinstance(exc, EngineError | ExtractorError):
        return _short(exc), False
    if isinstance(exc, MemoryError):
        cap = f"{limits.max_memory_mb} MB" if limits.max_memory_mb else "the machine's memory"
        return (
            f"needs more memory than the limit of {cap}; raise it with --max-memory if the file is genuine",
            False,
        )
    if isinstance(exc, ImportError):
        return (
            f"a library could not be loaded ({_short(exc)}): the installation is broken, "
            "or --max-memory is too low to load it",
            True,
        )
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (a damaged or hostile file)", False
    origin = raised_in(exc)
    if origin in _ENGINES:
        return _ENGINES[origin].format(msg=_short(exc)), False
    return f"internal error {type(exc).__name__}: {_short(exc)} (please report this file)", True


def traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


__all__ = ["reason_for", "traceback_text"]
