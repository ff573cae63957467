"""HTML views of a result: the one renderer behind the notebook display and the review page.

Standard library only (the report models stand alone: see the import-linter contract), so
`ResultDocument._repr_html_` can use it and `extractor.review` builds its side panel from the
same pieces. Every value cell carries `data-key="<report index>|<field path>"` (the path as in
`evidence`), the hook the review page's script uses to find a value's box and to correct it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import types
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from extractor.schemas.base import Evidence

if TYPE_CHECKING:
    from extractor.schemas.document import Finding, ResultDocument

ValueType = Literal["decimal", "int", "date", "text", "choice"]
"""What a corrected value must look like (the page validates input by it)."""

_STRUCTURE = frozenset({"kind", "pages", "evidence"})
"""Report fields that say where and what a report is, not values a reviewer corrects."""
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_STATUS_RANK = {"fail": 0, "skipped": 1, "pass": 2}


@dataclass(frozen=True)
class Leaf:
    """One value of a report: its path (as in `evidence`), the value and the type it must have."""

    path: str
    value: object
    type: ValueType
    choices: tuple[str, ...] = ()


def value_type(annotation: object) -> tuple[ValueType, tuple[str, ...]]:
    """The value type of a field annotation (`Amount | None` → decimal, `Literal[...]` → choice)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return value_type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return value_type(inner[0]) if inner else ("text", ())
    if origin is Literal:
        return "choice", tuple(str(a) for a in get_args(annotation))
    if annotation is Decimal:
        return "decimal", ()
    if annotation is int:
        return "int", ()
    if annotation is dt.date:
        return "date", ()
    return "text", ()


def _model_class(annotation: object) -> type[BaseModel] | None:
    """The model class inside `Model | None`, else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = _model_class(arg)
            if found is not None:
                return found
    return None


def _model_leaves(model: BaseModel | None, cls: type[BaseModel], prefix: str) -> Iterator[Leaf]:
    """Every field of a nested model (absent models yield their fields as null, so they can be filled)."""
    for name, info in cls.model_fields.items():
        if not prefix and name in _STRUCTURE:
            continue
        value = getattr(model, name) if model is not None else None
        path = f"{prefix}{name}"
        sub = _model_class(info.annotation)
        if sub is not None:
            yield from _model_leaves(value if isinstance(value, BaseModel) else None, sub, path + ".")
        elif get_origin(info.annotation) is list:
            continue  # lists (indicators, tables, problems) have leaves of their own: see list_leaves
        else:
            kind, choices = value_type(info.annotation)
            yield Leaf(path, value, kind, choices)


def scalar_leaves(report: BaseModel) -> list[Leaf]:
    """The report's single values (department, key figures, funds…), in schema order."""
    return list(_model_leaves(report, type(report), ""))


def list_leaves(report: BaseModel) -> list[Leaf]:
    """The values inside the report's lists: indicators, table cells, problems and measures."""
    out: list[Leaf] = []
    for name in type(report).model_fields:
        items = getattr(report, name)
        if name in _STRUCTURE or not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            path = f"{name}[{i}]"
            if isinstance(item, str):
                out.append(Leaf(path, item, "text"))
            elif name == "tables" and isinstance(item, BaseModel):
                out.extend(table_leaves(item, path))
            elif isinstance(item, BaseModel):
                out.extend(_model_leaves(item, type(item), path + "."))
    return out


def table_leaves(table: Any, path: str) -> Iterator[Leaf]:
    """Each cell of a standard table (every printed column of every row, blank cells as null)."""
    for r, row in enumerate(table.rows):
        for column in table.columns:
            yield Leaf(f"{path}.rows[{r}].values.{column}", row.values.get(column), "decimal")


