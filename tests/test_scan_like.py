"""benchmarks/scan_like.py: born-digital table pages turned into scan-like PDFs for the OCR benchmark."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pymupdf
import pytest
from conftest import ROOT
from pdfgen import PageSpec, TableSpec, make_pdf

from extractor.ingest.image import page_from_image
from extractor.ingest.ocr import FakeOcrEngine, OcrResult
from extractor.ingest.pdf import render_page
from extractor.ingest.raster import estimate_skew, to_gray


def _module() -> ModuleType:
    path = ROOT / "benchmarks" / "scan_like.py"
    spec = importlib.util.spec_from_file_location("scan_like", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SCAN_LIKE = _module()
TABLE = TableSpec(
    rows=[["项目", "金额", "备注"], ["一般公共预算", "1,467.89", ""], ["合计", "1,467.89", ""]] * 2,
    widths=[160, 100, 100],
)


def _source(tmp_path: Path) -> Path:
    prose = PageSpec(lines=[("第一部分 部门概况", 16), ("一、主要职能", 12)])
    table = PageSpec(lines=[("收入支出决算总表", 16)], table=TABLE)
    return make_pdf([prose, table, prose, table, table], tmp_path / "born.pdf")


def test_table_pages_are_those_with_rulings_spread_evenly(tmp_path: Path) -> None:
    with pymupdf.open(_source(tmp_path)) as doc:
        assert SCAN_LIKE.table_pages(doc, 5) == [1, 3, 4]
        assert SCAN_LIKE.table_pages(doc, 2) == [1, 4]  # first and last, not the first two


def test_built_scans_are_images_of_the_pages_skewed_and_noisy(tmp_path: Path) -> None:
    source = _source(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (built,) = SCAN_LIKE.build([source], out, 2)
    path, indices = built
    assert indices == [0, 1]
    again = tmp_path / "again"
    again.mkdir()
    with pymupdf.open(SCAN_LIKE.build([source], again, 2)[0][0]) as copy:
        repeat = render_page(copy[1])
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2 and doc[0].rect == pymupdf.Rect(0, 0, 595, 842)
        assert doc[0].get_text().strip() == ""  # no text layer: OCR must read it
        image = render_page(doc[0])
        assert np.array_equal(render_page(doc[1]), repeat)  # seeded: a second build is the same scan
    gray = to_gray(image)
    paper = gray[: gray.shape[0] // 20]  # the top margin: blank paper on the source page
    assert 200 < paper.mean() < 250 and paper.std() > 2  # a paper tone with noise, not white
    page = page_from_image(
        image, number=1, width_pt=595, height_pt=842, engine=FakeOcrEngine(lambda _: OcrResult())
    )
    assert len(page.rulings) >= 7  # the table's borders survive the skew, noise and JPEG
    skew = np.random.default_rng(SCAN_LIKE.page_seed("born.pdf", 1)).uniform(-0.8, 0.8)  # the first draw
    assert abs(skew) > 0.05 and estimate_skew(gray) == pytest.approx(skew, abs=0.05)


def _real_scans() -> ModuleType:
    path = ROOT / "benchmarks" / "real_scans.py"
    spec = importlib.util.spec_from_file_location("real_scans", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _image_width(path: Path) -> int:
    with pymupdf.open(path) as doc:
        (image,) = doc[0].get_images(full=True)
        return int(doc.extract_image(image[0])["width"])


def test_the_real_corpus_is_built_in_the_style_asked(tmp_path: Path) -> None:
    # --poor once built office scans: the style never reached save_scan.
    real_scans = _real_scans()
    only = ["jiangsu_zhengxie_2018_bmys_tables"]  # the shortest document (12 pages)
    for style, folder in ((SCAN_LIKE.POOR, "poor"), (SCAN_LIKE.CLEAN, "clean")):
        real_scans.build_corpus(tmp_path / folder, only, style=style)
    (poor,) = (tmp_path / "poor" / "real" / "scan").glob("*.pdf")
    (clean,) = (tmp_path / "clean" / "real" / "scan").glob("*.pdf")
    with pymupdf.open(poor) as doc:
        width_pt = doc[0].rect.width
    assert _image_width(poor) == pytest.approx(width_pt * 150 / 72, abs=1)
    assert _image_width(clean) == pytest.approx(width_pt * 300 / 72, abs=1)


def test_a_searchable_scan_carries_the_sources_text_invisibly(tmp_path: Path) -> None:
    source = _source(tmp_path)
    with pymupdf.open(source) as doc:
        SCAN_LIKE.save_scan(doc, "born.pdf", [1], tmp_path / "searchable.pdf", searchable=True)
        expected = doc[1].get_text().split()
    with pymupdf.open(tmp_path / "searchable.pdf") as scan:
        page = scan[0]
        assert page.get_text().split() == expected
        kinds = [kind for kind, _ in page.get_bboxlog()]
        assert kinds[0] == "fill-image" and set(kinds[1:]) == {"ignore-text"}
    with pytest.raises(ValueError, match="not both"), pymupdf.open(source) as doc:
        SCAN_LIKE.save_scan(doc, "born.pdf", [1], tmp_path / "x.pdf", searchable=True, turned=True)


def test_a_bilevel_scan_is_one_bit_a_pixel(tmp_path: Path) -> None:
    with pymupdf.open(_source(tmp_path)) as doc:
        SCAN_LIKE.save_scan(doc, "born.pdf", [1], tmp_path / "bw.pdf", style=SCAN_LIKE.BILEVEL)
    with pymupdf.open(tmp_path / "bw.pdf") as scan:
        (image,) = scan[0].get_images(full=True)
        info = scan.extract_image(image[0])
        assert info["bpc"] == 1 and info["width"] == pytest.approx(595 * 300 / 72, abs=1)
        gray = to_gray(render_page(scan[0]))
    page = page_from_image(
        gray, number=1, width_pt=595, height_pt=842, engine=FakeOcrEngine(lambda _: OcrResult())
    )
    assert len(page.rulings) >= 7  # the table's borders survive thresholding
