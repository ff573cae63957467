"""Bad input: one clear line naming the file and the reason; the batch goes on; nothing written is lost."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import SAMPLES

from extractor.cli import main


def _encrypted(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    return path


def test_a_batch_reports_each_bad_file_and_keeps_going(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf"
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n garbage that is not a pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    wrong = tmp_path / "notes.docx"
    wrong.write_bytes(b"PK\x03\x04 not a report")
    files = [
        tmp_path / "missing.pdf",
        corrupt,
        empty,
        _encrypted(tmp_path / "locked.pdf"),
        wrong,
        good,
        SAMPLES / "scan" / "003_fa808c88f47e4303.pdf",
    ]
    out = tmp_path / "out"
    code = main(["extract", "--ocr", "never", "-o", str(out), *map(str, files)])
    err = capsys.readouterr().err
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 6
    for path, reason in [
        ("missing.pdf", "file not found"),
        ("corrupt.pdf", "not a readable PDF"),
        ("empty.pdf", "empty"),
        ("locked.pdf", "encrypted"),
        ("notes.docx", "unsupported file type"),
        ("scan/003_fa808c88f47e4303.pdf", "OCR is off"),
    ]:
        assert any(path in line and reason in line for line in errors), (path, errors)
    assert (out / "003_fa808c88f47e4303.json").exists()


def test_a_rerun_skips_what_is_done_and_force_redoes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = str(SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf")
    out = tmp_path / "out"
    # 003 has a genuine error (a 元 for 万元): the exit status follows --fail-on, as in `check`
    # (findings count only when asked).
    assert main(["extract", "--fail-on", "error", "-o", str(out), good]) == 1
    assert main(["extract", "--force", "-o", str(out), good]) == 0
    written = (out / "003_fa808c88f47e4303.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", "--fail-on", "never", "-o", str(out), good]) == 0
    assert "skip:" in capsys.readouterr().err
    assert main(["extract", "--force", "--fail-on", "never", "--format", "csv", "-o", str(out), good]) == 0
    assert (out / "003_fa808c88f47e4303.json").read_text(encoding="utf-8") == written
    csv_text = (out / "003_fa808c88f47e4303.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("file,report,kind,field,value,page,source_text")
    assert "total_expenditure,1242.67" in csv_text
