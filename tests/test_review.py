"""`extractor review` without a browser: what the page holds, where its boxes go, the
notebook display, and the errors a reviewer can run into. Inputs are made by running the
extractor on the born-digital samples (and on PDFs drawn here), never committed outputs."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from extractor.api import extract
from extractor.cli import main
from extractor.review import PageView, render_pages, review_html
from extractor.review.textmarks import Quote, marked_page
from extractor.schemas import ResultDocument, dump_result, load_result, parse_result
from extractor.schemas.display import list_leaves, ordered_findings, result_html, scalar_leaves

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pdf" / "003_fa808c88f47e4303.pdf"  # a self-evaluation with a failed check

BOX = re.compile(
    r'<div class="box s-(\w+)[^"]*" data-key="([^"]+)" title="[^"]*" '
    r'style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%"'
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ResultDocument]:
    folder = tmp_path_factory.mktemp("review")
    doc = extract(SAMPLE)
    result = folder / "result.json"
    result.write_text(dump_result(doc), encoding="utf-8")
    return result, doc


@pytest.fixture(scope="module")
def page_html(extracted: tuple[Path, ResultDocument], tmp_path_factory: pytest.TempPathFactory) -> str:
    result, _ = extracted
    out = tmp_path_factory.mktemp("page") / "review.html"
    assert main(["review", str(result), "--source", str(SAMPLE), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_page_is_offline_and_holds_every_page_and_the_result(
    page_html: str, extracted: tuple[Path, ResultDocument]
) -> None:
    _, doc = extracted
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page_html)
    assert "@import" not in page_html and "url(http" not in page_html
    images = re.findall(
        r'<img loading="lazy" decoding="async" alt="page (\d+)" src="data:image/jpeg;base64,', page_html
    )
    assert [int(n) for n in images] == list(range(1, (doc.source.pages or 0) + 1))
    embedded = re.search(r'<script type="application/json" id="fr-result">(.*?)</script>', page_html, re.S)
    assert embedded is not None
    assert "<" not in embedded.group(1) and parse_result(embedded.group(1)) == doc


def test_every_value_with_evidence_has_a_box_where_it_was_read(
    page_html: str, extracted: tuple[Path, ResultDocument]
) -> None:
    _, doc = extracted
    pdf = pymupdf.open(SAMPLE)
    boxes = {m.group(2): m for m in BOX.finditer(page_html)}
    expected = {
        f"{i}|{path}": ev for i, r in enumerate(doc.reports) for path, ev in r.evidence.items() if ev.bbox
    }
    assert expected and set(expected) <= set(boxes)
    pages = {
        int(p): chunk for p, chunk in re.findall(r'data-page="(\d+)"[^>]*>(.*?)<span class="pno">', page_html)
    }
    for key, ev in expected.items():
        assert f'data-key="{key}"' in pages[ev.page], f"{key} not drawn on page {ev.page}"
        rect = pdf[ev.page - 1].rect
        left, top, width, height = (float(v) / 100 for v in boxes[key].group(3, 4, 5, 6))
        assert ev.bbox is not None
        assert left == pytest.approx(ev.bbox[0] / rect.width, abs=1e-4)
        assert top == pytest.approx(ev.bbox[1] / rect.height, abs=1e-4)
        assert left + width == pytest.approx(min(ev.bbox[2], rect.width) / rect.width, abs=1e-4)
        assert top + height == pytest.approx(min(ev.bbox[3], rect.height) / rect.height, abs=1e-4)


def test_failed_checks_come_first_with_their_numbers(
    page_html: str, extracted: tuple[Path, ResultDocument]
) -> None:
    _, doc = extracted
    failed = [f for f in doc.findings if f.status == "fail"]  # the variant below always has one
    statuses = re.findall(r'<div class="fr-finding fr-(\w+) fr-\w+" data-finding', page_html)
    assert statuses == sorted(statuses, key=["fail", "skipped", "pass"].index)
    for finding in failed:
        start = page_html.index(f'data-finding="{doc.findings.index(finding)}"')
        card = page_html[start : page_html.index("</ul></div>", start)]
        for name, value in (
            ("expected", finding.expected),
            ("actual", finding.actual),
            ("tolerance", finding.tolerance),
        ):
            if value is not None:
                assert f"<b>{name}</b> {value}" in card
        keys = json.loads(re.search(r'data-keys="([^"]*)"', card).group(1).replace("&quot;", '"'))  # type: ignore[union-attr]
        assert all(f'data-key="{k}"' in page_html for k in keys)


def test_every_value_is_a_correctable_cell(page_html: str, extracted: tuple[Path, ResultDocument]) -> None:
    _, doc = extracted
    for index, report in enumerate(doc.reports):
        for leaf in [*scalar_leaves(report), *list_leaves(report)]:
            assert f'data-key="{index}|{leaf.path}" data-type="{leaf.type}"' in page_html


def _variant(tmp_path: Path) -> ResultDocument:
    """A hand-made result over a PDF drawn here: one value on each of two pages, a failed
    check that involves both, and a sentence only the check locates."""
    pdf = pymupdf.open()
    for text in ("收入合计 120.00", "支出合计 130.00"):
        page = pdf.new_page(width=400, height=300)
        page.insert_text((50, 100), text, fontname="china-s", fontsize=14)
    pdf.save(tmp_path / "variant.pdf")
    data: dict[str, Any] = {
        "source": {"file": "variant.pdf", "pages": 2},
        "reports": [
            {
                "kind": "final_account",
                "department": "某局</script><!--<script>",  # markup in a value stays text
                "pages": [1, 2],
                "key_figures": {"income_total": "120.00", "expenditure_total": "130.00"},
                "evidence": {
                    "key_figures.income_total": {"page": 1, "bbox": [100, 85, 150, 104], "text": "120.00"},
                    "key_figures.expenditure_total": {
                        "page": 2,
                        "bbox": [100, 85, 150, 104],
                        "text": "130.00",
                    },
                },
            }
        ],
        "findings": [
            {
                "check": "balance",
                "severity": "error",
                "report": 0,
                "status": "fail",
                "message": "收支不平",
                "expected": "130.00",
                "actual": "120.00",
                "tolerance": "0.01",
                "fields": ["key_figures.income_total", "key_figures.expenditure_total", "(narrative)"],
                "evidence": {
                    "(narrative)": {"page": 2, "bbox": [50, 80, 200, 110], "text": "支出合计 130.00"}
                },
            },
            {"check": "other", "severity": "info", "report": 0, "status": "pass", "message": "ok"},
        ],
    }
    return ResultDocument.model_validate(data)


def test_a_finding_names_the_boxes_of_every_value_it_involves(tmp_path: Path) -> None:
    doc = _variant(tmp_path)
    page = review_html(doc, render_pages(tmp_path / "variant.pdf", dpi=30), "variant.json")
    card = re.search(r'data-finding="0"[^>]*data-keys="([^"]*)"', page)
    assert card is not None
    keys = json.loads(card.group(1).replace("&quot;", '"'))
    assert keys == ["0|key_figures.income_total", "0|key_figures.expenditure_total", "f0|(narrative)"]
    drawn = {m.group(2): m.group(1) for m in BOX.finditer(page)}
    assert drawn == {k: "fail" for k in keys}
    assert page.count("</script>") == page.count("<script") == 4
    embedded = re.search(r'id="fr-result">(.*?)</script>', page, re.S)
    assert embedded is not None and parse_result(embedded.group(1)) == doc
    assert page.index('data-finding="0"') < page.index('data-finding="1"')
    card = page[page.index('data-finding="0"') : page.index('data-finding="1"')]
    assert (
        "<b>expected</b> 130.00" in card
        and "<b>actual</b> 120.00" in card
        and "<b>tolerance</b> 0.01" in card
    )


def test_boxes_follow_a_rotated_page(tmp_path: Path) -> None:
    """Evidence boxes are in the displayed page's points (ingest reads a /Rotate page as displayed)."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=400, height=600)
    page.draw_rect(pymupdf.Rect(40, 60, 140, 90), color=(0, 0, 0), fill=(0, 0, 0))
    page.insert_text((200, 500), "旋转页", fontname="china-s", fontsize=12)
    page.set_rotation(90)
    pdf.save(tmp_path / "rotated.pdf")
    view = render_pages(tmp_path / "rotated.pdf", dpi=72)[0]
    assert (view.width, view.height) == (600, 400)
    shown = pymupdf.Rect(40, 60, 140, 90) * page.rotation_matrix
    *_, width, height = view.box((shown.x0, shown.y0, shown.x1, shown.y1))
    assert _lightest_under(view, (shown.x0, shown.y0, shown.x1, shown.y1)) < 60, (
        "the box must cover the black rectangle in the rotated picture"
    )
    assert width * view.width == pytest.approx(30, abs=0.5) and height * view.height == pytest.approx(
        100, abs=0.5
    )


