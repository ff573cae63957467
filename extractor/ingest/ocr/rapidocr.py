"""RapidOCR 3.x (PP-OCR models on onnxruntime), the default engine.

The models ship inside the rapidocr wheel; we point RapidOCR at those files
explicitly, because left to itself it resolves models through a download
helper. Nothing here touches the network.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

import numpy as np

from extractor.core.errors import EngineError, EngineUnavailable
from extractor.ingest.ocr.base import OcrLine, OcrResult, OcrWord, quad_to_box, to_bgr

# The files of the rapidocr 3.x wheel's default configuration (PP-OCRv6 small det/rec,
# the v2 mobile angle classifier); pass det_model/rec_model/cls_model to use others.
_DEFAULT_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def _bundled_models_dir() -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise EngineUnavailable("rapidocr is not installed: pip install 'rapidocr>=3,<4' onnxruntime")
    return Path(spec.origin).parent / "models"


class RapidOcrEngine:
    """`OcrEngine` over RapidOCR; the model loads on the first `read`.

    Options:
      word_boxes: ask RapidOCR for per-word (Latin/digits) and per-character (CJK)
        boxes, used to split a box that runs across a table border. Costs little.
      use_cls: run the 0°/180° text-line classifier. Off by default: pages are
        upright, and on short numbers the classifier sometimes flips a line.
      threads: onnxruntime intra-op threads (None: onnxruntime's default, all cores);
        set 1 when running one engine per process in a pool.
      text_score: RapidOCR drops lines recognised with less confidence than this.
      max_side_len: RapidOCR shrinks larger images to this before detection.
      det_side_len: the detector sees the page with its longer side at most this long.
        RapidOCR's default (shorter side at least 736) runs detection on the full
        200-dpi page; at 1024 an 8-pt table line is still ~10 px tall, and on the 97
        scanned sample pages it finds the same text (field F1 0.999 either way) while
        peak memory falls from ~990 to ~560 MB and time from ~4.4 to ~2.8 s/page.

      rec_batch: text lines recognised per batch. A batch is padded to its widest
        line, so short table cells next to a long sentence cost the sentence's
        width; 1 measured fastest and smallest on these documents.
      det_model/rec_model/cls_model: paths of other .onnx files.
    """

    name = "rapidocr"

    def __init__(
        self,
        *,
        word_boxes: bool = True,
        use_cls: bool = False,
        threads: int | None = None,
        text_score: float = 0.5,
        max_side_len: int = 2000,
        det_side_len: int = 1024,
        rec_batch: int = 1,
        det_model: str | Path | None = None,
        rec_model: str | Path | None = None,
        cls_model: str | Path | None = None,
    ) -> None:
        models = _bundled_models_dir()
        self.model_paths = {
            "Det": Path(det_model) if det_model else models / _DEFAULT_MODELS["Det"],
            "Rec": Path(rec_model) if rec_model else models / _DEFAULT_MODELS["Rec"],
            "Cls": Path(cls_model) if cls_model else models / _DEFAULT_MODELS["Cls"],
        }
        needed = ["Det", "Rec", "Cls"] if use_cls else ["Det", "Rec"]
        missing = [str(self.model_paths[k]) for k in needed if not self.model_paths[k].is_file()]
        if missing:
            raise EngineUnavailable(
                f"RapidOCR model files not found: {', '.join(missing)}; reinstall rapidocr "
                "(pip install --force-reinstall 'rapidocr>=3,<4') or pass det_model/rec_model paths"
            )
        self.word_boxes = word_boxes
        self.use_cls = use_cls
        self.threads = threads
        self.text_score = text_score
        self.max_side_len = max_side_len
        self.det_side_len = det_side_len
        self.rec_batch = rec_batch
        self._engine: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # An onnxruntime session does not pickle; each process loads its own on first use.
        state = self.__dict__.copy()
        state["_engine"] = None
        return state

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            # RapidOCR logs every model path at INFO, and a blank page ("text detection result
            # is empty") at WARNING, through its own stderr handler; both are normal here.
            "Global.log_level": "error",
            "Global.use_cls": self.use_cls,
            "Global.text_score": self.text_score,
            "Global.max_side_len": self.max_side_len,
            "Det.limit_type": "max",
            "Det.limit_side_len": self.det_side_len,
            "Rec.rec_batch_num": self.rec_batch,
            "Global.return_word_box": self.word_boxes,
            "Det.model_path": str(self.model_paths["Det"]),
            "Rec.model_path": str(self.model_paths["Rec"]),
            "Cls.model_path": str(self.model_paths["Cls"]),
        }
        if self.threads is not None:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = self.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        return params

    def _load(self) -> Any:
        if self._engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise EngineUnavailable(
                    f"rapidocr cannot be imported ({exc}): pip install 'rapidocr>=3,<4' onnxruntime"
                ) from exc
            try:
                self._engine = RapidOCR(params=self._params())
            except Exception as exc:  # config and onnxruntime errors come in many types
                raise EngineError(f"rapidocr: could not initialise ({exc})") from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return self._engine

    def read(self, image: np.ndarray) -> OcrResult:
        engine = self._load()
        try:
            output = engine(to_bgr(image), return_word_box=self.word_boxes)
        except Exception as exc:
            raise EngineError(f"rapidocr failed on a {image.shape} image: {exc}") from exc
        result = convert_output(output)
        _release_freed_memory()
        return result


def _release_freed_memory() -> None:
    """Give the page's freed inference buffers back to the OS.

    onnxruntime (with its arena off) allocates a page's tensors through malloc;
    glibc keeps the freed blocks, and their fragments grow the process page after
    page. malloc_trim returns them: measured on the 9-page scan of sample 000,
    peak RSS 577 → 446 MB and resident after each page ~450 → ~210 MB.
    Elsewhere (no glibc) there is nothing to do.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None  # not a C library we can name (e.g. a static or non-glibc build): no trimming
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None  # the library cannot be loaded here: no trimming, the same as on other systems
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _load_libc()


def convert_output(output: Any) -> OcrResult:
    """RapidOCROutput → OcrResult. An empty page gives an output whose fields are None."""
    boxes = getattr(output, "boxes", None)
    txts = getattr(output, "txts", None)
    scores = getattr(output, "scores", None)
    if boxes is None or txts is None or scores is None:
        return OcrResult()
    word_results = list(getattr(output, "word_results", None) or ())
    lines = []
    cursor = 0
    for quad, text, score in zip(boxes, txts, scores, strict=True):
        # RapidOCR drops the word list of a line that got no word boxes, so the two
        # sequences can fall out of step: take the next word list only if it spells this line.
        words: tuple[OcrWord, ...] = ()
        if cursor < len(word_results):
            candidate = _words(word_results[cursor])
            if candidate and _spells(candidate, str(text)):
                words = candidate
                cursor += 1
        lines.append(OcrLine(text=str(text), box=quad_to_box(quad), confidence=float(score), words=words))
    return OcrResult(lines=tuple(lines))


def _words(raw: Any) -> tuple[OcrWord, ...]:
    words = []
    for item in raw or ():
        if not isinstance(item, (tuple, list)) or len(item) != 3 or item[2] is None:
            return ()
        text, conf, quad = item
        words.append(OcrWord(text=str(text), box=quad_to_box(quad), confidence=float(conf)))
    return tuple(words)


def _spells(words: tuple[OcrWord, ...], text: str) -> bool:
    return "".join(w.text for w in words).replace(" ", "") == text.replace(" ", "")
