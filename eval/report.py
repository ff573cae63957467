"""Summaries of an evaluation: terminal table, JSON and markdown."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from extractor.eval.harness import SampleResult
from extractor.eval.score import CellCounts, Counts, FieldResult


def _fields(results: Iterable[SampleResult]) -> list[FieldResult]:
    return [f for r in results if r.score for f in r.score.fields]


def _cells(results: Iterable[SampleResult]) -> CellCounts:
    total = CellCounts()
    for r in results:
        if r.score:
            total = total + r.score.cells
    return total


def _metrics(counts: Counts, cells: CellCounts | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "precision": round(counts.precision, 4),
        "recall": round(counts.recall, 4),
        "f1": round(counts.f1, 4),
        "correct": counts.correct,
        "wrong": counts.wrong,
        "missing": counts.missing,
        "extra": counts.extra,
    }
    if cells is not None:
        out["cell_accuracy"] = round(cells.accuracy, 4)
        out["cells"] = cells.total
    return out


def _grouped(fields: list[FieldResult], key: Callable[[FieldResult], str]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[FieldResult]] = defaultdict(list)
    for f in fields:
        groups[key(f)].append(f)
    return {name: _metrics(Counts.of(items)) for name, items in sorted(groups.items())}


def _timing(results: list[SampleResult]) -> dict[str, Any]:
    pages = sum(r.pages for r in results)
    seconds = sum(r.seconds for r in results)
    stages: dict[str, float] = defaultdict(float)
    for r in results:
        for stage, s in r.stage_seconds.items():
            stages[stage] += s
    return {
        "pages": pages,
        "seconds": round(seconds, 3),
        "seconds_per_page": round(seconds / pages, 4) if pages else None,
        "pages_per_second": round(pages / seconds, 2) if seconds else None,
        "stages": {
            stage: {"seconds": round(s, 3), "pages_per_second": round(pages / s, 2) if s else None}
            for stage, s in stages.items()
        },
    }


def _labels(results: list[SampleResult]) -> list[str]:
    """Group labels in first-seen order (the harness runs the headline corpus first)."""
    return list(dict.fromkeys(r.label for r in results))


def _by_meta(results: list[SampleResult], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[SampleResult]] = defaultdict(list)
    for r in results:
        groups[r.meta.get(key, "unknown")].append(r)
    return {
        name: {**_metrics(Counts.of(_fields(rs)), _cells(rs)), "documents": len(rs)}
        for name, rs in sorted(groups.items())
    }


def summarise(results: list[SampleResult], info: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON report: overall; per corpus/variant (`real/pdf`, `samples/scan`, …) with per-kind,
    per-field-group, per-province and per-producer breakdowns; per document; errors listed."""
    labels = _labels(results)
    fields = _fields(results)
    groups = {label: [r for r in results if r.label == label] for label in labels}
    return {
        "info": info or {},
        "headline": labels[0] if labels else None,
        "overall": _metrics(Counts.of(fields), _cells(results)),
        "variants": {
            label: {**_metrics(Counts.of(_fields(rs)), _cells(rs)), "timing": _timing(rs)}
            for label, rs in groups.items()
        },
        "samples": [
            {
                "sample": r.sample,
                "variant": r.variant,
                "corpus": r.corpus,
                **r.meta,
                "pages": r.pages,
                "seconds": round(r.seconds, 3),
                "error": r.error,
                **(_metrics(r.score.counts, r.score.cells) if r.score else {}),
                "unmatched_gold_reports": r.score.unmatched_gold_reports if r.score else [],
                "unmatched_pred_reports": r.score.unmatched_pred_reports if r.score else [],
                "info": r.info,
            }
            for r in results
        ],
        "by_kind": {label: _grouped(_fields(rs), lambda f: f.report_kind) for label, rs in groups.items()},
        "by_group": {
            label: _grouped(_fields(rs), lambda f: f"{f.report_kind}.{f.group}")
            for label, rs in groups.items()
        },
        "by_province": {label: _by_meta(rs, "province") for label, rs in groups.items() if rs[0].meta},
        "by_producer": {label: _by_meta(rs, "producer") for label, rs in groups.items() if rs[0].meta},
        "errors": [
            {"sample": r.sample, "variant": r.label, **f.model_dump()}
            for r in results
            if r.score
            for f in r.score.fields
            if f.status != "correct"
        ],
    }


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


_HEAD = ["", "P", "R", "F1", "cells", "ok", "wrong", "miss", "extra"]


