"""`extractor export OUT --parquet DIR | --duckdb FILE`: every result under OUT as six queryable tables.

Tables (one Parquet file each, or one DuckDB table each; `document` is the
result's path under OUT and joins them all):

documents    document, source_file, sha256, pages, reports, findings, failed_errors,
             failed_warnings, status ("ok", or "error" for an input whose latest run
             failed: then `error` says why), error, run
reports      document, report (0-based index in the file), kind, department,
             fiscal_year, unit, project_name, pages (list)
fields       one row per filled scalar value of a report, outside its standard tables and
             indicator lists: document, report, kind, path (JSON path in the report, e.g.
             key_figures.income_total), value (text as in the JSON), amount (DECIMAL(38,10)
             when the value is a number, else null), page, bbox (x0, y0, x1, y1 in PDF
             points), page_turned (degrees clockwise the page was turned to read it, the
             result's source.turned; 0 for a page read as it lies), source_text
indicators   one row per 绩效指标 row: document, report, kind, indicator (index), level1,
             level2, name, target, actual, weight, score (DECIMAL), note, page, source_text
table_cells  one row per cell of a standard table (公开01–09表), blanks included:
             document, report, table_id, table_title, row, code, name, side, header (the column), value,
             amount (DECIMAL), page, bbox, page_turned, source_text
findings     one row per check finding: document, report, check, severity, status,
             message, expected, actual, tolerance, fields (list)

Numbers are DECIMAL(38,10), never floats. Files are written with pyarrow (Parquet) and
duckdb, each to a temporary name first and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import argparse
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from extractor.batch.formats import leaves
from extractor.batch.journal import RUNS
from extractor.batch.naming import display
from extractor.schemas import ReportFileError, load_result

TABLES = ("documents", "reports", "fields", "indicators", "table_cells", "findings")
_AMOUNT_MAX = Decimal(10) ** 28


def _amount(value: Any) -> Decimal | None:
    """A value as DECIMAL(38,10), or None when it is not a number that fits."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= _AMOUNT_MAX:
        return None
    return number.quantize(Decimal("1e-10"))


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    dec = pa.decimal128(38, 10)
    bbox = pa.list_(pa.float64())
    where = [("page", pa.int32()), ("bbox", bbox), ("page_turned", pa.int32()), ("source_text", pa.string())]
    doc_report = [("document", pa.string()), ("report", pa.int32())]
    fields = {
        "documents": [
            ("document", pa.string()),
            ("source_file", pa.string()),
            ("sha256", pa.string()),
            ("pages", pa.int32()),
            ("reports", pa.int32()),
            ("findings", pa.int32()),
            ("failed_errors", pa.int32()),
            ("failed_warnings", pa.int32()),
            ("status", pa.string()),
            ("error", pa.string()),
            ("run", pa.string()),
        ],
        "reports": [
            *doc_report,
            ("kind", pa.string()),
            ("department", pa.string()),
            ("fiscal_year", pa.int32()),
            ("unit", pa.string()),
            ("project_name", pa.string()),
            ("pages", pa.list_(pa.int32())),
        ],
        "fields": [
            *doc_report,
            ("kind", pa.string()),
            ("path", pa.string()),
            ("value", pa.string()),
            ("amount", dec),
            *where,
        ],
        "indicators": [
            *doc_report,
            ("kind", pa.string()),
            ("indicator", pa.int32()),
            ("level1", pa.string()),
            ("level2", pa.string()),
            ("name", pa.string()),
            ("target", pa.string()),
            ("actual", pa.string()),
            ("weight", dec),
            ("score", dec),
            ("note", pa.string()),
            ("page", pa.int32()),
            ("source_text", pa.string()),
        ],
        "table_cells": [
            *doc_report,
            ("table_id", pa.string()),
            ("table_title", pa.string()),
            ("row", pa.int32()),
            ("code", pa.string()),
            ("name", pa.string()),
            ("side", pa.string()),
            ("header", pa.string()),
            ("value", pa.string()),
            ("amount", dec),
            *where,
        ],
        "findings": [
            *doc_report,
            ("check", pa.string()),
            ("severity", pa.string()),
            ("status", pa.string()),
            ("message", pa.string()),
            ("expected", pa.string()),
            ("actual", pa.string()),
            ("tolerance", pa.string()),
            ("fields", pa.list_(pa.string())),
        ],
    }
    return {name: pa.schema(cols) for name, cols in fields.items()}


