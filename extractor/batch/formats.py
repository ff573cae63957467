"""Result files other than REPORT_FORMAT JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from extractor.schemas import ResultDocument

CSV_COLUMNS = ["file", "report", "kind", "field", "value", "page", "source_text"]


def to_csv(doc: ResultDocument) -> str:
    """One row per filled field, with its evidence: easy to load into a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    data = doc.model_dump(mode="json")
    for index, report in enumerate(data["reports"]):
        evidence = report.get("evidence") or {}
        for path, value in leaves(report):
            ev = evidence.get(path) or {}
            writer.writerow(
                [doc.source.file, index, report["kind"], path, value, ev.get("page", ""), ev.get("text", "")]
            )
    return buffer.getvalue()


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(JSON path, value) of every non-null scalar of a report, evidence and page lists left out."""
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, dict):
            for key, sub in reversed(item.items()):
                if not here and key in ("evidence", "pages", "kind"):
                    continue
                stack.append((f"{here}.{key}" if here else key, sub))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):
                stack.append((f"{here}[{i}]", item[i]))
        elif item is not None:
            out.append((here, item))
    return out


__all__ = ["CSV_COLUMNS", "leaves", "to_csv"]
