"""Rewrite the README's accuracy table from a fresh `extractor eval` run (never typed by hand).

    python scripts/readme_accuracy.py            # born-digital: real corpus + samples
    python scripts/readme_accuracy.py --scan     # also the scanned samples (about 4 minutes)

The table sits between the markers `<!-- accuracy:start -->` and `<!-- accuracy:end -->`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- accuracy:start -->", "<!-- accuracy:end -->"


def _row(name: str, docs: int | str, m: dict[str, object]) -> str:
    cells = f"{m['cell_accuracy']:.3f}" if m.get("cells") else "–"
    fields = int(m["correct"]) + int(m["wrong"]) + int(m["missing"])  # type: ignore[call-overload]
    return f"| {name} | {docs} | {fields} | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {cells} |"


def table(report: dict[str, object], command: str) -> str:
    samples = report["samples"]
    assert isinstance(samples, list)
    lines = [
        f"Produced by `{command}` (rules backend, no LLM):",
        "",
        "| corpus / variant | documents | gold fields | precision | recall | field F1 | table cells |",
        "|---|---|---|---|---|---|---|",
    ]
    variants = report["variants"]
    by_kind = report["by_kind"]
    assert isinstance(variants, dict) and isinstance(by_kind, dict)
    for label, metrics in variants.items():
        docs = sum(1 for s in samples if f"{s['corpus']}/{s['variant']}" == label)
        lines.append(_row(label, docs, metrics))
        for kind, km in by_kind.get(label, {}).items():
            lines.append(_row(f"&nbsp;&nbsp;{label} · {kind}", "", km))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scan", action="store_true", help="also score the scanned samples")
    args = parser.parse_args()
    out = ROOT / "out" / "eval-readme"
    variants = ["--variant", "pdf"] + (["--variant", "scan"] if args.scan else [])
    command = ["extractor", "eval", "--corpus", "all", *variants, "--out", str(out)]
    exe = Path(sys.executable).with_name("extractor")
    subprocess.run([str(exe), *command[1:]], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    shown = " ".join(c for c in command if not c.startswith(str(out)) and c != "--out")
    block = f"{START}\n{table(report, shown)}\n{END}"
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text:
        raise SystemExit(f"README.md has no {START} … {END} block to rewrite")
    readme.write_text(
        re.sub(rf"{re.escape(START)}.*?{re.escape(END)}", block, text, flags=re.S), encoding="utf-8"
    )
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
