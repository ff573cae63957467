"""Wording and structure errors planted into a published 决算 (benchmarks/plant_wording_errors.py:
pymupdf redaction and the line rewritten): each is flagged by the check meant for it, and the
clean document does not carry that finding."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pymupdf
import pytest
from conftest import ROOT

from extractor import extract
from extractor.api import ExtractOptions

PDF = ROOT / "samples" / "real" / "pdf" / "shanghai_putuo_guihuaziyuan_2024_bmjs.pdf"
NEVER = ExtractOptions(ocr="never")


def _planter() -> ModuleType:
    path = ROOT / "benchmarks" / "plant_wording_errors.py"
    spec = importlib.util.spec_from_file_location("plant_wording_errors", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PLANT = _planter()


@pytest.fixture(scope="module")
def clean() -> set[tuple[str, str]]:
    return {(f.check, f.message) for f in extract(PDF, NEVER).findings if f.status == "fail"}


@pytest.mark.parametrize(("name", "planter", "meant"), PLANT.PLANTERS, ids=[p[0] for p in PLANT.PLANTERS])
def test_a_planted_error_is_flagged(
    tmp_path: Path, clean: set[tuple[str, str]], name: str, planter: object, meant: tuple[str, ...]
) -> None:
    source = pymupdf.open(PDF)
    hits = planter(source)  # type: ignore[operator]
    source.close()
    assert hits, f"no target for {name} in the real 决算"
    out = tmp_path / PDF.name
    assert PLANT.apply(PDF, hits, out)
    planted = {(f.check, f.message) for f in extract(out, NEVER).findings if f.status == "fail"}
    new = {check for check, message in planted - clean}
    assert new & set(meant), (name, sorted(new))
    # The meant check fails more often on the planted copy than on the clean document.
    assert sum(c in meant for c, _ in planted) > sum(c in meant for c, _ in clean)
