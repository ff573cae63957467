"""RapidOCR's own steps, run so that one page uses several cores.

RapidOCR runs a page as detect → (classify) → recognise, each line recognised on
its own. Detection is one large network run, which onnxruntime spreads over its
intra-op threads; recognition is dozens of small runs (one per text line, a few
milliseconds each) that onnxruntime cannot spread usefully. So detection runs in a
RapidOCR instance with `threads` intra-op threads, and recognition in a second
instance with one intra-op thread per run, its lines handed out to `threads`
Python threads, widest first and within a budget of line width in flight (memory)
(onnxruntime releases the GIL while a run computes; one session serves concurrent
runs). Both instances load only the model they use.

A line at least as wide as the model's minimum is recognised alone and the same way
as RapidOCR's own call does it, so its text, score and word boxes are RapidOCR's;
shorter lines (table cells) are recognised several to a run (rec_strips.py), which
reads a few of them differently.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from extractor.ingest.ocr.rec_strips import (
    REC_MIN_WIDTH,
    StripSettings,
    is_short,
    natural_width,
    plan_strips,
)


def rec_cost(crop: np.ndarray) -> float:
    """Relative cost of recognising one line crop alone: its width at the model's height, padded."""
    return float(max(REC_MIN_WIDTH, natural_width(crop)))


REC_WIDTH_IN_FLIGHT = 4000
"""Most line width (px at the model's height) recognised at once over all threads.
A run's buffers grow with the line's width (~50 MB per 1000 px); two full-width lines of
a landscape page at once would push a page past the 500 MB the pipeline stays under."""


class _Schedule:
    """Hands out line indices, widest first, keeping the width in flight within budget."""

    def __init__(self, costs: list[float], budget: float) -> None:
        self.costs = costs
        self.pending = sorted(range(len(costs)), key=lambda i: -costs[i])
        self.budget = budget
        self.in_flight = 0.0
        self.ready = threading.Condition()

    def take(self) -> int | None:
        with self.ready:
            while self.pending:
                # The widest line that fits; anything when nothing runs (a line wider than the budget).
                pick = next(
                    (i for i in self.pending if self.in_flight + self.costs[i] <= self.budget),
                    self.pending[0] if self.in_flight == 0 else None,
                )
                if pick is not None:
                    self.pending.remove(pick)
                    self.in_flight += self.costs[pick]
                    return pick
                self.ready.wait()
            return None

    def done(self, index: int) -> None:
        with self.ready:
            self.in_flight -= self.costs[index]
            self.ready.notify_all()


