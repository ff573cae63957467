"""OCR engines: the protocol, the fake, get_engine, the RapidOCR adapter's conversion,
error wrapping, threads, page reuse and parallel recognition, and the PaddleOCR error
paths (paddleocr is not installed here).

None of these load a model; the real RapidOCR runs are in test_image_ingest.py.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from extractor.core.errors import ConfigError, EngineError, EngineUnavailable
from extractor.ingest.ocr import FakeOcrEngine, OcrEngine, OcrLine, OcrResult, OcrWord, get_engine
from extractor.ingest.ocr.ort_sessions import LookupDetInput, RecognitionArena, detector_sleeping_when_idle
from extractor.ingest.ocr.paddle import PaddleOcrEngine
from extractor.ingest.ocr.rapid_stages import StagedRapidOcr, rec_cost
from extractor.ingest.ocr.rapidocr import (
    MAX_AUTO_THREADS,
    THREADS_ENV,
    RapidOcrEngine,
    convert_output,
    resolve_threads,
)

IMAGE = np.full((20, 30), 255, dtype=np.uint8)


def _result(text: str) -> OcrResult:
    return OcrResult(lines=(OcrLine(text=text, box=(0, 0, 10, 5), confidence=0.9),))


def test_fake_engine_replays_in_order_and_records_history() -> None:
    engine = FakeOcrEngine([_result("一"), _result("二")])
    assert isinstance(engine, OcrEngine)
    assert engine.read(IMAGE).lines[0].text == "一"
    assert engine.read(IMAGE[:10]).lines[0].text == "二"
    assert [im.shape for im in engine.history] == [(20, 30), (10, 30)]
    with pytest.raises(EngineError, match="no scripted OCR result"):
        engine.read(IMAGE)


def test_fake_engine_with_a_script_function() -> None:
    engine = FakeOcrEngine(lambda image: _result(f"{image.shape[1]}px"), name="scripted")
    assert engine.read(IMAGE).lines[0].text == "30px"
    assert engine.name == "scripted"


def test_get_engine_rejects_unknown_names_and_options() -> None:
    with pytest.raises(ConfigError, match="unknown OCR engine 'tesseract'"):
        get_engine("tesseract")
    with pytest.raises(ConfigError, match="colour"):
        get_engine("rapidocr", colour=True)


def test_rapidocr_engine_is_cheap_to_build_and_pickles_without_its_model() -> None:
    engine = get_engine("rapidocr", threads=1)
    assert isinstance(engine, RapidOcrEngine) and engine.name == "rapidocr"
    assert engine._engine is None  # nothing loaded until the first read
    engine._engine = object()  # stands in for a loaded onnxruntime session
    copy = pickle.loads(pickle.dumps(engine))
    assert copy._engine is None and copy.threads == 1
    assert copy.model_paths == engine.model_paths
    assert all(p.is_file() for k, p in engine.model_paths.items() if k != "Cls")


def test_rapidocr_missing_model_file_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="model files not found"):
        RapidOcrEngine(det_model=tmp_path / "nope.onnx")


def test_rapidocr_failures_become_engine_errors_with_the_cause() -> None:
    engine = RapidOcrEngine()

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("onnx exploded")

    engine._engine = broken
    with pytest.raises(EngineError, match="onnx exploded") as info:
        engine.read(IMAGE)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_rapidocr_engine_gives_rgb_as_bgr() -> None:
    engine = RapidOcrEngine()
    seen: list[np.ndarray] = []

    def record(image: np.ndarray, **_: Any) -> Any:
        seen.append(image)
        return types.SimpleNamespace(boxes=None, txts=None, scores=None)

    engine._engine = record
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[..., 0] = 200  # red
    assert engine.read(rgb) == OcrResult()
    assert seen[0][0, 0].tolist() == [0, 0, 200]


def test_threads_come_from_the_option_then_the_environment_then_the_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert 1 <= resolve_threads(None) <= MAX_AUTO_THREADS
    assert resolve_threads(3) == 3
    monkeypatch.setenv(THREADS_ENV, "1")  # e.g. set by a process pool in its workers
    assert resolve_threads(None) == 1 and resolve_threads(2) == 2
    assert RapidOcrEngine().page_threads == 1
    monkeypatch.setenv(THREADS_ENV, "two")
    with pytest.raises(ConfigError, match=THREADS_ENV):
        resolve_threads(None)
    with pytest.raises(ConfigError, match="at least 1"):
        get_engine("rapidocr", threads=0)


def test_the_same_page_image_is_read_once() -> None:
    engine = RapidOcrEngine()
    calls: list[np.ndarray] = []

    def record(image: np.ndarray, **_: Any) -> Any:
        calls.append(image)
        return types.SimpleNamespace(boxes=np.array([_quad(0, 0, 9, 9)]), txts=("一",), scores=(0.9,))

    engine._engine = record
    page = np.full((40, 30), 255, dtype=np.uint8)
    first = engine.read(page)
    assert engine.read(page.copy()) == first and len(calls) == 1  # equal pixels, another array
    page[5, 5] = 0  # one pixel differs: a different page
    engine.read(page)
    engine.read(page.reshape(30, 40))  # same bytes, other shape: a different page
    assert len(calls) == 3
    assert pickle.loads(pickle.dumps(engine))._seen == {}


class _FakeRecogniser:
    """Stands in for RapidOCR's recognition: one crop per call, text = the crop's width;
    records the most line width recognised at once."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.lock = threading.Lock()
        self.in_flight = self.most = 0.0
        self.order: list[int] = []
        self.fail_on = fail_on

    def recognize_txt(self, crops: list[np.ndarray]) -> Any:
        (crop,) = crops
        cost = rec_cost(crop)
        with self.lock:
            self.in_flight += cost
            self.most = max(self.most, self.in_flight)
            self.order.append(crop.shape[1])
        time.sleep(0.002)
        with self.lock:
            self.in_flight -= cost
        if crop.shape[1] == self.fail_on:
            raise RuntimeError("onnx exploded")
        return types.SimpleNamespace(
            txts=(f"w{crop.shape[1]}",),
            scores=(0.5,),
            word_results=((f"w{crop.shape[1]}", 0.5, None),),
            elapse=0.0,
        )


