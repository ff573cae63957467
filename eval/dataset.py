"""The labelled samples: `samples/gold/<name>.json` with `samples/<variant>/<name>.pdf` beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from extractor.schemas import load_result

VARIANTS = ("pdf", "scan")


class Sample(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    variant: str
    document: Path
    gold: Path


def discover(samples_dir: Path, variants: tuple[str, ...] = VARIANTS) -> list[Sample]:
    """Every (gold, variant) pair whose document exists, sorted by name then variant."""
    gold_dir = samples_dir / "gold"
    samples = []
    for gold in sorted(gold_dir.glob("*.json")):
        for variant in variants:
            document = samples_dir / variant / f"{gold.stem}.pdf"
            if document.exists():
                samples.append(Sample(name=gold.stem, variant=variant, document=document, gold=gold))
    return samples


def load_gold(path: Path) -> dict[str, Any]:
    """Validate a gold file against the schema (errors name file and field), return it as plain JSON."""
    doc = load_result(path)
    data: dict[str, Any] = doc.model_dump(mode="json")
    return data
