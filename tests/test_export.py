"""`extractor export`: the six tables hold exactly what the JSON results hold, in Parquet and DuckDB."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from extractor.cli import main
from extractor.export import TABLES


def _scalars(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_scalars(v) for v in value.values())
    if isinstance(value, list):
        return sum(_scalars(v) for v in value)
    return int(value is not None)


def _expected_counts(results: list[dict[str, Any]]) -> dict[str, int]:
    """Counted from the JSON directly, independently of the exporter's own walk."""
    counts = dict.fromkeys(TABLES, 0)
    for doc in results:
        counts["documents"] += 1
        counts["findings"] += len(doc["findings"])
        for report in doc["reports"]:
            counts["reports"] += 1
            counts["indicators"] += len(report.get("indicators") or [])
            counts["table_cells"] += sum(
                len(row["values"]) for table in report.get("tables") or [] for row in table["rows"]
            )
            rest = {
                k: v
                for k, v in report.items()
                if k not in ("evidence", "pages", "kind", "tables", "indicators")
            }
            counts["fields"] += _scalars(rest)
    return counts


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "out"
    inputs = tmp_path_factory.mktemp("inputs")
    for name in ("002_d741ed2ca5e3f399.pdf", "003_fa808c88f47e4303.pdf"):
        shutil.copy(SAMPLES / "pdf" / name, inputs / name)
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    assert main(["extract", "-q", "-j", "2", "-o", str(out), str(inputs)]) == 1
    return out


def test_export_row_counts_equal_the_json_results(extracted: Path, tmp_path: Path) -> None:
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(extracted.glob("*.json"))]
    expected = _expected_counts(results)
    expected["documents"] += 1  # the broken input: a row with status error, from the journal
    assert (
        main(
            [
                "export",
                str(extracted),
                "--parquet",
                str(tmp_path / "pq"),
                "--duckdb",
                str(tmp_path / "r.duckdb"),
            ]
        )
        == 0
    )
    with duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True) as con:
        for name in TABLES:
            assert pq.read_table(tmp_path / "pq" / f"{name}.parquet").num_rows == expected[name], name
            (rows,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone() or (0,)
            assert rows == expected[name], name
        failed = con.execute("SELECT source_file, error FROM documents WHERE status = 'error'").fetchall()
        assert len(failed) == 1 and "broken.pdf" in failed[0][0] and "PDF" in failed[0][1]


def test_the_readme_query_runs_and_values_keep_their_evidence(extracted: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    assert main(["export", str(extracted), "--duckdb", str(db)]) == 0
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    query = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(query).fetchall()
        assert rows, query
        income = con.execute(
            "SELECT amount, page, bbox, source_text FROM fields WHERE path = 'key_figures.income_total'"
        ).fetchall()
    assert len(income) == 1
    amount, page, bbox, text = income[0]
    assert (
        str(amount).startswith("1467.89")
        and page >= 1
        and len(bbox) == 4
        and "1,467.89" in text.replace(" ", "")
    )


def test_export_refuses_what_is_not_a_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "junk.json").write_text("[[[", encoding="utf-8")
    assert main(["export", str(out), "--parquet", str(tmp_path / "pq")]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "junk.json" in err and "Traceback" not in err
    assert main(["export", str(tmp_path / "missing"), "--duckdb", str(tmp_path / "x.duckdb")]) == 2
    assert main(["export", str(out)]) == 2


def test_a_value_read_on_a_turned_page_says_how_far_it_was_turned(extracted: Path, tmp_path: Path) -> None:
    data = json.loads(next(p for p in sorted(extracted.glob("*.json"))).read_text(encoding="utf-8"))
    evidence = data["reports"][0]["evidence"]
    path, where = next((k, v) for k, v in evidence.items() if not k.startswith(("tables[", "indicators[")))
    data["source"]["turned"] = {str(where["page"]): 90}
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "turned.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "t.duckdb"
    assert main(["export", str(folder), "--duckdb", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        turned = con.execute(
            "SELECT page_turned FROM fields WHERE report = 0 AND path = ?", [path]
        ).fetchall()
        other = con.execute(
            "SELECT DISTINCT page_turned FROM table_cells WHERE page IS NOT NULL AND page <> ?",
            [where["page"]],
        ).fetchall()
    assert turned == [(90,)]
    assert other == [(0,)]  # every other page was read as it lies


def test_a_malformed_turn_is_one_clear_error_and_the_other_results_are_exported(
    extracted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(next(p for p in sorted(extracted.glob("*.json"))).read_text(encoding="utf-8"))
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["source"]["turned"] = ["90"]
    (folder / "bad_turn.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(folder), "--duckdb", str(tmp_path / "b.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "bad_turn.json" in err and "source.turned" in err and "Traceback" not in err
    with duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as con:
        assert con.execute("SELECT document FROM documents").fetchall() == [("good.json",)]