def _lightest_under(view: PageView, bbox: tuple[float, float, float, float]) -> int:
    """The lightest grey level of the picture inside the box `view` draws for `bbox` (1% in from
    each side, so the box's own edge pixels do not count)."""
    assert view.src is not None
    image = Image.open(io.BytesIO(base64.b64decode(view.src.split(",", 1)[1]))).convert("L")
    left, top, width, height = view.box(bbox)
    inside = image.crop(
        (
            int((left + 0.01) * image.width),
            int((top + 0.01) * image.height),
            int((left + width - 0.01) * image.width),
            int((top + height - 0.01) * image.height),
        )
    )
    return int(inside.getextrema()[1])


def test_a_page_read_turned_is_shown_turned_under_its_boxes(
    extracted: tuple[Path, ResultDocument], tmp_path: Path
) -> None:
    """A sample whose first page is placed turned on a portrait sheet (content matrix, /Rotate 0):
    the extractor reads it turned (`source.turned`) and the review page shows it the same way."""
    with pymupdf.open(SAMPLE) as upright, pymupdf.open() as sheet:
        first = upright[0]
        first.draw_rect(pymupdf.Rect(20, 20, 60, 40), color=(0, 0, 0), fill=(0, 0, 0))
        width, height = first.rect.width, first.rect.height
        sheet.new_page(width=height, height=width).show_pdf_page(
            pymupdf.Rect(0, 0, height, width), upright, 0, rotate=90
        )
        sheet.insert_pdf(upright, from_page=1)
        sheet.save(tmp_path / "turned.pdf")
    doc = extract(tmp_path / "turned.pdf")
    assert (doc.source.model_extra or {})["turned"] == {"1": 90}
    assert [r.kind for r in doc.reports] == [r.kind for r in extracted[1].reports]
    result = tmp_path / "turned.json"
    result.write_text(dump_result(doc), encoding="utf-8")
    view = render_pages(tmp_path / "turned.pdf", dpi=72, turned={1: 90})[0]
    assert (view.width, view.height) == pytest.approx((width, height))
    # (20, 20, 60, 40): where the rectangle is on the page as read.
    assert _lightest_under(view, (20, 20, 60, 40)) < 60, (
        "the box must cover the black rectangle in the turned picture"
    )
    out = tmp_path / "turned.html"
    assert main(["review", str(result), "--source", str(tmp_path / "turned.pdf"), "-o", str(out)]) == 0