def _crops(widths: list[int]) -> list[np.ndarray]:
    return [np.zeros((48, w, 3), dtype=np.uint8) for w in widths]


def test_parallel_recognition_keeps_the_lines_in_order_and_the_width_in_flight_in_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("extractor.ingest.ocr.rapid_stages.REC_WIDTH_IN_FLIGHT", 3000)
    widths = [100, 2900, 700, 1500, 1400, 320, 2600, 50, 900, 1200] * 3
    rec = _FakeRecogniser()
    out = StagedRapidOcr(None, rec, threads=3, use_cls=False).recognise(_crops(widths))
    assert list(out.txts) == [f"w{w}" for w in widths]
    assert [w[0] for w in out.word_results] == [f"w{w}" for w in widths]
    assert len(out.imgs) == len(widths) and rec.most <= 3000


def test_lines_are_recognised_side_by_side() -> None:
    # The first run waits for a second to start: only a parallel recognition finishes.
    started = threading.Barrier(2, timeout=10)

    class Waiting(_FakeRecogniser):
        def recognize_txt(self, crops: list[np.ndarray]) -> Any:
            if crops[0].shape[1] in (600, 500):
                started.wait()  # raises BrokenBarrierError after 10 s alone
            return super().recognize_txt(crops)

    out = StagedRapidOcr(None, Waiting(), threads=2, use_cls=False).recognise(_crops([500, 600]))
    assert out.txts == ("w500", "w600")


def test_one_thread_recognises_widest_first_and_a_failure_surfaces() -> None:
    rec = _FakeRecogniser()
    StagedRapidOcr(None, rec, threads=1, use_cls=False).recognise(_crops([300, 900, 40, 600]))
    assert rec.order == [900, 600, 300, 40]  # narrower runs reuse the blocks wider ones freed
    with pytest.raises(RuntimeError, match="onnx exploded"):
        StagedRapidOcr(None, _FakeRecogniser(fail_on=600), threads=2, use_cls=False).recognise(
            _crops([300, 900, 40, 600, 80, 70])
        )


def test_recognition_arena_leaves_other_backends_alone() -> None:
    # A recogniser whose session is not onnxruntime's (another RapidOCR backend): kept, and emptying is a no-op.
    session = types.SimpleNamespace(session=object())
    recogniser = types.SimpleNamespace(_load_rec_model=lambda: types.SimpleNamespace(session=session))
    arena = RecognitionArena(recogniser)
    arena.empty()
    assert arena.session is None
    detector = types.SimpleNamespace(_load_det_model=lambda: types.SimpleNamespace(session=session))
    before = session.session
    assert detector_sleeping_when_idle(detector, 2) is detector and session.session is before


@pytest.mark.parametrize("shape", [(2339, 1654, 3), (500, 1900, 3), (300, 200)])
def test_the_detection_input_by_lookup_is_rapidocrs_own_bit_for_bit(shape: tuple[int, ...]) -> None:
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    own = DetPreProcess(1024, "max", [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])  # unequal channels
    image = np.random.default_rng(7).integers(0, 256, shape, dtype=np.uint8)
    expected = own(image if image.ndim == 3 else np.dstack([image] * 3))
    got = LookupDetInput(own)(image if image.ndim == 3 else np.dstack([image] * 3))
    assert got is not None and expected is not None
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_the_engine_detects_through_the_lookup() -> None:
    from extractor.ingest.ocr import get_engine

    engine = get_engine("rapidocr", threads=1)
    engine._load()  # type: ignore[attr-defined]
    detector = engine._engine.detector  # type: ignore[attr-defined]
    assert isinstance(detector._load_det_model().get_preprocess(), LookupDetInput)