class Rows:
    """Rows of the six tables, collected one result at a time."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}

    def add_document(
        self, document: str, data: dict[str, Any], run: str | None, turned: dict[int, int] | None = None
    ) -> None:
        failed = [f for f in data["findings"] if f["status"] == "fail"]
        self.tables["documents"].append(
            {
                "document": document,
                "source_file": data["source"]["file"],
                "sha256": data["source"].get("sha256"),
                "pages": data["source"].get("pages"),
                "reports": len(data["reports"]),
                "findings": len(data["findings"]),
                "failed_errors": sum(f["severity"] == "error" for f in failed),
                "failed_warnings": sum(f["severity"] == "warning" for f in failed),
                "status": "ok",
                "error": None,
                "run": run,
            }
        )
        for index, report in enumerate(data["reports"]):
            self._report(document, index, report, turned or {})
        for f in data["findings"]:
            self.tables["findings"].append(
                {
                    "document": document,
                    "report": f.get("report"),
                    **{k: f.get(k) for k in ("check", "severity", "status", "message", "expected", "actual")},
                    "tolerance": f.get("tolerance"),
                    "fields": list(f.get("fields") or []),
                }
            )

    def add_failure(self, document: str, source: str, reason: str, run: str) -> None:
        self.tables["documents"].append(
            {"document": document, "source_file": source, "status": "error", "error": reason, "run": run}
        )

    def _report(self, document: str, index: int, report: dict[str, Any], turned: dict[int, int]) -> None:
        kind = report["kind"]
        evidence: dict[str, dict[str, Any]] = report.get("evidence") or {}
        base = {"document": document, "report": index}
        self.tables["reports"].append(
            {
                **base,
                "kind": kind,
                "department": report.get("department"),
                "fiscal_year": report.get("fiscal_year"),
                "unit": report.get("unit"),
                "project_name": report.get("project_name"),
                "pages": report.get("pages") or [],
            }
        )
        for path, value in leaves(report):
            if path.startswith(("tables[", "indicators[")):
                continue
            self.tables["fields"].append(
                {**base, "kind": kind, "path": path, "value": str(value), "amount": _amount(value)}
                | _where(evidence.get(path), turned)
            )
        for i, ind in enumerate(report.get("indicators") or []):
            ev = next((evidence[k] for k in evidence if k.startswith(f"indicators[{i}].")), None)
            self.tables["indicators"].append(
                {**base, "kind": kind, "indicator": i}
                | {k: ind.get(k) for k in ("level1", "level2", "name", "target", "actual", "note")}
                | {"weight": _amount(ind.get("weight")), "score": _amount(ind.get("score"))}
                | {"page": ev["page"] if ev else None, "source_text": ev["text"] if ev else None}
            )
        for t, table in enumerate(report.get("tables") or []):
            for r, row in enumerate(table.get("rows") or []):
                for column, value in (row.get("values") or {}).items():
                    ev = evidence.get(f"tables[{t}].rows[{r}].values.{column}")
                    self.tables["table_cells"].append(
                        {
                            **base,
                            "table_id": table.get("id"),
                            "table_title": table.get("title"),
                            "row": r,
                            "code": row.get("code"),
                            "name": row.get("name"),
                            "side": row.get("side"),
                            "header": column,
                            "value": None if value is None else str(value),
                            "amount": _amount(value),
                        }
                        | _where(ev, turned)
                    )


def _where(ev: dict[str, Any] | None, turned: dict[int, int]) -> dict[str, Any]:
    """Where a value was read; `page_turned` is the result's `source.turned` for that page (0 when
    the page was read as it lies): the bbox is in points of the page turned that far clockwise."""
    if not ev:
        return {"page": None, "bbox": None, "page_turned": None, "source_text": None}
    page = ev.get("page")
    return {
        "page": page,
        "bbox": ev.get("bbox"),
        "page_turned": turned.get(page, 0) if isinstance(page, int) else None,
        "source_text": ev.get("text"),
    }


def _latest_journal_entries(out: Path) -> dict[str, dict[str, Any]]:
    """Result path → the latest journal line about it (ok or error), with its run id."""
    import json

    latest: dict[str, dict[str, Any]] = {}
    folder = out / RUNS
    for journal in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("status") in ("ok", "error") and "output" in entry:
                latest[str(entry["output"])] = {**entry, "run": journal.stem}
    return latest


def collect_rows(out: Path) -> tuple[Rows, list[str]]:
    """Rows from every JSON result under OUT (journals aside); errors for files that are not results."""
    rows, errors = Rows(), []
    journal = _latest_journal_entries(out)
    results = sorted(
        p for p in out.rglob("*.json") if RUNS not in p.relative_to(out).parts and not p.is_symlink()
    )
    seen = set()
    for path in results:
        document = path.relative_to(out).as_posix()
        seen.add(document)
        try:
            doc = load_result(path)
            turned = doc.source.page_turns()
        except ReportFileError as exc:
            errors.append(f"error: {exc}")
            continue
        except ValueError as exc:  # an extension field that is malformed
            errors.append(f"error: {display(str(path))}: {exc}")
            continue
        rows.add_document(
            display(document), doc.model_dump(mode="json"), journal.get(document, {}).get("run"), turned
        )
    for document, entry in sorted(journal.items()):
        if entry["status"] == "error" and document not in seen and document.endswith(".json"):
            rows.add_failure(document, str(entry.get("file")), str(entry.get("reason")), entry["run"])
    return rows, errors


def arrow_tables(rows: Rows) -> dict[str, Any]:
    import pyarrow as pa

    schemas = _schemas()
    return {name: pa.Table.from_pylist(rows.tables[name], schema=schemas[name]) for name in TABLES}


def write_parquet(tables: dict[str, Any], folder: Path) -> None:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        tmp = folder / f".{name}.parquet.{os.getpid()}.part"
        pq.write_table(table, tmp)
        tmp.replace(folder / f"{name}.parquet")


def write_duckdb(tables: dict[str, Any], file: Path) -> None:
    import duckdb

    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(tmp)) as con:
        for name, table in tables.items():
            con.register("incoming", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
    tmp.replace(file)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="every result under OUT as Parquet files or one DuckDB database (six tables)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("out", type=Path, help="the output folder of `extractor extract`")
    p.add_argument("--parquet", type=Path, help="write DIR/<table>.parquet")
    p.add_argument("--duckdb", type=Path, help="write one DuckDB database file")
    p.set_defaults(func=run_export_command)


def run_export_command(args: argparse.Namespace) -> int:
    from extractor.core.errors import ConfigError

    if not (args.parquet or args.duckdb):
        raise ConfigError("give --parquet DIR and/or --duckdb FILE")
    if not args.out.is_dir():
        raise ConfigError(f"{args.out}: not a folder of results (the -o folder of `extractor extract`)")
    rows, errors = collect_rows(args.out)
    for line in errors:
        print(line, file=sys.stderr)
    tables = arrow_tables(rows)
    if args.parquet:
        write_parquet(tables, args.parquet)
    if args.duckdb:
        write_duckdb(tables, args.duckdb)
    counts = ", ".join(f"{name} {tables[name].num_rows}" for name in TABLES)
    print(f"exported: {counts}", file=sys.stderr)
    return 1 if errors else 0


__all__ = ["TABLES", "add_parser", "arrow_tables", "collect_rows", "run_export_command"]
