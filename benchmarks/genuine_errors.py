"""The real corpus against what reading it found: for every `[[disagreement]]` in
samples/real/gold/notes/<stem>.md, is a failed finding there to flag it? And which
error-severity findings match no disagreement (false alarms, or errors the notes missed)?
Prints numbers and the unmatched lines for a person to judge; asserts nothing.

    python benchmarks/genuine_errors.py [--notes DIR] [--pdfs DIR] [-v]
    python benchmarks/genuine_errors.py --pdfs /tmp/rs/real/scan --ocr auto   # the same, scanned
                                        # (build the scans with benchmarks/real_scans.py --keep /tmp/rs)

What counts as flagged: `extractor.eval.disagreements.flags` (a heuristic; the unmatched
lines are printed so the count can be checked by reading). The test suite holds the same
numbers: tests/test_genuine_corpus.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.api import ExtractOptions, run  # noqa: E402
from extractor.core.errors import ExtractorError  # noqa: E402
from extractor.eval.disagreements import disagreements, flags  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notes", type=Path, default=ROOT / "samples/real/gold/notes")
    parser.add_argument("--pdfs", type=Path, default=ROOT / "samples/real/pdf")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument(
        "--ocr", choices=("never", "auto"), default="never", help="auto: read image pages (scans) with OCR"
    )
    args = parser.parse_args()
    total = found = errors = unmatched_errors = accepted = 0
    for note in sorted(args.notes.glob("*.md")):
        pdf = args.pdfs / f"{note.stem}.pdf"
        every = disagreements(note)
        # Printed values the stated rounding policy accepts (a truncated percentage) are not errors.
        listed = [d for d in every if not d.accepted_by_policy]
        accepted += len(every) - len(listed)
        if not pdf.exists() or not listed:
            continue
        try:
            findings = run(pdf, ExtractOptions(ocr=args.ocr)).document.findings
        except ExtractorError as exc:
            print(f"{note.stem}: not extracted ({exc})")
            continue
        failed = [f for f in findings if f.status == "fail"]
        hit = [d for d in listed if any(flags(d, f) for f in failed)]
        err = [f for f in failed if f.severity == "error"]
        lone = [f for f in err if not any(flags(d, f) for d in listed)]
        total, found = total + len(listed), found + len(hit)
        errors, unmatched_errors = errors + len(err), unmatched_errors + len(lone)
        print(
            f"{note.stem}: {len(hit)}/{len(listed)} disagreements flagged; {len(err)} error findings, {len(lone)} match none"
        )
        for d in listed:
            if d not in hit:
                print(f"    missed p{d.page} [{d.kind}] {d.text[:70]}")
            elif args.verbose:
                by = next(f for f in failed if flags(d, f))
                print(f"    flagged p{d.page} by {by.check}: {by.message[:90]}")
        for f in lone:
            print(f"    error matching no disagreement: {f.check}: {f.message[:110]}")
    if total:
        print(
            f"flagged {found}/{total} ({found / total:.1%}); error findings {errors}, matching no disagreement "
            f"{unmatched_errors}; {accepted} more disagreements the rounding policy accepts (not counted)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
