"""The real corpus's gold: valid, typed from the published PDFs, and scored as expected by the harness."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from conftest import SAMPLES
from goldtools import assert_planted_changes_counted, assert_scores_itself_perfectly, leaves

from extractor.eval.dataset import load_gold
from extractor.schemas import load_result, unknown_fields

REAL = SAMPLES / "real"
GOLD_FILES = sorted((REAL / "gold").glob("*.json"))
MANIFEST = tomllib.loads((REAL / "corpus.toml").read_text(encoding="utf-8"))["documents"]
# Values that are labels of the format, not printed text.
NOT_PRINTED = (".kind", ".scope", ".unit", ".template", ".side", ".id")


def _pdf_text(stem: str) -> str:
    with pymupdf.open(REAL / "pdf" / f"{stem}.pdf") as doc:
        text = "".join(page.get_text() for page in doc)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=\d)[,，](?=\d{3})", "", text)  # thousands separators only


def test_every_pdf_has_gold_and_a_manifest_entry() -> None:
    pdfs = {p.stem for p in (REAL / "pdf").glob("*.pdf")}
    assert pdfs == set(MANIFEST)
    assert {g.stem for g in GOLD_FILES} == pdfs


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_validates_and_is_the_kind_the_manifest_says(gold: Path) -> None:
    doc = load_result(gold)
    assert doc.reports, "a gold file with no reports labels nothing"
    assert doc.reports[0].kind == MANIFEST[gold.stem]["kind"]
    assert [p for p in unknown_fields(doc) if not p.endswith(".template")] == []
    template = any((r.model_extra or {}).get("template") for r in doc.reports)
    assert template == bool(MANIFEST[gold.stem].get("template"))


def _occurs_wrapped(text: str, printed: str, pieces: int = 4) -> bool:
    """Whether `text` is printed in at most `pieces` runs: a label wrapped inside its cell is
    interleaved in the text layer with the neighbouring cells' lines."""
    rest = text
    for _ in range(pieces):
        if rest in printed:
            return True
        n = max((k for k in range(2, len(rest)) if rest[:k] in printed), default=0)
        if n == 0:
            return False
        rest = rest[n:]
    return False


def _printed_forms(path: str, value: object, unit: str | None) -> list[str]:
    text = re.sub(r"\s+", "", str(value))
    if re.fullmatch(r"-?\d+(\.\d+)?", text) and ("key_figures" in path or ".values." in path):
        forms = [text]
        if unit == "元":
            # Gold holds 万元 with every printed digit: the page printed the 元 figure.
            forms.append(format(Decimal(text).scaleb(4), "f"))
        return forms
    return [text]


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_every_gold_value_occurs_in_its_pdf(gold: Path) -> None:
    """A typo in a gold label cannot hide: every value is found in the PDF it was typed from."""
    printed = _pdf_text(gold.stem)
    data = load_gold(gold)
    missing = []
    for index, report in enumerate(data["reports"]):
        unit = report.get("unit")
        for path, value in leaves(report, f"reports[{index}]"):
            if value is None or path.endswith(NOT_PRINTED) or ".pages" in path or ".evidence" in path:
                continue
            text = re.sub(r"\s+", "", str(value))
            if re.search(r"\.columns\[\d+\]$", path) or path.endswith(".name"):
                # Multi-level headers (and row labels under a spanning label) are joined with "/";
                # labels may wrap inside their cells.
                found = all(_occurs_wrapped(part, printed) for part in text.split("/"))
            elif path.endswith(".code"):
                # Codes printed in 类/款/项 pieces are joined: the class code is printed as is.
                found = text in printed or text[:3] in printed
            else:
                found = any(form in printed for form in _printed_forms(path, value, unit))
            if not found:
                missing.append(f"{path} = {value!r}")
    assert missing == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_scored_against_itself_is_perfect(gold: Path) -> None:
    assert_scores_itself_perfectly(load_gold(gold))


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_planted_changes_score_exactly_that_many_errors(gold: Path) -> None:
    assert_planted_changes_counted(load_gold(gold))