def show(value: object) -> str:
    """A value as the page prints it: decimals as written, dates ISO, null as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def ordered_findings(findings: Sequence[Finding]) -> list[tuple[int, Finding]]:
    """Findings with their index: failed first (errors before warnings), then skipped, then passed."""
    return sorted(
        enumerate(findings), key=lambda p: (_STATUS_RANK[p[1].status], _SEVERITY_RANK[p[1].severity], p[0])
    )


def field_key(report: int | None, path: str) -> tuple[int | None, str]:
    """(report index, path) of a finding's field; `reports[N].x` names a field of report N."""
    if path.startswith("reports[") and "]." in path:
        head, _, rest = path.partition("].")
        index = head[len("reports[") :]
        if index.isdigit():
            return int(index), rest
    return report, path


def _esc(value: object) -> str:
    return html.escape(show(value), quote=True)


def _printed(evidence: Evidence | None, limit: int = 60) -> str:
    """The source text a value was read from, shortened: what the auditor compares with."""
    if evidence is None:
        return ""
    text = evidence.text if len(evidence.text) <= limit else evidence.text[: limit - 1] + "…"
    return f" <q class='fr-printed'>{html.escape(text)}</q>"


def _key_attr(key: str | None) -> str:
    return f' data-key="{html.escape(key)}"' if key else ""


def _page_of(evidence: Evidence | None) -> str:
    return f"p. {evidence.page}" if evidence is not None else "no evidence"


def value_cell(report: int, leaf: Leaf, evidence: Evidence | None, tag: str = "td") -> str:
    """One value as a cell the review page can select and correct (harmless in a notebook)."""
    null = " fr-null" if leaf.value is None else ""
    choices = f' data-choices="{html.escape("|".join(leaf.choices))}"' if leaf.choices else ""
    where = f' data-page="{evidence.page}"' if evidence is not None else ""
    title = f' title="{html.escape(evidence.text)}"' if evidence is not None else ""
    return (
        f'<{tag} class="fr-v{null}" data-key="{report}|{html.escape(leaf.path)}" data-type="{leaf.type}"'
        f"{choices}{where}{title}>{_esc(leaf.value)}</{tag}>"
    )


def fields_table(report: int, leaves: Iterable[Leaf], evidence: dict[str, Evidence]) -> str:
    """A two-column grid of a report's single values: path, value, page."""
    rows = [
        f"<tr><th>{html.escape(leaf.path)}</th>{value_cell(report, leaf, evidence.get(leaf.path))}"
        f'<td class="fr-page">{_page_of(evidence.get(leaf.path))}</td></tr>'
        for leaf in leaves
    ]
    return f'<table class="fr-fields">{"".join(rows)}</table>'


@dataclass(frozen=True)
class Involved:
    """A field a finding involves: its path as the finding names it, the key of its box (None
    when it was read nowhere), where it was read and its current value."""

    path: str
    key: str | None
    evidence: Evidence | None
    value: object


def involved(index: int, finding: Finding, doc: ResultDocument) -> list[Involved]:
    """The fields of finding `index`. A field with report evidence keys that report's box
    (`<report>|<path>`); one only the finding locates (a sentence of the narrative) keys a box
    of its own (`f<index>|<path>`)."""
    out = []
    for path in finding.fields:
        report, inner = field_key(finding.report, path)
        own = doc.reports[report] if report is not None and 0 <= report < len(doc.reports) else None
        evidence = finding.evidence.get(path)
        if own is not None and inner in own.evidence:
            key: str | None = f"{report}|{inner}"
            evidence = evidence or own.evidence[inner]
        else:
            key = f"f{index}|{path}" if evidence is not None else None
        out.append(Involved(path, key, evidence, _lookup(own, inner) if own is not None else None))
    return out


