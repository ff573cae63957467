"""Bad input: one clear line naming the file and the reason; the batch goes on; nothing written is lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pymupdf
import pytest
from conftest import SAMPLES

from extractor.cli import main

GOOD = SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf"


def _encrypted(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    return path


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


def test_a_batch_reports_each_bad_file_and_keeps_going(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n garbage that is not a pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    wrong = tmp_path / "notes.docx"
    wrong.write_bytes(b"PK\x03\x04 not a report")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes((SAMPLES / "scan" / "003_fa808c88f47e4303.pdf").read_bytes())
    good = tmp_path / "good.pdf"
    good.write_bytes(GOOD.read_bytes())
    files = [tmp_path / "missing.pdf", corrupt, empty, _encrypted(tmp_path / "locked.pdf"), wrong, good, scan]
    out = tmp_path / "out"
    code = main(["extract", "-q", "-j", "2", "--ocr", "never", "-o", str(out), *map(str, files)])
    err = capsys.readouterr().err
    assert code == 1
    _no_traceback(err)
    errors = _errors(err)
    assert len(errors) == 6
    for path, reason in [
        ("missing.pdf", "file not found"),
        ("corrupt.pdf", "not a readable PDF"),
        ("empty.pdf", "empty"),
        ("locked.pdf", "encrypted"),
        ("notes.docx", "unsupported file type"),
        ("scan.pdf", "OCR is off"),
    ]:
        assert any(path in line and reason in line for line in errors), (path, errors)
    assert (out / "good.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["_runs", "good.json"]


def test_a_rerun_skips_what_is_done_and_force_redoes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = str(GOOD)
    out = tmp_path / "out"
    # 003 has a genuine error (a 元 for 万元): findings change the exit status only with --fail-on,
    # as in `check`, and a skipped file's findings still count.
    assert main(["extract", "-q", "-o", str(out), good]) == 0
    written = (out / "003_fa808c88f47e4303.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", "-q", "--fail-on", "error", "-o", str(out), good]) == 1
    assert "skip:" in capsys.readouterr().err
    # A CSV run is not "up to date" because a JSON result exists: the format is part of the options.
    assert main(["extract", "-q", "--format", "csv", "-o", str(out), good]) == 0
    err = capsys.readouterr().err
    assert "skip:" not in err and "ok:" in err
    assert (out / "003_fa808c88f47e4303.json").read_text(encoding="utf-8") == written
    csv_text = (out / "003_fa808c88f47e4303.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("file,report,kind,field,value,page,source_text")
    assert "total_expenditure,1242.67" in csv_text
    assert main(["extract", "-q", "--force", "-o", str(out), good]) == 0
    assert "skip:" not in capsys.readouterr().err


def test_odd_names_get_safe_unique_results_and_never_stop_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    data = GOOD.read_bytes()
    long_name = "报告" * 40 + ".pdf"  # 244 bytes: fits, but `.<name>.json.<hex>.part` would not
    not_utf8 = os.fsdecode(b"caf\xe9-\xff.pdf")
    names = [long_name, not_utf8, "plain.pdf"]
    for name in (long_name, "plain.pdf"):
        (src / name).write_bytes(data)
    with open(os.path.join(os.fsencode(src), os.fsencode(not_utf8)), "wb") as handle:
        handle.write(data)
    out = tmp_path / "out"
    code = main(["extract", "-q", "-j", "2", "-o", str(out), str(src)])
    err = capsys.readouterr().err
    _no_traceback(err)
    assert code == 0, err
    results = sorted(p for p in os.listdir(os.fsencode(out)) if p != b"_runs")
    assert len(results) == len(names)
    for raw in results:
        assert len(raw) <= 200
        raw.decode("utf-8")  # every result name is valid UTF-8
    assert b"plain.json" in results
    # Deterministic: a second run finds every result up to date under the same names.
    assert main(["extract", "-q", "-o", str(out), str(src)]) == 0
    assert capsys.readouterr().err.count("skip:") == 3
    # --stdout with an undecodable name: the JSON is still valid, the name escaped.
    assert main(["extract", "-q", "--stdout", os.path.join(str(src), not_utf8)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["source"]["file"] == "caf\\xe9-\\xff.pdf"


def test_same_names_from_different_folders_never_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.pdf").write_bytes(GOOD.read_bytes())
    (tmp_path / "d2" / "report.txt").write_text(
        (SAMPLES / "seeds" / "003_fa808c88f47e4303.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    code = main(["extract", "-q", "-o", str(out), str(tmp_path / "d1" / "report.pdf"), str(tmp_path / "d2")])
    assert code == 0, capsys.readouterr().err
    found = sorted(str(p.relative_to(out)) for p in out.rglob("*.json") if "_runs" not in p.parts)
    assert found == ["d1/report.json", "d2/report.pdf.json", "d2/report.txt.json"]


def test_output_folder_problems_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    assert main(["extract", "-o", str(a_file), str(GOOD)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["extract", "-o", str(a_file / "sub"), str(GOOD)]) == 2
    assert "give a folder for -o" in capsys.readouterr().err


def test_a_planted_symlink_is_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / "003_fa808c88f47e4303.json").symlink_to(victim)
    assert main(["extract", "-q", "-o", str(out), str(GOOD)]) == 0
    assert victim.read_text() == "keep me"
    result = out / "003_fa808c88f47e4303.json"
    assert not result.is_symlink() and json.loads(result.read_text(encoding="utf-8"))["reports"]
    # A symlinked folder where a mirrored folder would go: that file fails, nothing lands outside OUT.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "sub" / "a.pdf").write_bytes(GOOD.read_bytes())
    (inputs / "b.pdf").write_bytes(GOOD.read_bytes())
    capsys.readouterr()
    assert main(["extract", "-q", "-o", str(out), str(inputs)]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "a.pdf: cannot write the result" in err and "Traceback" not in err
    assert not list(elsewhere.iterdir()) and (out / "b.json").exists()


def test_limits_refuse_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    big = tmp_path / "big.png"
    Image.new("L", (3000, 3000), 255).save(big)
    tiff = tmp_path / "frames.tiff"
    frames = [Image.new("L", (50, 50), 255) for _ in range(12)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    text = tmp_path / "huge.txt"
    text.write_text("一般公共预算财政拨款收入\t1.00\n" * 60000, encoding="utf-8")  # ~2 MB
    out = tmp_path / "out"
    args = ["--max-pixels", "1000000", "--max-pages", "8", "--max-text-mb", "1"]
    code = main(["extract", "-q", *args, "-o", str(out), str(big), str(tiff), str(text), str(GOOD)])
    err = capsys.readouterr().err
    assert code == 1
    _no_traceback(err)
    errors = _errors(err)
    assert any("big.png" in e and "--max-pixels" in e for e in errors), errors
    assert any("frames.tiff" in e and "--max-pages" in e for e in errors), errors
    assert any("huge.txt" in e and "--max-text-mb" in e for e in errors), errors
    assert len(errors) == 3
    # A page count over the limit, and an image with --ocr never, are refused before any work.
    assert (
        main(["extract", "-q", "--max-pages", "3", "--ocr", "never", "-o", str(out), str(GOOD), str(big)])
        == 1
    )
    errors = _errors(capsys.readouterr().err)
    assert any("6 pages" in e and "--max-pages" in e for e in errors), errors
    assert any("big.png" in e and "OCR is off" in e for e in errors), errors


def test_a_damaged_pdf_is_bad_input_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = GOOD.read_bytes()
    cut = tmp_path / "truncated.pdf"
    cut.write_bytes(data[: len(data) // 3])
    cycle = tmp_path / "cycle.pdf"
    # A page tree whose Kids point back at itself.
    cycle.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 5>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    out = tmp_path / "out"
    code = main(["extract", "-q", "-o", str(out), str(cut), str(cycle)])
    err = capsys.readouterr().err
    assert code == 1
    _no_traceback(err)
    assert len(_errors(err)) == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\xff\xfe binary", "not UTF-8"),
        (b"[" * 10000 + b"]" * 10000, "nested deeper"),
        (b'{"reports": [' + b"9" * 5000 + b"]}", "more than"),
        (b"42", "not a REPORT_FORMAT v1 document"),
        (b'{"schema_version": "1", "reports": 7}', "not a REPORT_FORMAT v1 document"),
        (b"", "not valid JSON"),
    ],
)
def test_check_and_eval_refuse_bad_json_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    _no_traceback(err)
    assert err.startswith(f"error: {bad}: ") and reason in err, err
    gold = SAMPLES / "gold" / "003_fa808c88f47e4303.json"
    assert main(["eval", "--pred", str(bad), "--gold", str(gold), "--out", str(tmp_path / "e")]) == 1
    err = capsys.readouterr().err
    _no_traceback(err)
    assert err.startswith(f"error: {bad}: "), err


def test_check_and_eval_refuse_a_folder_and_wrong_shapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    gold = SAMPLES / "gold" / "003_fa808c88f47e4303.json"
    shaped = tmp_path / "shaped.json"
    shaped.write_text('{"reports": [{"kind": 5, "department": ["x"], "indicators": 3}]}', encoding="utf-8")
    code = main(["eval", "--pred", str(shaped), "--gold", str(gold), "--out", str(tmp_path / "e")])
    err = capsys.readouterr().err
    _no_traceback(err)
    assert code in (0, 1) and ("error:" not in err or err.startswith(f"error: {shaped}: "))


def test_blank_frames_are_not_sent_to_ocr() -> None:
    import numpy as np

    from extractor.ingest.image import page_from_image
    from extractor.ingest.ocr import FakeOcrEngine, OcrResult

    engine = FakeOcrEngine(lambda image: OcrResult(lines=[]))
    blank = np.full((800, 600), 250, dtype=np.uint8)
    page = page_from_image(blank, number=1, width_pt=595, height_pt=842, engine=engine)
    assert page.lines == () and engine.history == []
    inked = blank.copy()
    inked[100:140, 100:400] = 0
    page_from_image(inked, number=2, width_pt=595, height_pt=842, engine=engine)
    # Read; and as that much ink gave no text, read once more upside down (orientation.py).
    assert len(engine.history) == 2


def test_eval_goes_on_past_a_gold_file_that_does_not_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "samples"
    (root / "pdf").mkdir(parents=True)
    (root / "gold").mkdir()
    name = "003_fa808c88f47e4303"
    for stem in ("a_good", "b_broken"):
        (root / "pdf" / f"{stem}.pdf").write_bytes((SAMPLES / "pdf" / f"{name}.pdf").read_bytes())
    (root / "gold" / "a_good.json").write_bytes((SAMPLES / "gold" / f"{name}.json").read_bytes())
    (root / "gold" / "b_broken.json").write_text('{"reports": [', encoding="utf-8")
    out = tmp_path / "eval"
    argv = ["eval", "--samples", str(root), "--corpus", "samples", "--variant", "pdf", "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "b_broken" in err and "gold not scored" in err and "Traceback" not in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    scored = {s["sample"]: s for s in report["samples"]}
    assert scored["a_good"]["f1"] > 0.9 and scored["b_broken"]["error"].startswith("gold not scored")