class StagedRapidOcr:
    """Callable like `RapidOCR` on one BGR/grayscale image; returns a RapidOCROutput."""

    def __init__(
        self,
        detector: Any,
        recogniser: Any,
        *,
        threads: int,
        use_cls: bool,
        after_recognition: Callable[[], None] | None = None,
        strips: StripSettings | None = None,
    ) -> None:
        self.detector = detector
        self.recogniser = recogniser
        self.threads = max(1, threads)
        self.use_cls = use_cls
        self.after_recognition = after_recognition
        """Called once a page's lines are recognised (to empty recognition's memory arena)."""
        self.strips = strips
        """How short lines are packed several to a run; None: each line alone, as RapidOCR does."""
        self.stage_seconds: dict[str, float] = {}
        """Wall seconds per step, summed over the pages read (for benchmarks)."""

    def __call__(self, image: np.ndarray) -> Any:
        from rapidocr.ch_ppocr_cls import TextClsOutput
        from rapidocr.main import RapidOCRError
        from rapidocr.utils.output import RapidOCROutput

        det = self.detector
        clock = time.perf_counter()
        original = det.load_img(image)
        scaled, record = det.preprocess_img(original)
        try:
            crops, det_res = det.detect_and_crop(scaled, record)
        except RapidOCRError:  # RapidOCR's way of saying "no text on this page"
            self._tick("detect", clock)
            return RapidOCROutput()
        release_freed_memory()
        clock = self._tick("detect", clock)
        cls_res = TextClsOutput()
        upright = crops
        if self.use_cls:
            upright, cls_res = self.recogniser.cls_and_rotate(crops)
            clock = self._tick("classify", clock)
        rec_res = self.recognise(upright)
        if self.after_recognition is not None:
            self.after_recognition()
        clock = self._tick("recognise", clock)
        output = det.build_final_output(original, det_res, cls_res, rec_res, crops, record)
        self._tick("word boxes", clock)
        return output

    def _tick(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + now - since
        return now

    def recognise(self, crops: list[np.ndarray]) -> Any:
        """RapidOCR's TextRecOutput for `crops`, recognised on up to `threads` threads.

        A line at least REC_MIN_WIDTH wide is one run; shorter ones go several to a run
        (rec_strips.py) unless `strips` is None. Runs go out widest first: later, narrower
        runs fit in the blocks the wider ones freed, so the heap does not grow with every
        new width."""
        from rapidocr.ch_ppocr_rec import TextRecOutput

        from extractor.ingest.ocr.rec_strips import compose, split_predictions, sure

        start = time.perf_counter()
        rec = self.recogniser
        short = [i for i, c in enumerate(crops) if self.strips is not None and is_short(c)]
        packed = set(short)
        alone = [i for i in range(len(crops)) if i not in packed]
        strips = plan_strips(crops, short, self.strips) if self.strips is not None else []
        costs = [rec_cost(crops[i]) for i in alone] + [float(s.width) for s in strips]
        schedule = _Schedule(costs, REC_WIDTH_IN_FLIGHT)
        results: list[tuple[str, float, Any]] = [("", 0.0, None)] * len(crops)

        def alone_run(i: int) -> None:
            r = rec.recognize_txt([crops[i]])
            results[i] = (r.txts[0], r.scores[0], r.word_results[0])

        def run(job: int) -> None:
            if job < len(alone):
                alone_run(alone[job])
                return
            assert self.strips is not None  # strips are planned only with settings
            strip = strips[job - len(alone)]
            model = rec._load_rec_model()
            preds = model.session(compose(crops, strip))
            reads = split_predictions(preds, strip, model.postprocess_op)
            for line, read in zip(strip.lines, reads, strict=True):
                if sure(read[2], self.strips):
                    results[line.crop] = read
                else:  # a character the model was unsure of beside others: read the line alone
                    alone_run(line.crop)

        def work() -> None:
            while (job := schedule.take()) is not None:
                try:
                    run(job)
                finally:
                    schedule.done(job)

        workers = min(self.threads, len(costs))
        if workers <= 1:
            work()
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr-rec") as pool:
                for future in [pool.submit(work) for _ in range(workers)]:
                    future.result()  # re-raises a failed run
        return TextRecOutput(
            imgs=crops,
            txts=tuple(r[0] for r in results),  # type: ignore[arg-type]  # RapidOCR annotates tuple[str]
            scores=[r[1] for r in results],
            word_results=tuple(r[2] for r in results),
            elapse=time.perf_counter() - start,
        )


def release_freed_memory() -> None:
    """Give the page's freed inference buffers back to the OS.

    onnxruntime (with its arena off) allocates a page's tensors through malloc;
    glibc keeps the freed blocks, and their fragments grow the process page after
    page. malloc_trim returns them: measured on the 9-page scan of sample 000,
    peak RSS 577 → 446 MB and resident after each page ~450 → ~210 MB. Called
    between detection and recognition too, so their peaks do not stack (with two
    threads, detection's ~100 MB of freed buffers otherwise sit under recognition's).
    Elsewhere (no glibc) there is nothing to do.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def tune_malloc_for_threads() -> None:
    """Keep a page read on several threads within the memory of a page read on one.

    Two glibc settings, measured on scanned pages read on two threads:
    - one arena for all threads (M_ARENA_MAX=1): by default each allocating thread
      gets its own, and memory one frees cannot serve another; on 8 pages of sample
      002 the peak fell from ~505 to ~430 MB, for the same CPU time;
    - blocks of 8 MB and more straight from mmap (M_MMAP_THRESHOLD; by default the
      threshold climbs to 32 MB after the first large free): detection's feature maps
      are that large, and from the heap they leave holes that the next page cannot
      reuse. Over the 82 pages of sample 002 the peak climbed past 500 MB without it
      and stayed near 420 MB with it, for ~10% more CPU (fresh pages to fault in).
    Process-wide; set before onnxruntime and our threads start. A no-op without glibc.
    """
    if _LIBC is not None and hasattr(_LIBC, "mallopt"):
        _LIBC.mallopt(_M_ARENA_MAX, 1)
        _LIBC.mallopt(_M_MMAP_THRESHOLD, 8 << 20)


_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
"""mallopt's parameter numbers (glibc malloc.h)."""


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
