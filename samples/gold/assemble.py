"""Join the hand-typed part files (samples/gold/_parts/*.json, one list of reports each)
into one gold file per sample, in document order, and validate it.

    python samples/gold/assemble.py

Parts are typed by reading the seed documents (see CONVENTIONS.md); this script
only concatenates and checks them, it computes no value.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from extractor import schemas  # noqa: E402

ORDER = {
    "000_d041a5389ba04b30": ["000_all"],
    "002_d741ed2ca5e3f399": ["002_final_account", "002_overall", "002_project_reports", "002_project_forms"],
    "003_fa808c88f47e4303": ["003_all"],
}


def main() -> int:
    for name, parts in ORDER.items():
        files = [HERE / "_parts" / f"{part}.json" for part in parts]
        missing = [f.name for f in files if not f.exists()]
        if missing:
            print(f"{name}: waiting for {', '.join(missing)}")
            continue
        reports = [r for f in files for r in json.loads(f.read_text(encoding="utf-8"))]
        doc = {
            "schema_version": "1",
            "source": {"file": f"{name}.pdf", "sha256": None, "pages": None},
            "reports": reports,
            "findings": [],
        }
        model = schemas.parse_result(json.dumps(doc, ensure_ascii=False), name)
        unknown = list(schemas.unknown_fields(model))
        if unknown:
            print(f"{name}: unknown fields {unknown[:5]}")
            return 1
        (HERE / f"{name}.json").write_text(schemas.dump_result(model), encoding="utf-8")
        print(f"{name}: {len(reports)} reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
