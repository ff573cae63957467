"""The review page: the document's pages with every evidence box drawn on them, beside the panel.

One HTML file: styles and script inline, the result's JSON embedded (the corrections start from
it), page pictures as data URIs or files beside it. Nothing is fetched from the network.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import PurePath

from extractor.review.pages import PageView
from extractor.review.panel import render_panel
from extractor.review.textmarks import Quote, marked_page
from extractor.schemas import Evidence, ResultDocument, dump_result
from extractor.schemas.display import involved

_RANK = {"fail": 0, "skipped": 1, "pass": 2}


def value_statuses(doc: ResultDocument) -> dict[str, str]:
    """Each value's key → the worst status of the checks that involve it (fail, skipped, pass)."""
    out: dict[str, str] = {}
    for index, finding in enumerate(doc.findings):
        for field in involved(index, finding, doc):
            if field.key is None:
                continue
            known = out.get(field.key)
            if known is None or _RANK[finding.status] < _RANK[known]:
                out[field.key] = finding.status
    return out


def _box(key: str, evidence: Evidence, view: PageView, status: str, extra: str = "") -> str:
    assert evidence.bbox is not None
    left, top, width, height = view.box(evidence.bbox)
    return (
        f'<div class="box s-{status}{extra}" data-key="{html.escape(key)}" title="{html.escape(key)}: '
        f'{html.escape(evidence.text[:200])}" style="left:{left * 100:.3f}%;top:{top * 100:.3f}%;'
        f'width:{width * 100:.3f}%;height:{height * 100:.3f}%"></div>'
    )


def _pages(
    doc: ResultDocument, views: dict[int, PageView], status: dict[str, str]
) -> tuple[dict[int, str], int, int]:
    """The markup of each page with its boxes (text pages: the quotes marked), and how many
    report values got a box and how many could not."""
    per_page: dict[int, list[str]] = {}
    quotes: dict[int, list[Quote]] = {}
    boxed = unboxed = 0
    for index, report in enumerate(doc.reports):
        for path, evidence in report.evidence.items():
            key = f"{index}|{path}"
            view = views.get(evidence.page)
            if view is not None and view.src is None:
                quotes.setdefault(view.number, []).append(
                    Quote(key, evidence.text, status.get(key, "unchecked"))
                )
            elif evidence.bbox is None or view is None:
                unboxed += 1
            else:
                per_page.setdefault(evidence.page, []).append(
                    _box(key, evidence, view, status.get(key, "unchecked"))
                )
                boxed += 1
    for index, finding in enumerate(doc.findings):
        for field in involved(index, finding, doc):
            ev = field.evidence
            if field.key is None or not field.key.startswith("f") or ev is None:
                continue
            view = views.get(ev.page)
            if view is not None and view.src is None:
                quotes.setdefault(view.number, []).append(Quote(field.key, ev.text, finding.status))
            elif view is not None and ev.bbox is not None:
                per_page.setdefault(ev.page, []).append(_box(field.key, ev, view, finding.status, " finding"))
    pages: dict[int, str] = {}
    for view in views.values():
        if view.src is None:
            text, found = marked_page(view.text or "", quotes.get(view.number, []))
            counted = {q.key for q in quotes.get(view.number, []) if not q.key.startswith("f")}
            boxed += len(counted & found)
            unboxed += len(counted - found)
            body = f'<pre class="text-page">{text}</pre>'
            style = ""
        else:
            body = (
                f'<img loading="lazy" decoding="async" alt="page {view.number}" src="{html.escape(view.src)}">'
                f"{''.join(per_page.get(view.number, []))}"
            )
            style = f' style="aspect-ratio:{view.width:.2f}/{view.height:.2f}"'
        pages[view.number] = (
            f'<div class="page" id="page-{view.number}" data-page="{view.number}"{style}>{body}'
            f'<span class="pno">{view.number}</span></div>'
        )
    return pages, boxed, unboxed


def _json_script(element_id: str, text: str) -> str:
    # "<" occurs in JSON only inside strings, where \u003c is the same character: nothing in
    # the data can end the script element or open a comment in it.
    safe = text.replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{safe}</script>'


def _asset(name: str) -> str:
    return resources.files("extractor.review").joinpath(name).read_text(encoding="utf-8")


def review_html(doc: ResultDocument, pages: Sequence[PageView], result_name: str) -> str:
    """The complete page for `doc`, whose source's pages are `pages`; `result_name` names the
    result file (the corrected download is called after it)."""
    status = value_statuses(doc)
    views = {view.number: view for view in pages}
    markup, boxed, unboxed = _pages(doc, views, status)
    stem = PurePath(result_name).stem
    meta = {"result": result_name, "corrected_name": f"{stem}.corrected.json"}
    title = html.escape(f"Review · {doc.source.file}")
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_asset('review.css')}</style></head><body>"
        f'<main id="pages">{"".join(markup[v.number] for v in pages)}</main>'
        f"{render_panel(doc, status, boxed, unboxed)}"
        f"{_json_script('fr-result', dump_result(doc))}"
        f"{_json_script('fr-status', json.dumps(status, ensure_ascii=False))}"
        f"{_json_script('fr-meta', json.dumps(meta, ensure_ascii=False))}"
        f"<script>{_asset('review.js')}</script></body></html>"
    )
