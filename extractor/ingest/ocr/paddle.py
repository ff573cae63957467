"""PaddleOCR as an optional engine, on model folders already on disk.

paddleocr downloads models by default; here it only ever gets local folders
(exported inference models: det, rec and optionally the text-line orientation /
angle classifier), given as options or through environment variables:

    EXTRACTOR_PADDLE_DET_DIR, EXTRACTOR_PADDLE_REC_DIR, EXTRACTOR_PADDLE_CLS_DIR

Both paddleocr 2.x (`PaddleOCR.ocr`) and 3.x (`PaddleOCR.predict`) are handled.
paddleocr does not give word boxes, so lines carry none.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from extractor.core.errors import EngineError, EngineUnavailable
from extractor.ingest.ocr.base import OcrLine, OcrResult, quad_to_box, to_bgr

ENV = {
    "det": "EXTRACTOR_PADDLE_DET_DIR",
    "rec": "EXTRACTOR_PADDLE_REC_DIR",
    "cls": "EXTRACTOR_PADDLE_CLS_DIR",
}
_INSTALL = "pip install 'fiscal-report-extractor[paddle]' paddlepaddle"


def _folder(kind: str, given: str | Path | None, required: bool) -> Path | None:
    value = given if given is not None else os.environ.get(ENV[kind])
    if not value:
        if required:
            raise EngineUnavailable(
                f"PaddleOCR needs a local {kind} model folder: pass {kind}_dir= or set {ENV[kind]} "
                "(models are never downloaded)"
            )
        return None
    path = Path(value)
    if not path.is_dir():
        raise EngineUnavailable(
            f"PaddleOCR {kind} model folder {path} does not exist (from {kind}_dir / {ENV[kind]})"
        )
    return path


class PaddleOcrEngine:
    """`OcrEngine` over PaddleOCR with local models; the model loads on the first `read`."""

    name = "paddle"

    def __init__(
        self,
        *,
        det_dir: str | Path | None = None,
        rec_dir: str | Path | None = None,
        cls_dir: str | Path | None = None,
        use_cls: bool = False,
    ) -> None:
        # Fail here, not on the first page: a missing install or folder is a setup problem.
        if importlib.util.find_spec("paddleocr") is None:
            raise EngineUnavailable(
                f"paddleocr is not installed: {_INSTALL}; or use the default engine 'rapidocr'"
            )
        self.det_dir = _folder("det", det_dir, required=True)
        self.rec_dir = _folder("rec", rec_dir, required=True)
        self.cls_dir = _folder("cls", cls_dir, required=use_cls)
        self.use_cls = use_cls and self.cls_dir is not None
        self._engine: Any = None
        self._major = 0

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_engine"] = None
        return state

    def _load(self) -> Any:
        if self._engine is not None:
            return self._engine
        try:
            import paddleocr
        except ImportError as exc:
            raise EngineUnavailable(f"paddleocr cannot be imported ({exc}): {_INSTALL}") from exc
        self._major = int(str(getattr(paddleocr, "__version__", "2")).split(".")[0] or 2)
        try:
            if self._major >= 3:
                self._engine = paddleocr.PaddleOCR(
                    text_detection_model_dir=str(self.det_dir),
                    text_recognition_model_dir=str(self.rec_dir),
                    textline_orientation_model_dir=str(self.cls_dir) if self.cls_dir else None,
                    use_textline_orientation=self.use_cls,
                    use_doc_orientation_classify=False,
                    use_doc_unwarping=False,
                )
            else:
                self._engine = paddleocr.PaddleOCR(
                    det_model_dir=str(self.det_dir),
                    rec_model_dir=str(self.rec_dir),
                    cls_model_dir=str(self.cls_dir) if self.cls_dir else None,
                    use_angle_cls=self.use_cls,
                    lang="ch",
                    show_log=False,
                )
        except Exception as exc:
            raise EngineError(
                f"paddleocr: could not load models from {self.det_dir}, {self.rec_dir} ({exc})"
            ) from exc
        return self._engine

    def read(self, image: np.ndarray) -> OcrResult:
        engine = self._load()
        try:
            if self._major >= 3:
                return _from_v3(engine.predict(to_bgr(image)))
            return _from_v2(engine.ocr(to_bgr(image), cls=self.use_cls))
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"paddleocr failed on a {image.shape} image: {exc}") from exc


def _from_v2(pages: Any) -> OcrResult:
    # [[ [quad, (text, score)], ... ]] per input image; an empty page is [None].
    items = (pages or [None])[0] or []
    return OcrResult(
        lines=tuple(
            OcrLine(text=str(text), box=quad_to_box(quad), confidence=float(score))
            for quad, (text, score) in items
        )
    )


def _from_v3(pages: Any) -> OcrResult:
    # One dict-like result per input image with parallel rec_texts / rec_scores / rec_polys.
    if not pages:
        return OcrResult()
    res = pages[0]
    return OcrResult(
        lines=tuple(
            OcrLine(text=str(text), box=quad_to_box(poly), confidence=float(score))
            for text, score, poly in zip(res["rec_texts"], res["rec_scores"], res["rec_polys"], strict=True)
        )
    )
