"""The order a batch hands out its files: most work first, estimated from the bytes without
parsing the file (page tree count, image pages weighing more)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from extractor.batch.order import scan_input


def _work(path: Path) -> int:
    return scan_input(path).work


def _text_pdf(path: Path, pages: int, **save: int) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"page {n + 1}")
    doc.save(path, **save)
    return path


def _image_pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    noise = Image.frombytes("L", (900, 900), os.urandom(900 * 900))
    picture = path.with_suffix(".png")
    noise.save(picture)
    for _ in range(pages):
        doc.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), filename=str(picture))
    doc.save(path)
    return path


def test_more_pages_weigh_more_whatever_the_bytes(tmp_path: Path) -> None:
    long = _text_pdf(tmp_path / "long.pdf", 40)
    short = _text_pdf(tmp_path / "short.pdf", 3)
    padded = short.read_bytes() + b"%" + b" " * 60_000 + b"\n"  # bytes that are not pages
    (tmp_path / "short_padded.pdf").write_bytes(padded)
    assert _work(long) == 40
    assert _work(short) == _work(tmp_path / "short_padded.pdf") == 3


def test_a_page_of_image_weighs_more_than_a_page_of_text(tmp_path: Path) -> None:
    scan = _image_pdf(tmp_path / "scan.pdf", 2)
    text = _text_pdf(tmp_path / "text.pdf", 60)
    assert _work(scan) == 100 > _work(text) == 60


@pytest.mark.parametrize("kind", ["objstm", "text", "missing", "folder"])
def test_without_a_readable_page_count_the_size_counts(tmp_path: Path, kind: str) -> None:
    if kind == "objstm":  # the page tree inside a compressed object stream
        path = _text_pdf(tmp_path / "x.pdf", 40, use_objstms=1, deflate=1)
        assert b"/Count" not in path.read_bytes()
        assert _work(path) == path.stat().st_size // (16 << 10)
    elif kind == "text":
        path = tmp_path / "x.txt"
        path.write_text("一般公共预算财政拨款收入\t1,467.16\n" * 20_000, encoding="utf-8")
        assert _work(path) == path.stat().st_size // (16 << 10) > 0
    elif kind == "missing":
        assert _work(tmp_path / "gone.pdf") == 0
    else:
        assert _work(tmp_path) == 0


def test_the_same_read_hashes_the_file(tmp_path: Path) -> None:
    path = _text_pdf(tmp_path / "x.pdf", 5)
    assert scan_input(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert scan_input(tmp_path).sha256 is None and scan_input(tmp_path / "gone.pdf").sha256 is None
