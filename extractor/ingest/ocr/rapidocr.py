"""RapidOCR 3.x (PP-OCR models on onnxruntime), the default engine.

The models ship inside the rapidocr wheel; we point RapidOCR at those files
explicitly, because left to itself it resolves models through a download
helper. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from extractor.core.errors import ConfigError, EngineError, EngineUnavailable
from extractor.ingest.ocr.base import OcrLine, OcrResult, OcrWord, quad_to_box, to_bgr
from extractor.ingest.ocr.ort_sessions import (
    RecognitionArena,
    detector_input_by_lookup,
    detector_sleeping_when_idle,
)
from extractor.ingest.ocr.rapid_stages import StagedRapidOcr, release_freed_memory, tune_malloc_for_threads
from extractor.ingest.ocr.rec_strips import StripSettings

DEFAULT_STRIPS = StripSettings()

# The files of the rapidocr 3.x wheel's default configuration (PP-OCRv6 small det/rec,
# the v2 mobile angle classifier); pass det_model/rec_model/cls_model to use others.
_DEFAULT_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


THREADS_ENV = "EXTRACTOR_OCR_THREADS"
MAX_AUTO_THREADS = 4
"""Recognition gains little past a few threads (a page has tens of lines, detection one run)."""


def resolve_threads(threads: int | None) -> int:
    """Cores one page may use: the option, else $EXTRACTOR_OCR_THREADS, else the CPUs this
    process may run on (capped). A process pool running files in parallel should pass its
    share, or set the variable in its workers, so files × pages do not oversubscribe."""
    if threads is None:
        raw = os.environ.get(THREADS_ENV, "").strip()
        if raw:
            try:
                threads = int(raw)
            except ValueError:
                raise ConfigError(f"${THREADS_ENV}={raw!r} is not a whole number of threads") from None
        else:
            available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
            return max(1, min(available or 1, MAX_AUTO_THREADS))
    if threads < 1:
        raise ConfigError(f"OCR threads must be at least 1 (got {threads})")
    return threads


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
      threads: cores one page may use: detection's onnxruntime intra-op threads, and
        the threads recognition shares a page's lines over (see rapid_stages.py).
        None: $EXTRACTOR_OCR_THREADS if set, else the cores this process may run on
        (at most MAX_AUTO_THREADS). A batch that runs files in parallel passes its
        share of the cores (1 for one engine per core), so pages never oversubscribe.
      text_score: RapidOCR drops lines recognised with less confidence than this.
      max_side_len: RapidOCR shrinks larger images to this before detection.
      det_side_len: the detector sees the page with its longer side at most this long.
        RapidOCR's default (shorter side at least 736) runs detection on the full
        200-dpi page; at 1024 an 8-pt table line is still ~10 px tall, and on the 97
        scanned sample pages it finds the same text (field F1 0.999 either way) while
        peak memory falls from ~990 to ~560 MB and time from ~4.4 to ~2.8 s/page.
      det_model/rec_model/cls_model: paths of other .onnx files.
      strips: how lines narrower than the recognition model's 320-px minimum (table
        cells) are read several to a run (rec_strips.py); None reads each alone, the
        way RapidOCR does.

    A text line of at least 320 px (at the model's height) is recognised alone: a batch
    is padded to its widest line, so short table cells next to a long sentence would
    cost the sentence's width; one per run measured fastest and smallest, and lets runs
    go to parallel threads. Shorter lines share runs (`strips`).
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
        det_model: str | Path | None = None,
        rec_model: str | Path | None = None,
        cls_model: str | Path | None = None,
        strips: StripSettings | None = DEFAULT_STRIPS,
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
        self.page_threads = resolve_threads(threads)
        self.text_score = text_score
        self.max_side_len = max_side_len
        self.det_side_len = det_side_len
        self.strips = strips
        self._engine: Any = None
        self._seen: OrderedDict[bytes, OcrResult] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        # An onnxruntime session does not pickle; each process loads its own on first use.
        state = self.__dict__.copy()
        state["_engine"] = None
        state["_seen"] = OrderedDict()
        return state

    def _params(self, threads: int) -> dict[str, Any]:
        params: dict[str, Any] = {
            # RapidOCR logs every model path at INFO, and a blank page ("text detection result
            # is empty") at WARNING, through its own stderr handler; both are normal here.
            "Global.log_level": "error",
            "Global.use_cls": self.use_cls,
            "Global.text_score": self.text_score,
            "Global.max_side_len": self.max_side_len,
            "Det.limit_type": "max",
            "Det.limit_side_len": self.det_side_len,
            "Rec.rec_batch_num": 1,
            "Global.return_word_box": self.word_boxes,
            "Det.model_path": str(self.model_paths["Det"]),
            "Rec.model_path": str(self.model_paths["Rec"]),
            "Cls.model_path": str(self.model_paths["Cls"]),
        }
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
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
            if self.page_threads > 1:
                tune_malloc_for_threads()  # before onnxruntime and our threads start
            try:
                # Two instances, each loading only the model it runs: detection with all
                # of the page's threads, recognition with one per run (runs in parallel).
                # (ort_sessions.py: detection's idle threads sleep; recognition reuses its
                # memory within a page and hands it back after.)
                recogniser = RapidOCR(params=self._params(1))
                self._engine = StagedRapidOcr(
                    detector_input_by_lookup(
                        detector_sleeping_when_idle(
                            RapidOCR(params=self._params(self.page_threads)), self.page_threads
                        )
                    ),
                    recogniser,
                    threads=self.page_threads,
                    use_cls=self.use_cls,
                    after_recognition=RecognitionArena(recogniser).empty,
                    strips=self.strips,
                )
            except Exception as exc:  # config and onnxruntime errors come in many types
                raise EngineError(f"rapidocr: could not initialise ({exc})") from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return self._engine

    def read(self, image: np.ndarray) -> OcrResult:
        key = _image_key(image)
        if key in self._seen:  # the same page image again (an attachment printed twice)
            self._seen.move_to_end(key)
            return self._seen[key]
        engine = self._load()
        try:
            output = engine(to_bgr(image))
        except Exception as exc:
            raise EngineError(f"rapidocr failed on a {image.shape} image: {exc}") from exc
        result = convert_output(output)
        release_freed_memory()
        self._seen[key] = result
        if len(self._seen) > SEEN_PAGES:
            self._seen.popitem(last=False)
        return result

    @property
    def stage_seconds(self) -> dict[str, float]:
        """Wall seconds per OCR step over the pages read so far (empty before the first)."""
        return dict(getattr(self._engine, "stage_seconds", {}))


SEEN_PAGES = 16
"""Results kept for reuse (the least recently used go first): ~0.4 MB each for a full
table page, so a few MB, and far enough back for a form or attachment printed again."""


def _image_key(image: np.ndarray) -> bytes:
    """A digest of the pixels and shape: equal keys mean the same image, so the same result."""
    digest = hashlib.blake2b(repr((image.shape, image.dtype.str)).encode(), digest_size=20)
    digest.update(np.ascontiguousarray(image).data)
    return digest.digest()


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
