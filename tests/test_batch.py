"""Bulk runs: per-file isolation (timeout, memory cap), journal, resume after a kill, exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from hostile import png_bomb

from extractor.batch.naming import collect, safe_component
from extractor.check.policy import fails_counts
from extractor.cli import main

GOOD = SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf"
SCAN = SAMPLES / "scan" / "003_fa808c88f47e4303.pdf"


def _journal(out: Path) -> list[dict[str, object]]:
    lines = []
    for path in sorted((out / "_runs").glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines


def _results(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "_runs" not in p.relative_to(out).parts
    }


def test_a_slow_file_is_stopped_at_the_timeout_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["extract", "-q", "-j", "1", "--timeout", "2", "-o", str(out), str(SCAN), str(GOOD)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: {SCAN}: took longer than the limit of 2 s" in err
    assert "--timeout" in err and "Traceback" not in err
    assert (out / "pdf" / "003_fa808c88f47e4303.json").exists()
    assert not (out / "scan").exists() or not any((out / "scan").iterdir())


def test_a_file_over_the_memory_cap_costs_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = png_bomb(tmp_path / "bomb.png", 20000, 20000)  # 430 KB on disk, 400 million pixels
    out = tmp_path / "out"
    args = ["--max-pixels", "1000000000", "--max-memory", "1024"]
    assert main(["extract", "-q", *args, "-o", str(out), str(bomb)]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "bomb.png" in err and "memory" in err and "Traceback" not in err
    # The default pixel limit refuses it before decoding anything.
    assert main(["extract", "-q", "-o", str(out), str(bomb)]) == 1
    assert "--max-pixels" in capsys.readouterr().err


def test_journal_records_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "missing.pdf"
    assert main(["extract", "-q", "-o", str(out), str(GOOD), str(missing)]) == 1
    header, *files, end = _journal(out)
    assert header["versions"]["pymupdf"] and header["limits"]["max_pages"] == 1000  # type: ignore[index]
    by_status = {str(e["status"]): e for e in files}
    ok, error = by_status["ok"], by_status["error"]
    assert ok["pages"] == 6 and ok["sha256"] and ok["options_key"] and ok["seconds"] and ok["peak_rss_mb"]
    assert "file not found" in str(error["reason"]) and error["internal"] is False
    assert end["event"] == "finished" and end["ok"] == 1 and end["failed"] == 1


def test_a_failed_file_is_not_retried_for_the_same_input_options_and_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "out"
    assert main(["extract", "-q", "-o", str(out), str(broken)]) == 1
    capsys.readouterr()
    assert main(["extract", "-q", "-o", str(out), str(broken)]) == 1  # same verdict, no new attempt
    assert "as in an earlier run; --force tries again" in capsys.readouterr().err
    assert main(["extract", "-q", "--max-pages", "50", "-o", str(out), str(broken)]) == 1  # new limits: tried
    assert "earlier run" not in capsys.readouterr().err
    broken.write_bytes(GOOD.read_bytes())  # the file was fixed: tried again, and done
    assert main(["extract", "-q", "-o", str(out), str(broken)]) == 0
    assert (out / "broken.json").exists()


def test_fail_on_makes_failed_checks_count(tmp_path: Path) -> None:
    assert fails_counts({"error": 1}, "error") and fails_counts({"warning": 2}, "warning")
    assert not fails_counts({"warning": 2}, "error") and not fails_counts({"error": 1}, "never")
    out = tmp_path / "out"
    assert main(["extract", "-q", "-o", str(out), str(GOOD)]) == 0  # findings alone never fail a run
    findings = json.loads((out / "003_fa808c88f47e4303.json").read_text(encoding="utf-8"))["findings"]
    severities = {f["severity"] for f in findings if f["status"] == "fail"}
    for policy in ("error", "warning"):
        expected = int(bool(severities & ({"error"} if policy == "error" else {"error", "warning"})))
        # The second run skips the up-to-date file, and still counts its findings.
        assert main(["extract", "-q", "--fail-on", policy, "-o", str(out), str(GOOD)]) == expected


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-q", "--jobs", "0", "-o", str(tmp_path), str(GOOD)]) == 2
    assert main(["extract", "-q", "--max-pages", "0", "-o", str(tmp_path), str(GOOD)]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["extract", "-q", "-o", str(tmp_path / "o"), str(tmp_path / "empty")]) == 2
    assert "error:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["extract", "--format", "xml", str(GOOD)])
    assert exc.value.code == 2


def test_names_are_unique_safe_and_deterministic(tmp_path: Path) -> None:
    for folder in ("a", "b", "a/c"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "r.pdf").write_bytes(b"%PDF")
    (tmp_path / "a" / "r.txt").write_text("x")
    inputs, notes = collect([tmp_path / "a", tmp_path / "b" / "r.pdf", tmp_path / "a" / "r.pdf"])
    assert sorted("/".join(i.output("json")) for i in inputs) == [
        "a/c/r.json",
        "a/r.pdf.json",
        "a/r.txt.json",
        "b/r.json",
    ]
    assert not notes
    assert safe_component("x" * 300) == safe_component("x" * 300) != safe_component("x" * 301)
    assert len(safe_component("报" * 300).encode()) < 120
    assert safe_component("..") != ".." and safe_component("_runs") != "_runs"
    assert safe_component("bad\nname") != "bad\nname"
    globbed, _ = collect([Path(str(tmp_path / "**" / "r.pdf"))])
    assert len(globbed) == 3


def _start(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "extract", "-q", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell starting pytest in the background (`cmd &`) ignores SIGINT, and the child would
        # inherit that and never see the test's Ctrl-C: give it the default, as a terminal would.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _scan_pages(target: Path, first: int, last: int, scan: Path = SCAN) -> Path:
    """A short scan (image-only pages of a sample scan): OCR makes it slow enough to interrupt."""
    import pymupdf

    with pymupdf.open(scan) as source, pymupdf.open() as doc:
        doc.insert_pdf(source, from_page=first, to_page=last)
        doc.save(target)
    return target


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not path.exists():
        time.sleep(0.1)
    return path.exists()


def test_a_killed_run_resumes_and_finishes_each_file_once(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    # Largest files go first: the two scans (OCR, seconds each), then the small ones.
    _scan_pages(inputs / "a_scan.pdf", 0, 2)
    # Not a_scan's pages: the engine reuses what it read of an identical page image.
    _scan_pages(inputs / "b_scan.pdf", 0, 1, SAMPLES / "scan" / "002_d741ed2ca5e3f399.pdf")
    shutil.copy(GOOD, inputs / "c_pdf.pdf")
    shutil.copy(SAMPLES / "seeds" / "003_fa808c88f47e4303.txt", inputs / "d_text.txt")
    out = tmp_path / "out"
    proc = _start(["-j", "1", "-o", str(out), str(inputs)])
    assert _wait_for(out / "a_scan.json", 180)
    time.sleep(0.3)  # b_scan is being read now
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Run the same command again to resume" in err and "Traceback" not in err
    assert not [p for p in out.rglob("*.part")]
    first = _results(out)
    assert "a_scan.json" in first and len(first) < 4

    resumed = _start(["-j", "1", "-o", str(out), str(inputs)])
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"skip: {inputs / 'a_scan.pdf'}" in err
    whole = tmp_path / "whole"
    assert main(["extract", "-q", "-j", "2", "-o", str(whole), str(inputs)]) == 0
    assert _results(out) == _results(whole)
    done = [e["output"] for e in _journal(out) if e.get("status") == "ok"]
    assert sorted(done) == ["a_scan.json", "b_scan.json", "c_pdf.json", "d_text.json"]


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    scan = _scan_pages(tmp_path / "scan.pdf", 0, 1)
    out = tmp_path / "out"
    proc = _start(["-j", "1", "-o", str(out), str(scan)])
    assert _wait_for(out / "_runs", 60)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "resume" in err and "Traceback" not in err
    assert not [p for p in out.rglob("*") if p.is_file() and "_runs" not in p.parts]


def test_progress_is_a_live_display_on_a_terminal_and_plain_lines_otherwise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from rich.console import Console

    from extractor.batch.progress import PlainReporter, RichReporter, reporter

    assert isinstance(reporter(quiet=True), PlainReporter)
    assert isinstance(reporter(quiet=False), PlainReporter)  # stderr is not a terminal under pytest
    screen = io.StringIO()
    live = RichReporter(Console(file=screen, force_terminal=True, width=160))
    live.start(3)
    live.line("ok: a.pdf → out/a.json")
    live.file_done(82, failed=False)
    live.file_done(0, failed=True)
    live.stop()
    shown = screen.getvalue()
    assert "ok: a.pdf" in shown and "2/3" in shown and "82 pages" in shown and "1 failed" in shown


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except BaseException as exc:
        return exc
    raise AssertionError("expected an exception")


def test_exceptions_are_blamed_on_the_library_that_raised_them() -> None:
    import pymupdf
    from PIL import Image

    from extractor.batch.failures import reason_for
    from extractor.core.limits import Limits

    limits = Limits(max_memory_mb=512)
    mupdf = _raised(lambda: pymupdf.open(stream=b"%PDF-1.4 junk", filetype="pdf"))
    assert reason_for(mupdf, limits) == (reason_for(mupdf, limits)[0], False)
    assert "MuPDF" in reason_for(mupdf, limits)[0]
    pillow = _raised(lambda: Image.open(io.BytesIO(b"\x89PNG\r\n\x1a\n broken")).load())
    assert "Pillow" in reason_for(pillow, limits)[0] and not reason_for(pillow, limits)[1]
    ours = _raised(lambda: int("not a number"))
    reason, internal = reason_for(ours, limits)
    assert internal and reason.startswith("internal error ValueError")
    memory = reason_for(MemoryError(), limits)
    assert "512 MB" in memory[0] and "--max-memory" in memory[0] and not memory[1]


def test_the_command_line_starts_without_loading_mupdf() -> None:
    """Every `extractor` command pays for what building its parser imports; MuPDF (and the
    review page, the annotator) load only in the command that uses them, and in the workers."""
    code = "import sys; from extractor.cli import build_parser; build_parser(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('pymupdf', 'fitz', 'rapidocr', 'onnxruntime')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "local"),
    [
        (["extract", "a.pdf"], True),
        (["extract", "-j", "2", "ray.pdf"], True),
        (["extract", "--executor", "ray", "a.pdf"], False),
        (["extract", "--executor=ray", "a.pdf"], False),
        (["extract", "--help"], False),
        (["check", "a.json"], False),
    ],
)
def test_the_fork_server_starts_early_only_for_a_local_batch(argv: list[str], local: bool) -> None:
    from extractor.cli import _local_batch

    assert _local_batch(argv) is local