def finding_html(index: int, finding: Finding, doc: ResultDocument) -> str:
    """One finding: status, check, message, expected vs actual with tolerance, and its fields."""
    fields = involved(index, finding, doc)
    items = [
        f"<li{_key_attr(f.key)}><code>{html.escape(f.path)}</code>"
        f"{' = ' + _esc(f.value) if f.value is not None else ''} "
        f"<span class='fr-page'>{_page_of(f.evidence)}</span>{_printed(f.evidence)}</li>"
        for f in fields
    ]
    report_label = f"report {finding.report}" if finding.report is not None else "document"
    numbers = "".join(
        f"<span><b>{name}</b> {_esc(value)}</span>"
        for name, value in (
            ("expected", finding.expected),
            ("actual", finding.actual),
            ("tolerance", finding.tolerance),
        )
        if value is not None
    )
    keys = html.escape(json.dumps([f.key for f in fields if f.key], ensure_ascii=False))
    return (
        f'<div class="fr-finding fr-{finding.status} fr-{finding.severity}" data-finding="{index}" '
        f'data-report="{"" if finding.report is None else finding.report}" data-status="{finding.status}" '
        f'data-keys="{keys}">'
        f'<div class="fr-head"><span class="fr-badge">{finding.status} · {finding.severity}</span> '
        f"<code>{html.escape(finding.check)}</code> <span class='fr-where'>{report_label}</span></div>"
        f'<div class="fr-msg">{html.escape(finding.message)}</div>'
        f'<div class="fr-numbers">{numbers}</div>'
        f'<ul class="fr-involved">{"".join(items)}</ul></div>'
    )


def _lookup(model: object, path: str) -> object:
    """The value at a report path (`funds.total.executed`, `indicators[2].score`,
    `tables[1].rows[3].values.基本支出`); None where the path leads nowhere."""
    head, sep, column = path.partition(".values.")
    current: object = model
    for part in head.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            index = int(part[1:-1]) if part[1:-1].isdigit() else -1
            current = current[index] if isinstance(current, list) and 0 <= index < len(current) else None
        else:
            current = getattr(current, part, None)
        if current is None:
            return None
    if sep:
        values = getattr(current, "values", None)
        return values.get(column) if isinstance(values, dict) else None
    return current


NOTEBOOK_STYLE = """<style>
.fr-result{font-family:system-ui,sans-serif;font-size:13px}
.fr-result table{border-collapse:collapse;margin:4px 0 10px}
.fr-result th,.fr-result td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.fr-result .fr-null{color:#999}.fr-result .fr-page{color:#777;font-size:11px}
.fr-finding{border-left:4px solid #999;padding:2px 8px;margin:6px 0}
.fr-finding.fr-fail.fr-error{border-color:#c62828}.fr-finding.fr-fail.fr-warning{border-color:#ef6c00}
.fr-badge{font-weight:600}.fr-numbers span{margin-right:12px}.fr-involved{margin:2px 0;padding-left:18px}
</style>"""


def result_html(doc: ResultDocument, max_fields: int = 12) -> str:
    """The notebook display: each report's key values (the first `max_fields` that are filled)
    and every failed finding, failed errors first."""
    failed = [(i, f) for i, f in ordered_findings(doc.findings) if f.status == "fail"]
    parts = [
        NOTEBOOK_STYLE,
        '<div class="fr-result">',
        f"<div><b>{html.escape(doc.source.file)}</b> · {doc.source.pages or '?'} pages · "
        f"{len(doc.reports)} reports · {len(doc.findings)} checks, {len(failed)} failed</div>",
    ]
    for index, report in enumerate(doc.reports):
        filled = [leaf for leaf in scalar_leaves(report) if leaf.value is not None]
        counts = ", ".join(
            f"{len(items)} {name}"
            for name in ("indicators", "tables")
            if isinstance(items := getattr(report, name, None), list) and items
        )
        more = f" (+{len(filled) - max_fields} more)" if len(filled) > max_fields else ""
        parts.append(
            f"<details{' open' if index == 0 else ''}><summary>report {index}: <b>{report.kind}</b> "
            f"pages {_pages(report.pages)}{' · ' + counts if counts else ''}{more}</summary>"
            f"{fields_table(index, filled[:max_fields], report.evidence)}</details>"
        )
    if failed:
        parts.append(f"<div><b>Failed checks ({len(failed)})</b></div>")
        parts.extend(finding_html(i, f, doc) for i, f in failed)
    parts.append("</div>")
    return "".join(parts)


def _pages(pages: Sequence[int]) -> str:
    if not pages:
        return "?"
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}–{pages[-1]}"