def test_an_image_read_turned_keeps_its_frame(tmp_path: Path) -> None:
    Image.new("L", (300, 500), 255).save(tmp_path / "sheet.png")
    (view,) = render_pages(tmp_path / "sheet.png", dpi=72, turned={1: 270})
    assert (view.width, view.height) == pytest.approx((595.0 * 500 / 300, 595.0))


def test_a_malformed_turn_is_one_clear_line(
    extracted: tuple[Path, ResultDocument], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result, _ = extracted
    data = json.loads(result.read_text(encoding="utf-8"))
    data["source"]["turned"] = {"1": 45}
    bad = tmp_path / "bad_turn.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["review", str(bad), "--source", str(SAMPLE), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "source.turned" in err and err.count("\n") == 1 and "Traceback" not in err


def test_pages_can_go_beside_the_page(extracted: tuple[Path, ResultDocument], tmp_path: Path) -> None:
    result, doc = extracted
    out = tmp_path / "r.html"
    assert main(["review", str(result), "--source", str(SAMPLE), "-o", str(out), "--images", "beside"]) == 0
    files = sorted((tmp_path / "r_pages").iterdir())
    assert len(files) == doc.source.pages
    assert 'src="r_pages/page-001.jpg"' in out.read_text(encoding="utf-8")


def test_the_source_is_found_beside_the_result(
    extracted: tuple[Path, ResultDocument], tmp_path: Path
) -> None:
    result, _ = extracted
    shutil.copy(result, tmp_path / "result.json")
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    assert main(["review", str(tmp_path / "result.json")]) == 0
    assert (tmp_path / "result.review.html").stat().st_size > 0


def test_bad_input_is_one_clear_line(
    extracted: tuple[Path, ResultDocument], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result, _ = extracted
    alone = tmp_path / "alone.json"
    shutil.copy(result, alone)
    other = ROOT / "samples" / "pdf" / "000_d041a5389ba04b30.pdf"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    cases = [
        (["review", str(alone), "-o", str(tmp_path / "a.html")], "give it with --source FILE"),
        (["review", str(result), "--source", str(other), "-o", str(tmp_path / "b.html")], "sha256 differs"),
        (["review", str(result), "--source", str(tmp_path / "nope.pdf")], "file not found"),
        (["review", str(broken), "--source", str(SAMPLE)], "not valid JSON"),
        (["review", str(result), "--source", str(SAMPLE), "--dpi", "1000"], "between 24 and 300"),
    ]
    for argv, reason in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and reason in err and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_notebook_display_shows_key_values_and_failed_checks(extracted: tuple[Path, ResultDocument]) -> None:
    _, doc = extracted
    shown = doc._repr_html_()
    assert shown == result_html(doc)
    failed = [i for i, f in ordered_findings(doc.findings) if f.status == "fail"]
    assert re.findall(r'data-finding="(\d+)"', shown) == [str(i) for i in failed]
    filled = [leaf for leaf in scalar_leaves(doc.reports[0]) if leaf.value is not None][:12]
    for leaf in filled:
        assert f'data-key="0|{leaf.path}"' in shown


def test_notebook_display_of_a_variant(tmp_path: Path) -> None:
    doc = _variant(tmp_path)
    shown = doc._repr_html_()
    assert "收支不平" in shown and "<b>expected</b> 130.00" in shown and "<b>tolerance</b> 0.01" in shown
    assert ">120.00</td>" in shown and "p. 2" in shown
    assert "ok" not in re.sub(r"<[^>]+>", " ", shown).split(), "passed checks are not listed"
    # a result loaded back from its JSON shows the same
    path = tmp_path / "v.json"
    path.write_text(dump_result(doc), encoding="utf-8")
    assert load_result(path)._repr_html_() == shown


def test_quotes_are_marked_on_text_pages_nested_or_spaced_out() -> None:
    page = "全年总支出1242.67万元，其中基本支出 842.12 万元。\n人员  支出736.7万元"
    quotes = [
        Quote("0|total", "全年总支出1242.67万元，其中基本支出 842.12 万元。", "pass"),
        Quote("0|basic", "基本支出 842.12 万元", "fail"),
        Quote("0|personnel", "人员支出736.7万元", "unchecked"),  # printed with two spaces
        Quote("0|across", "万元。\n人员", "unchecked"),  # straddles two marks: left out
        Quote("0|absent", "公用经费", "unchecked"),
    ]
    marked, found = marked_page(page, quotes)
    assert found == {"0|total", "0|basic", "0|personnel"}
    assert re.sub(r"<[^>]+>", "", marked) == page
    assert marked.index('data-key="0|total"') < marked.index('data-key="0|basic"')
    inner = re.search(r'<mark class="s-fail" data-key="0\|basic"[^>]*>(.*?)</mark>', marked)
    assert inner is not None and inner.group(1) == "基本支出 842.12 万元"
    assert re.search(r'data-key="0\|personnel"[^>]*>人员  支出736.7万元</mark>', marked)


def test_a_text_source_marks_every_quote_on_its_page(tmp_path: Path) -> None:
    """A .txt report (pages split by form feeds) has no boxes: its quotes are marked instead."""
    text = (ROOT / "samples" / "seeds" / "003_fa808c88f47e4303.txt").read_text(encoding="utf-8")
    # a variant: the same report moved to page 2, with a cover page before it
    source = tmp_path / "variant.txt"
    source.write_text("封面\n\f" + text.replace("，", "， "), encoding="utf-8")
    doc = extract(source)
    result = tmp_path / "variant.json"
    result.write_text(dump_result(doc), encoding="utf-8")
    out = tmp_path / "variant.html"
    assert main(["review", str(result), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    pages = dict(re.findall(r'data-page="(\d+)">(.*?)<span class="pno">', page, re.S))
    evidence = [(f"{i}|{p}", e) for i, r in enumerate(doc.reports) for p, e in r.evidence.items()]
    assert evidence and all(e.bbox is None for _, e in evidence)
    for key, ev in evidence:
        assert f'data-key="{key}"' in pages[str(ev.page)], f"{key} not marked on page {ev.page}"
    assert f"{len(evidence)} values boxed on their page ·" in page


def test_the_page_assets_ship_as_package_data() -> None:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {"*.js", "*.css"} <= set(data["package-data"]["extractor.review"])
    assert "extractor.review" in data["packages"]
    assert (ROOT / "extractor" / "review" / "review.js").is_file()
    assert (ROOT / "extractor" / "review" / "review.css").is_file()
