"""The review page's side panel: filters, the checks (failed first) and every report as grids.

Single values, failed findings and value cells come from `schemas.display`, the renderer the
notebook display uses too; this module adds what only the page has: indicator and table grids,
list items, the filters and the correction editor.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping

from pydantic import BaseModel

from extractor.schemas import Evidence, Indicator, ResultDocument
from extractor.schemas.display import (
    Leaf,
    fields_table,
    finding_html,
    ordered_findings,
    scalar_leaves,
    show,
    value_cell,
    value_type,
)
from extractor.schemas.final_account import TableRow

INDICATOR_COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")


def _title(index: int, report: BaseModel) -> str:
    name = next(
        (
            getattr(report, f)
            for f in ("project_name", "program_name", "department")
            if getattr(report, f, None)
        ),
        "",
    )
    pages = getattr(report, "pages", [])
    span = f"p. {pages[0]}–{pages[-1]}" if len(pages) > 1 else (f"p. {pages[0]}" if pages else "")
    kind = getattr(report, "kind", "?")
    return f"{index} · {kind} · {name} {span}".strip()


def _indicator_grid(index: int, report: BaseModel, evidence: Mapping[str, Evidence]) -> str:
    indicators = getattr(report, "indicators", None)
    if not isinstance(indicators, list) or not indicators:
        return ""
    head = "".join(f"<th>{c}</th>" for c in ("#", *INDICATOR_COLUMNS))
    rows = []
    for i, indicator in enumerate(indicators):
        cells = []
        for column in INDICATOR_COLUMNS:
            kind, _ = value_type(Indicator.model_fields[column].annotation)
            path = f"indicators[{i}].{column}"
            cells.append(value_cell(index, Leaf(path, getattr(indicator, column), kind), evidence.get(path)))
        rows.append(f"<tr><th>{i}</th>{''.join(cells)}</tr>")
    return (
        f'<h4>indicators ({len(indicators)})</h4><div class="scroll"><table class="grid">'
        f"<tr>{head}</tr>{''.join(rows)}</table></div>"
    )


def _row_header(row: TableRow) -> str:
    return "".join(f"<th>{html.escape(show(v))}</th>" for v in (row.code, row.name, row.side))


def _table_grids(index: int, report: BaseModel, evidence: Mapping[str, Evidence]) -> str:
    tables = getattr(report, "tables", None)
    if not isinstance(tables, list):
        return ""
    out = []
    for t, table in enumerate(tables):
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ("code", "name", "side", *table.columns))
        rows = []
        for r, row in enumerate(table.rows):
            cells = []
            for column in table.columns:
                path = f"tables[{t}].rows[{r}].values.{column}"
                leaf = Leaf(path, row.values.get(column), "decimal")
                cells.append(value_cell(index, leaf, evidence.get(path)))
            rows.append(f"<tr>{_row_header(row)}{''.join(cells)}</tr>")
        note = f'<p class="note">{html.escape(table.empty_note)}</p>' if table.empty_note else ""
        pages = ", ".join(str(p) for p in table.pages)
        out.append(
            f'<details class="table" data-table="{t}"><summary>table {html.escape(table.id)} '
            f"{html.escape(table.title)} <span class='fr-page'>p. {pages} · {len(table.rows)} rows</span>"
            f'</summary>{note}<div class="scroll"><table class="grid"><tr>{head}</tr>{"".join(rows)}'
            "</table></div></details>"
        )
    return "".join(out)


def _lists(index: int, report: BaseModel, evidence: Mapping[str, Evidence]) -> str:
    out = []
    for name in ("problems", "measures"):
        items = getattr(report, name, None)
        if not isinstance(items, list) or not items:
            continue
        cells = "".join(
            value_cell(index, Leaf(f"{name}[{i}]", item, "text"), evidence.get(f"{name}[{i}]"), tag="li")
            for i, item in enumerate(items)
        )
        out.append(f"<h4>{name}</h4><ol start='0'>{cells}</ol>")
    return "".join(out)


def _filters(doc: ResultDocument, counts: Counter[str]) -> str:
    reports = "".join(
        f'<option value="{i}">{html.escape(_title(i, r))}</option>' for i, r in enumerate(doc.reports)
    )
    kinds = "".join(f'<option value="{k}">{k}</option>' for k in sorted({r.kind for r in doc.reports}))
    statuses = "".join(
        f'<option value="{s}">{s} ({counts[s]})</option>' for s in ("fail", "skipped", "pass", "unchecked")
    )
    return (
        '<div class="filters">'
        f'<label>report <select id="f-report"><option value="">all</option>{reports}</select></label>'
        f'<label>kind <select id="f-kind"><option value="">all</option>{kinds}</select></label>'
        f'<label>status <select id="f-status"><option value="">all</option>{statuses}</select></label>'
        "</div>"
    )


EDITOR = """<div id="editor" hidden>
<div class="ed-path"><code id="ed-key"></code> <span id="ed-page" class="fr-page"></span></div>
<div class="ed-text">printed: <q id="ed-text"></q></div>
<form id="ed-form"><input id="ed-value" autocomplete="off"> <button type="submit">Correct</button>
<button type="button" id="ed-undo">Undo</button></form><div id="ed-error"></div></div>"""


def render_panel(doc: ResultDocument, value_status: Mapping[str, str], boxed: int, unboxed: int) -> str:
    """The whole side panel. `value_status` maps a value's key to the worst status of the checks
    that involve it; `boxed`/`unboxed` count the values with and without a box on a page."""
    ordered = ordered_findings(doc.findings)
    counts: Counter[str] = Counter(f.status for f in doc.findings)
    counts["unchecked"] = max(0, boxed + unboxed - len(value_status))
    failed = counts["fail"]
    summary = (
        f"<b>{html.escape(doc.source.file)}</b> · {doc.source.pages or '?'} pages · "
        f"{len(doc.reports)} reports · {boxed} values boxed on their page"
        f"{f', {unboxed} without a box' if unboxed else ''} · "
        f"{len(doc.findings)} checks, <span class='failed'>{failed} failed</span>"
    )
    groups = []
    for status, heading in (
        ("fail", "Failed checks"),
        ("skipped", "Skipped checks"),
        ("pass", "Passed checks"),
    ):
        cards = "".join(finding_html(i, f, doc) for i, f in ordered if f.status == status)
        if cards:
            opened = " open" if status == "fail" else ""
            groups.append(
                f'<details class="group" data-status="{status}"{opened}>'
                f"<summary><h2>{heading} ({counts[status]})</h2></summary>{cards}</details>"
            )
    reports = []
    for index, report in enumerate(doc.reports):
        fields = fields_table(index, scalar_leaves(report), report.evidence)
        reports.append(
            f'<section class="report" data-report="{index}" data-kind="{report.kind}">'
            f"<h3>{html.escape(_title(index, report))}</h3>{fields}"
            f"{_indicator_grid(index, report, report.evidence)}{_table_grids(index, report, report.evidence)}"
            f"{_lists(index, report, report.evidence)}</section>"
        )
    return (
        f'<aside id="panel"><header><div class="summary">{summary}</div>{_filters(doc, counts)}'
        '<div class="actions"><span id="n-corr">no corrections</span> '
        '<button id="save" type="button">Save corrected JSON</button> '
        '<span class="zoom">page size <button id="zoom-out" type="button">−</button>'
        '<button id="zoom-in" type="button">+</button></span> '
        '<span class="hint">j / k: next / previous failed check</span></div>'
        f"{EDITOR}</header>"
        f'<section id="findings">{"".join(groups)}</section>'
        f'<section id="reports"><h2>Reports</h2>{"".join(reports)}</section></aside>'
    )
