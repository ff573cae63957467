"""The labelled corpora: `<root>/gold/<name>.json` with `<root>/<variant>/<name>.pdf` beside them.

Two corpora ship with the repository: `samples` (three reports we typeset from seed
texts, born-digital and scanned) and `real` (published PDFs from other provinces,
years and producers, under `samples/real/`). The real corpus is the headline: it is
the closest thing here to the reports users bring. `corpus.toml` beside a corpus's
gold records what a person read off each document (province, kind); the PDF producer
is read from the file's metadata.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from extractor.schemas import load_result

VARIANTS = ("pdf", "scan")
CORPORA = ("real", "samples")
"""Corpus names in report order: the headline first."""


class Sample(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    variant: str
    document: Path
    gold: Path
    corpus: str = "samples"
    meta: dict[str, str] = Field(default_factory=dict)


def corpus_root(samples_dir: Path, corpus: str) -> Path:
    """Where a corpus lives under the samples folder (`samples` itself, or `samples/real`)."""
    return samples_dir if corpus == "samples" else samples_dir / corpus


def _manifest(root: Path) -> dict[str, dict[str, Any]]:
    path = root / "corpus.toml"
    if not path.is_file():
        return {}
    documents: dict[str, dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8")).get(
        "documents", {}
    )
    return documents


def producer(document: Path) -> str:
    """The PDF's producer (or creator) program from its metadata, shortened to the product name."""
    import pymupdf

    try:
        with pymupdf.open(document) as doc:  # type: ignore[no-untyped-call]
            meta = doc.metadata or {}
    except (RuntimeError, ValueError):
        return "unknown"
    raw = (meta.get("creator") or meta.get("producer") or "").strip()
    for product in ("WPS", "Excel", "Word", "PDFMaker", "PScript", "Acrobat", "ONLYOFFICE", "LibreOffice"):
        if product.lower() in raw.lower():
            return product
    return raw.split(" ")[0] if raw else "unknown"


def discover(
    samples_dir: Path, variants: tuple[str, ...] = VARIANTS, corpus: str = "samples"
) -> list[Sample]:
    """Every (gold, variant) pair of one corpus whose document exists, sorted by name then variant."""
    root = corpus_root(samples_dir, corpus)
    manifest = _manifest(root)
    samples = []
    for gold in sorted((root / "gold").glob("*.json")):
        for variant in variants:
            document = root / variant / f"{gold.stem}.pdf"
            if document.exists():
                entry = manifest.get(gold.stem, {})
                meta = {
                    "province": str(entry.get("province", "")) or "unknown",
                    "producer": producer(document),
                }
                samples.append(
                    Sample(
                        name=gold.stem,
                        variant=variant,
                        document=document,
                        gold=gold,
                        corpus=corpus,
                        meta=meta,
                    )
                )
    return samples


def discover_corpora(samples_dir: Path, corpora: tuple[str, ...], variants: tuple[str, ...]) -> list[Sample]:
    """The samples of several corpora, headline corpus first."""
    return [s for c in CORPORA if c in corpora for s in discover(samples_dir, variants, c)]


def load_gold(path: Path) -> dict[str, Any]:
    """Validate a gold file against the schema (errors name file and field), return it as plain JSON."""
    doc = load_result(path)
    data: dict[str, Any] = doc.model_dump(mode="json")
    return data
