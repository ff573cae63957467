"""Error injection: change one printed number in a born-digital sample, re-extract, and see
whether the checkers catch it. Reports the share caught and the false alarms on the clean file.

    python benchmarks/inject_errors.py [--n 40] [--seed 7]

Each injection rewrites one number in the PDF itself (pymupdf redaction, then the new
digits written in the same place), the way a typo would stand in a published report.
Targets are numbers that take part in a relationship the document states (table cells
and performance-form figures: each is covered by at least one passing check on the clean
file), changed by one digit, never in its last printed place (a last-digit change can
be indistinguishable from rounding). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.api import ExtractOptions, run  # noqa: E402
from extractor.schemas import ResultDocument  # noqa: E402

OPTIONS = ExtractOptions(ocr="never")


def _failures(doc: ResultDocument) -> set[tuple[int | None, str, str]]:
    return {(f.report, f.check, f.message) for f in doc.findings if f.status == "fail"}


def _covered_paths(doc: ResultDocument) -> set[tuple[int, str]]:
    """(report, field path) of every value some passing check looked at."""
    return {
        (f.report, p) for f in doc.findings if f.status == "pass" and f.report is not None for p in f.fields
    }


def _typo(text: str, rng: random.Random) -> str | None:
    """The number with one digit changed, not its last digit."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(digits) < 2:
        return None
    i = rng.choice(digits[:-1])
    new = rng.choice([d for d in "0123456789" if d != text[i]])
    if i == digits[0] and new == "0":
        new = "9" if text[i] != "9" else "8"
    return text[:i] + new + text[i + 1 :]


def _rewrite(
    pdf: Path, page_no: int, clip: tuple[float, float, float, float], old: str, new: str, out: Path
) -> bool:
    doc = pymupdf.open(pdf)
    page = doc[page_no - 1]
    hits = page.search_for(old, clip=pymupdf.Rect(clip))
    if not hits:
        return False
    rect = hits[0]
    spans = [
        s
        for b in page.get_text("dict", clip=rect)["blocks"]
        for ln in b.get("lines", [])
        for s in ln["spans"]
    ]
    size = spans[0]["size"] if spans else 9.0
    page.add_redact_annot(rect)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    page.insert_text((rect.x0, rect.y1 - size * 0.22), new, fontsize=size, fontname="helv")
    doc.save(out)
    doc.close()
    return True


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pdf",
        type=Path,
        action="append",
        help="inject into these PDFs instead of the samples (repeatable; e.g. samples/real/pdf/*_bmjs.pdf)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total = caught = clean_failures = 0
    for pdf in args.pdf or sorted((args.samples / "pdf").glob("*.pdf")):
        clean = run(pdf, OPTIONS).document
        baseline = _failures(clean)
        covered = _covered_paths(clean)
        candidates = []
        for index, report in enumerate(clean.reports):
            for path, ev in report.evidence.items():
                if (index, path) in covered and ev.bbox and re.fullmatch(r"[\d,]+(\.\d+)?", ev.text.strip()):
                    candidates.append((index, path, ev))
        print(
            f"{pdf.name}: {len(baseline)} failing checks on the clean file (the document's own errors), "
            f"{len(candidates)} checkable numbers"
        )
        clean_failures += len(baseline)
        share = max(1, round(args.n * len(candidates) / 200)) if candidates else 0
        for index, path, ev in rng.sample(candidates, min(share, len(candidates))):
            old = ev.text.strip()
            new = _typo(old, rng)
            if new is None:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / pdf.name
                if not _rewrite(pdf, ev.page, ev.bbox, old, new, out):  # type: ignore[arg-type]
                    continue
                injected = run(out, OPTIONS).document
            new_failures = _failures(injected) - baseline
            total += 1
            hit = bool(new_failures)
            caught += hit
            print(
                f"  {'caught' if hit else 'MISSED'}: report {index} {path}: {old} → {new}"
                + (f"  [{sorted(c for _, c, _ in new_failures)[0]}]" if hit else "")
            )
    if total:
        print(
            f"injected {total}, caught {caught} ({caught / total:.1%}); failing checks on the clean files: "
            f"{clean_failures} (the documents' own errors: tests/test_checks.py::GENUINE, tests/test_checks_real.py)"
        )

    return 0


if __name__ == "__main__":
    sys.exit(main())
