"""`extractor review`: a result shown on its document, for a person to check and correct.

    >>> from extractor.review import write_review
    >>> write_review("out/report.json", "out/report.review.html")

The page draws every value's evidence box on the rendered page, lists the checks (failed
first, with the boxes of the values each involves), and lets a reviewer correct values and
save the corrected result, which `extractor eval --pred RESULT --gold CORRECTED` scores.
"""

from __future__ import annotations

from pathlib import Path

from extractor.core.errors import SchemaError
from extractor.review.page import review_html, value_statuses
from extractor.review.pages import PageView, locate_source, render_pages
from extractor.schemas import ReportFileError, ResultDocument, load_result


def write_review(
    result: str | Path,
    out: str | Path,
    source: str | Path | None = None,
    *,
    dpi: int = 96,
    images: str = "embed",
) -> Path:
    """Write the review page of the result file `result` to `out`. The source document is
    `source`, else found by its name beside the result. `images`: "embed" (one self-contained
    file) or "beside" (JPEGs in the folder `<out stem>_pages` next to it)."""
    result, out = Path(result), Path(out)
    try:
        doc = load_result(result)
    except ReportFileError as exc:
        raise SchemaError(str(exc)) from exc
    path = locate_source(result, doc.source.file, doc.source.sha256, Path(source) if source else None)
    beside = out.parent / f"{out.stem}_pages" if images == "beside" else None
    pages = render_pages(path, dpi=dpi, beside=beside, turned=_turned(doc, result))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(review_html(doc, pages, result.name), encoding="utf-8")
    tmp.replace(out)
    return out


def _turned(doc: ResultDocument, result: Path) -> dict[int, int]:
    """The pages the extractor turned (`source.turned`), or one clear error."""
    try:
        return doc.source.page_turns()
    except ValueError as exc:
        raise SchemaError(f"{result}: {exc}; re-run the extraction or remove the field") from exc


__all__ = ["PageView", "render_pages", "review_html", "value_statuses", "write_review"]