def _line(name: str, m: dict[str, Any]) -> list[str]:
    if "f1" not in m:  # not scored (its gold did not load): the error line says why
        return [name, "-", "-", "-", "-", "-", "-", "-", "-"]
    cells = f"{m['cell_accuracy']:.3f}" if "cell_accuracy" in m and m.get("cells") else "-"
    return [
        name,
        f"{m['precision']:.3f}",
        f"{m['recall']:.3f}",
        f"{m['f1']:.3f}",
        cells,
        str(m["correct"]),
        str(m["wrong"]),
        str(m["missing"]),
        str(m["extra"]),
    ]


def _table(lines: list[list[str]]) -> list[list[str]]:
    return [_HEAD, *lines]


def render_terminal(summary: dict[str, Any]) -> str:
    """A readable fixed-width table: per sample, per variant, per report kind, timing."""
    lines: list[list[str]] = []
    for s in summary["samples"]:
        name = f"{s['sample']} [{s['corpus'] + '/' if s['corpus'] else ''}{s['variant']}]"
        lines.append(_line(name, s))
        if s["error"]:
            lines.append([f"  error: {_cell(s['error'])}", "", "", "", "", "", "", "", ""])
    for v, m in summary["variants"].items():
        lines.append(_line(f"ALL [{v}]", m))
    for v, kinds in summary["by_kind"].items():
        for kind, m in kinds.items():
            lines.append(_line(f"  {kind} [{v}]", m))
    for key in ("by_province", "by_producer"):
        for v, groups in summary.get(key, {}).items():
            for name, m in groups.items():
                lines.append(_line(f"  {key[3:]} {name} ({m['documents']} docs) [{v}]", m))
    rows = _table(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEAD))]
    out = [_row(r, widths) for r in rows]
    for v, m in summary["variants"].items():
        t = m["timing"]
        if t["pages"]:
            stages = ", ".join(
                f"{k} {st['pages_per_second']} p/s" for k, st in t["stages"].items() if st["pages_per_second"]
            )
            out.append(
                f"timing [{v}]: {t['pages']} pages in {t['seconds']} s = {t['pages_per_second']} pages/s "
                f"({t['seconds_per_page']} s/page){'; ' + stages if stages else ''}"
            )
    return "\n".join(out) + "\n"


def render_markdown(summary: dict[str, Any]) -> str:
    out = ["# Evaluation report", ""]
    if summary["info"]:
        out += [", ".join(f"{k}: {v}" for k, v in summary["info"].items()), ""]
    if summary.get("headline"):
        out += [f"Headline: **{summary['headline']}**.", ""]
    out += [
        "| sample | variant | P | R | F1 | cell acc. | correct | wrong | missing | extra | pages | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summary["samples"]:
        if "f1" not in s:
            out.append(
                f"| {s['sample']} | {s['corpus']}/{s['variant']} | not scored: {_cell(s['error'] or '')} |"
            )
            continue
        out.append(
            f"| {s['sample']} | {s['corpus'] + '/' if s['corpus'] else ''}{s['variant']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
            f"{s['cell_accuracy']:.3f} | {s['correct']} | {s['wrong']} | {s['missing']} | {s['extra']} | "
            f"{s['pages']} | {s['seconds']} |"
        )
    out += [
        "",
        "## Per variant",
        "",
        "| variant | P | R | F1 | cell acc. | pages/s | s/page |",
        "|---|---|---|---|---|---|---|",
    ]
    for v, m in summary["variants"].items():
        t = m["timing"]
        out.append(
            f"| {v} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['cell_accuracy']:.3f} | "
            f"{t['pages_per_second']} | {t['seconds_per_page']} |"
        )
    out += [
        "",
        "## Per report kind and field group",
        "",
        "| variant | group | P | R | F1 | correct | wrong | missing | extra |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for v, groups in summary["by_group"].items():
        for g, m in groups.items():
            out.append(
                f"| {v} | {g} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                f"{m['correct']} | {m['wrong']} | {m['missing']} | {m['extra']} |"
            )
    failed = [s for s in summary["samples"] if s["error"]]
    if failed:
        out += [
            "",
            f"## Documents the pipeline could not read ({len(failed)}; their gold fields count as missing)",
            "",
        ]
        out += [f"- {s['sample']} [{s['corpus']}/{s['variant']}]: {s['error']}" for s in failed]
    errors = summary["errors"]
    out += ["", f"## Field errors ({len(errors)})", ""]
    if errors:
        out += ["| sample | variant | status | path | gold | predicted |", "|---|---|---|---|---|---|"]
        for e in errors[:300]:
            out.append(
                f"| {e['sample']} | {e['variant']} | {e['status']} | `{e['path']}` | "
                f"{_cell(e['gold'])} | {_cell(e['pred'])} |"
            )
        if len(errors) > 300:
            out.append(f"\n… {len(errors) - 300} more in the JSON report.")
    return "\n".join(out) + "\n"


def _cell(value: str | None) -> str:
    if value is None:
        return "∅"
    text = value.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"