def _quad(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_convert_output_keeps_words_only_where_they_spell_the_line() -> None:
    # RapidOCR drops the word list of a line without word boxes, so lists can be out of step.
    output = types.SimpleNamespace(
        boxes=np.array([_quad(0, 0, 100, 20), _quad(0, 30, 100, 50), _quad(0, 60, 80, 80)]),
        txts=("合计", "1,467.89 12.00", "备注"),
        scores=(0.99, 0.95, 0.9),
        word_results=(
            (("1,467.89", 0.97, _quad(0, 30, 60, 50)), ("12.00", 0.93, _quad(70, 30, 100, 50))),
            (("备", 0.9, _quad(0, 60, 40, 80)), ("注", 0.9, _quad(40, 60, 80, 80))),
        ),
    )
    result = convert_output(output)
    assert [ln.text for ln in result.lines] == ["合计", "1,467.89 12.00", "备注"]
    assert result.lines[0].words == ()
    assert [w.text for w in result.lines[1].words] == ["1,467.89", "12.00"]
    assert result.lines[1].words[1].box == (70.0, 30.0, 100.0, 50.0)
    assert [w.text for w in result.lines[2].words] == ["备", "注"]
    assert result.lines[1].confidence == pytest.approx(0.95)


def test_convert_output_of_an_empty_page() -> None:
    assert convert_output(types.SimpleNamespace(boxes=None, txts=None, scores=None)) == OcrResult()


def test_paddle_without_paddleocr_says_what_to_install() -> None:
    with pytest.raises(EngineUnavailable, match=r"paddleocr is not installed: pip install"):
        get_engine("paddle")


@pytest.fixture
def fake_paddleocr(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A stand-in `paddleocr` 3.x module: records its options, returns one line."""
    module = types.ModuleType("paddleocr")
    module.__version__ = "3.0.2"  # type: ignore[attr-defined]
    module.__spec__ = types.SimpleNamespace(name="paddleocr")  # type: ignore[assignment]

    class PaddleOCR:
        def __init__(self, **options: Any) -> None:
            module.options = options  # type: ignore[attr-defined]

        def predict(self, image: np.ndarray) -> list[dict[str, Any]]:
            return [
                {"rec_texts": ["决算"], "rec_scores": [0.8], "rec_polys": [np.array(_quad(1, 2, 30, 12))]}
            ]

    module.PaddleOCR = PaddleOCR  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "paddleocr", module)
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object() if name == "paddleocr" else None)
    for var in ("EXTRACTOR_PADDLE_DET_DIR", "EXTRACTOR_PADDLE_REC_DIR", "EXTRACTOR_PADDLE_CLS_DIR"):
        monkeypatch.delenv(var, raising=False)
    return module


def test_paddle_needs_local_model_folders(fake_paddleocr: types.ModuleType, tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="EXTRACTOR_PADDLE_DET_DIR"):
        PaddleOcrEngine()
    with pytest.raises(EngineUnavailable, match="does not exist"):
        PaddleOcrEngine(det_dir=tmp_path / "missing", rec_dir=tmp_path)
    with pytest.raises(EngineUnavailable, match="EXTRACTOR_PADDLE_CLS_DIR"):
        PaddleOcrEngine(det_dir=tmp_path, rec_dir=tmp_path, use_cls=True)


def test_paddle_reads_with_local_folders_from_the_environment(
    fake_paddleocr: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "det").mkdir()
    (tmp_path / "rec").mkdir()
    monkeypatch.setenv("EXTRACTOR_PADDLE_DET_DIR", str(tmp_path / "det"))
    monkeypatch.setenv("EXTRACTOR_PADDLE_REC_DIR", str(tmp_path / "rec"))
    engine = get_engine("paddle")
    engine = pickle.loads(pickle.dumps(engine))
    result = engine.read(IMAGE)
    assert result.lines == (OcrLine(text="决算", box=(1.0, 2.0, 30.0, 12.0), confidence=0.8),)
    assert fake_paddleocr.options["text_detection_model_dir"] == str(tmp_path / "det")
    assert fake_paddleocr.options["use_textline_orientation"] is False


def test_ocr_types_are_frozen() -> None:
    word = OcrWord(text="1", box=(0, 0, 1, 1), confidence=1.0)
    with pytest.raises(ValueError):
        word.text = "2"  # type: ignore[misc]
