"""onnxruntime sessions for RapidOCR's models, set up for how we run them.

RapidOCR's config passes only threads and the memory arena switch to onnxruntime, and
one arena setting for all models; the sessions are rebuilt here with RapidOCR's own
settings (full graph optimisation, log level) plus what measured better. Each rebuild
loads the model once more at start-up (~0.1 s). Outputs are unchanged: the same model
and kernels, only threads and memory handled differently.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from extractor.ingest.ocr.rec_strips import REC_HEIGHT


def _options(ort: Any, *, threads: int, arena: bool) -> Any:
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = arena
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return options


def _ort_wrapper(model: Any) -> Any:
    """RapidOCR's session wrapper of a loaded model if it runs on onnxruntime, else None."""
    import onnxruntime as ort  # type: ignore[import-untyped]  # no annotations; rapidocr installs it

    wrapper = getattr(model, "session", None)
    return wrapper if isinstance(getattr(wrapper, "session", None), ort.InferenceSession) else None


def detector_sleeping_when_idle(detector: Any, threads: int) -> Any:
    """`detector` (a RapidOCR instance) with its detection session rebuilt so that idle
    intra-op threads sleep rather than spin.

    onnxruntime's threads spin for a while after each parallel section by default, which
    buys latency with CPU. Detection is a few large convolutions per page; between them,
    and while recognition and the ruling search run on the other core, the spinning thread
    only burns a core. Measured on 25 sample scan pages on 2 cores (load 4): CPU 1.82 →
    1.68 and 1.85 → 1.66 s/page, wall no worse.
    """
    import onnxruntime as ort

    wrapper = _ort_wrapper(detector._load_det_model())
    if wrapper is None:
        # Another backend (or a RapidOCR whose layout changed): its session stays as it is;
        # this saves CPU only, and the text is the same either way.
        return detector
    options = _options(ort, threads=threads, arena=False)  # freed buffers go back (release_freed_memory)
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    wrapper.session = ort.InferenceSession(
        str(detector.cfg.Det.model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return detector


class RecognitionArena:
    """Recognition's session with onnxruntime's memory arena on, emptied after each page.

    Without an arena every run mallocs its tensors afresh, and those of 8 MB and more (the
    class scores of a long line: width/8 steps × 18,710 classes) come straight from mmap
    (tune_malloc_for_threads) as new pages the kernel must zero: ~150,000 page faults a
    page. With the arena a page's runs reuse each other's blocks; `empty` (one tiny run with
    arena shrinkage) hands them all back once the page is done, so detection of the next
    page does not stack on them. Measured on 25 sample scan pages, 2 threads: CPU 1.57 →
    1.41 and 1.43 s/page (system time 7.8 → 3.5 s), page faults 4.2 M → 1.7 M, peak RSS
    425 → 416 and 419 MB.
    """

    def __init__(self, recogniser: Any) -> None:
        import onnxruntime as ort

        self.session: Any = None
        wrapper = _ort_wrapper(recogniser._load_rec_model())
        if wrapper is None:
            return  # another backend: nothing to empty
        self.session = ort.InferenceSession(
            str(recogniser.cfg.Rec.model_path),
            sess_options=_options(ort, threads=1, arena=True),
            providers=["CPUExecutionProvider"],
        )
        wrapper.session = self.session
        self._shrink = ort.RunOptions()
        self._shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self._tiny = {self.session.get_inputs()[0].name: np.zeros((1, 3, REC_HEIGHT, 16), dtype=np.float32)}

    def empty(self) -> None:
        """Give the arena's free blocks back; call when no recognition runs."""
        if self.session is not None:
            self.session.run(None, self._tiny, self._shrink)


def detector_input_by_lookup(detector: Any) -> Any:
    """`detector` (a RapidOCR instance) with its detection input built by table lookup.

    RapidOCR normalises the resized page in numpy, (x / 255 − mean) / std over every pixel
    in float64, then transposes and copies it: ~60 ms a page on one core, before detection
    can start. A uint8 pixel has 256 values, so the same arithmetic done once per value and
    looked up gives the same tensor, bit for bit (tests/test_ocr_engines.py), in ~15 ms.
    A RapidOCR whose detector is laid out otherwise is left as it is.
    """
    model = detector._load_det_model()
    make = getattr(model, "get_preprocess", None)
    if make is None:
        return detector
    own = make()
    if not all(hasattr(own, name) for name in ("resize", "scale", "mean", "std")):
        return detector
    lookup = LookupDetInput(own)  # the tables once, not on every page
    model.get_preprocess = lambda: lookup
    return detector


class LookupDetInput:
    """RapidOCR's DetPreProcess (resize, normalise, to 1×C×H×W float32) with the normalising
    step as a per-channel lookup table of RapidOCR's own arithmetic."""

    def __init__(self, own: Any) -> None:
        self.own = own
        values = np.arange(256, dtype=np.uint8).astype("float32") * own.scale
        mean, std = np.asarray(own.mean), np.asarray(own.std)
        self.tables = [np.asarray((values - mean[c]) / std[c], dtype=np.float32) for c in range(len(mean))]

    def __call__(self, img: np.ndarray) -> np.ndarray | None:
        resized = self.own.resize(img)
        if resized is None:
            return None
        if resized.dtype != np.uint8 or resized.ndim != 3 or resized.shape[2] != len(self.tables):
            fallback: np.ndarray | None = self.own(img)  # not what the tables cover: RapidOCR's own way
            return fallback
        out = np.empty((1, len(self.tables), *resized.shape[:2]), dtype=np.float32)
        for channel, table in enumerate(self.tables):
            np.take(table, resized[:, :, channel], out=out[0, channel])
        return out
