"""The review page in a real browser (headless Chromium from Debian, driven by selenium
through chromium-driver; scripts/system-deps.sh installs both). The page is made from the
82-page sample extracted here: click a value, and its box must be visible on its page;
click a failed check, and the boxes of its values light up; correct a value, save, and
`extractor eval` scores the extractor against the correction.

The screenshot of a selected failed check is written to out/test-artifacts/review.png;
`EXTRACTOR_UPDATE_SCREENSHOT=1` also copies it to docs/review.png (the README's picture).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from extractor.api import extract
from extractor.cli import main
from extractor.schemas import ResultDocument, dump_result, load_result

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pdf" / "002_d741ed2ca5e3f399.pdf"
ARTIFACTS = ROOT / "out" / "test-artifacts"


def _browser_paths() -> tuple[str, str]:
    driver = shutil.which("chromedriver")
    browser = next(
        (
            p
            for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "")
            if p and Path(p).is_file()
        ),
        None,
    )
    if driver is None or browser is None:
        pytest.fail("headless Chromium is missing: run `bash scripts/system-deps.sh` (as root) to install it")
    return browser, driver


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[WebDriver]:
    binary, driver_path = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, ResultDocument]:
    folder = tmp_path_factory.mktemp("review-browser")
    doc = extract(SAMPLE)
    result = folder / "002.json"
    result.write_text(dump_result(doc), encoding="utf-8")
    page = folder / "002.html"
    assert main(["review", str(result), "--source", str(SAMPLE), "-o", str(page)]) == 0
    return result, page, doc


@pytest.fixture
def opened(browser: WebDriver, review: tuple[Path, Path, ResultDocument]) -> WebDriver:
    browser.get(review[1].as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return !!(window.frReview && frReview.ready)")
    )
    return browser


# The active box: its page, whether it is inside the window, and whether it is the topmost
# element at its centre (not hidden under something else).
_ACTIVE_BOX = """
const boxes = Array.from(document.querySelectorAll('.box.' + arguments[0]));
return boxes.map((b) => {
  const r = b.getBoundingClientRect();
  const page = b.closest('.page');
  const img = page.querySelector('img');
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return {key: b.dataset.key, page: Number(page.dataset.page), w: r.width, h: r.height,
          inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
          topmost: top === b, loaded: !img || (img.complete && img.naturalWidth > 0)};
});
"""


_PAINTED = """const done = arguments[arguments.length - 1];
const shown = Array.from(document.querySelectorAll('.page img')).filter((img) => {
  const r = img.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
Promise.all(shown.map((img) => img.decode().then(() => true, () => false))).then((ok) =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(ok.length > 0 && ok.every(Boolean)))));
"""


def _click_cell(driver: WebDriver, key: str) -> None:
    cell = driver.find_element(By.CSS_SELECTOR, f'#reports .fr-v[data-key="{key}"]')
    driver.execute_script(
        "const d = arguments[0].closest('details'); if (d) d.open = true; arguments[0].scrollIntoView({block: 'center'});",
        cell,
    )
    cell.click()


def _active(driver: WebDriver, cls: str = "active") -> list[dict[str, Any]]:
    WebDriverWait(driver, 10).until(
        lambda d: (
            all(b["loaded"] for b in d.execute_script(_ACTIVE_BOX, cls))
            and d.execute_script(_ACTIVE_BOX, cls)
        )
    )
    boxes: list[dict[str, Any]] = driver.execute_script(_ACTIVE_BOX, cls)
    return boxes


def test_clicking_a_value_shows_its_box_on_its_page(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument]
) -> None:
    doc = review[2]
    # one of each kind of value: a key figure, a table cell, an indicator, a list item — early and late pages
    wanted = ("key_figures.", "tables[", "indicators[", "funds.", "problems[")
    picks: dict[str, tuple[str, int]] = {}
    for index, report in enumerate(doc.reports):
        for path, ev in report.evidence.items():
            for prefix in wanted:
                if (
                    path.startswith(prefix)
                    and ev.bbox
                    and (prefix not in picks or ev.page > picks[prefix][1])
                ):
                    picks[prefix] = (f"{index}|{path}", ev.page)
    assert {"key_figures.", "tables[", "indicators["} <= set(picks)
    for key, page in picks.values():
        _click_cell(opened, key)
        boxes = _active(opened)
        assert [b["key"] for b in boxes] == [key]
        box = boxes[0]
        assert box["page"] == page, f"{key}: box on page {box['page']}, evidence on page {page}"
        assert box["inside"] and box["topmost"] and box["w"] >= 3 and box["h"] >= 3, box
        assert opened.find_element(By.ID, "ed-key").text.endswith(key.split("|", 1)[1])


def test_every_value_with_evidence_has_a_visible_box(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument]
) -> None:
    doc = review[2]
    expected = {f"{i}|{p}" for i, r in enumerate(doc.reports) for p, ev in r.evidence.items() if ev.bbox}
    sizes: dict[str, list[float]] = opened.execute_script(
        """const out = {}; document.querySelectorAll('.box').forEach((b) => {
             const r = b.getBoundingClientRect(); out[b.dataset.key] = [r.width, r.height,
             getComputedStyle(b).display === 'none' ? 0 : 1]; }); return out;"""
    )
    assert expected <= set(sizes)
    too_small = [k for k in expected if sizes[k][0] < 3 or sizes[k][1] < 3 or not sizes[k][2]]
    assert not too_small


def test_a_failed_check_lights_the_boxes_of_its_values(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument]
) -> None:
    doc = review[2]
    cards = opened.find_elements(By.CSS_SELECTOR, ".fr-finding")
    first = cards[0]
    assert first.get_attribute("data-status") == "fail"
    finding = doc.findings[int(first.get_attribute("data-finding") or -1)]
    first.find_element(By.CSS_SELECTOR, ".fr-msg").click()
    boxes = _active(opened, "involved")
    keys = json.loads(first.get_attribute("data-keys") or "[]")
    assert sorted(b["key"] for b in boxes) == sorted(keys) and len(keys) == len(finding.fields)
    pages = {b["key"]: b["page"] for b in boxes}
    for path, ev in finding.evidence.items():
        assert ev.page in pages.values(), path
    assert boxes[0]["inside"], "the first box of the check is scrolled into view"
    # the pictures in view decoded and painted before the screenshot (they load lazily)
    assert opened.execute_async_script(_PAINTED)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "review.png"
    assert opened.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("EXTRACTOR_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shot, ROOT / "docs" / "review.png")


def test_filters_by_report_kind_and_status(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument]
) -> None:
    doc = review[2]
    Select(opened.find_element(By.ID, "f-kind")).select_by_value("project_self_eval")
    shown = opened.execute_script(
        "return Array.from(document.querySelectorAll('section.report')).filter((s) => !s.hidden).map((s) => Number(s.dataset.report))"
    )
    assert shown == [i for i, r in enumerate(doc.reports) if r.kind == "project_self_eval"]
    visible_boxes = opened.execute_script(
        "return Array.from(document.querySelectorAll('.box:not(.hidden)')).map((b) => b.dataset.key.split('|')[0])"
    )
    assert visible_boxes and all(
        k.startswith("f") or doc.reports[int(k)].kind == "project_self_eval" for k in visible_boxes
    )
    Select(opened.find_element(By.ID, "f-kind")).select_by_value("")
    Select(opened.find_element(By.ID, "f-status")).select_by_value("fail")
    statuses = opened.execute_script(
        "return Array.from(document.querySelectorAll('.fr-finding')).filter((c) => !c.hidden).map((c) => c.dataset.status)"
    )
    assert statuses == ["fail"] * sum(f.status == "fail" for f in doc.findings)
    Select(opened.find_element(By.ID, "f-report")).select_by_value("0")
    cards = opened.execute_script(
        "return Array.from(document.querySelectorAll('.fr-finding')).filter((c) => !c.hidden).map((c) => c.dataset.report)"
    )
    assert cards == ["0"] * sum(f.status == "fail" and f.report == 0 for f in doc.findings)


def test_a_correction_saved_from_the_page_is_scored_by_eval(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument], downloads: Path, tmp_path: Path
) -> None:
    result, _, doc = review
    report = doc.reports[0]
    key = "0|key_figures.income_total"
    old = report.key_figures.income_total  # type: ignore[union-attr]
    assert old is not None
    _click_cell(opened, key)
    field = opened.find_element(By.ID, "ed-value")
    field.clear()
    field.send_keys("12,34.5 万元")
    opened.find_element(By.CSS_SELECTOR, "#ed-form button[type=submit]").click()
    assert "plain number" in opened.find_element(By.ID, "ed-error").text
    field.clear()
    field.send_keys(f"{old + 1}")
    opened.find_element(By.CSS_SELECTOR, "#ed-form button[type=submit]").click()
    assert opened.find_element(By.ID, "ed-error").text == ""
    assert opened.find_element(By.ID, "n-corr").text == "1 correction"
    cell = opened.find_element(By.CSS_SELECTOR, f'#reports .fr-v[data-key="{key}"]')
    assert cell.text == str(old + 1) and "corrected" in (cell.get_attribute("class") or "")
    # a blank cell filled in by the reviewer: a value the extractor missed
    blank = next(
        f"0|tables[{t}].rows[{r}].values.{c}"
        for t, table in enumerate(report.tables)  # type: ignore[union-attr]
        for r, row in enumerate(table.rows)
        for c in table.columns
        if row.values.get(c) is None
    )
    assert opened.execute_script("return frReview.correct(arguments[0], '7.00')", blank) is None
    for old_file in downloads.glob("*.json"):
        old_file.unlink()
    opened.find_element(By.ID, "save").click()
    target = downloads / "002.corrected.json"
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    corrected = load_result(target)  # valid REPORT_FORMAT, or this raises
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [c["path"] for c in data["review"]["corrections"]] == [
        "key_figures.income_total",
        blank.split("|", 1)[1],
    ]
    assert corrected.reports[0].key_figures.income_total == old + 1  # type: ignore[union-attr]
    assert corrected.reports[1:] == doc.reports[1:]
    out = tmp_path / "eval"
    assert main(["eval", "--pred", str(result), "--gold", str(target), "--out", str(out)]) == 0
    overall = json.loads((out / "report.json").read_text(encoding="utf-8"))["overall"]
    # the corrected key figure is a wrong value, the filled blank cell a missing one
    assert (overall["wrong"], overall["missing"], overall["extra"]) == (1, 1, 0)
    assert overall["cell_accuracy"] < 1.0


def test_on_a_text_source_clicking_a_value_shows_its_quote(browser: WebDriver, tmp_path: Path) -> None:
    text = (ROOT / "samples" / "seeds" / "003_fa808c88f47e4303.txt").read_text(encoding="utf-8")
    source = tmp_path / "variant.txt"
    source.write_text("封面\n\f" + "\n".join(["（空行）"] * 60) + "\n\f" + text, encoding="utf-8")
    doc = extract(source)
    result = tmp_path / "variant.json"
    result.write_text(dump_result(doc), encoding="utf-8")
    page = tmp_path / "variant.html"
    assert main(["review", str(result), "-o", str(page)]) == 0
    browser.get(page.as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return !!(window.frReview && frReview.ready)")
    )
    key, ev = next(
        (f"0|{p}", e) for p, e in doc.reports[0].evidence.items() if p.endswith("expenditure") and e.page == 3
    )
    _click_cell(browser, key)
    marks = browser.execute_script(_ACTIVE_BOX.replace(".box.", "mark."), "active")
    assert [m["key"] for m in marks] == [key]
    assert marks[0]["page"] == ev.page and marks[0]["inside"] and marks[0]["w"] > 3


def test_keys_walk_the_failed_checks_and_zoom_keeps_boxes_on_their_text(
    opened: WebDriver, review: tuple[Path, Path, ResultDocument]
) -> None:
    doc = review[2]
    failed = [
        c.get_attribute("data-finding") for c in opened.find_elements(By.CSS_SELECTOR, ".fr-finding.fr-fail")
    ]
    assert len(failed) == sum(f.status == "fail" for f in doc.findings) >= 2
    body = opened.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("j")
    active = opened.find_elements(By.CSS_SELECTOR, ".fr-finding.active")
    assert [a.get_attribute("data-finding") for a in active] == [failed[1]]
    body.send_keys("k")
    active = opened.find_elements(By.CSS_SELECTOR, ".fr-finding.active")
    assert [a.get_attribute("data-finding") for a in active] == [failed[0]]
    # zooming resizes the pages; a box keeps its place relative to its page picture
    key = "0|key_figures.income_total"
    where = """const b = document.querySelector('.box[data-key="' + arguments[0] + '"]');
               const p = b.closest('.page').getBoundingClientRect(), r = b.getBoundingClientRect();
               return [p.width, (r.left - p.left) / p.width, (r.top - p.top) / p.height];"""
    before = opened.execute_script(where, key)
    opened.find_element(By.ID, "zoom-in").click()
    after = opened.execute_script(where, key)
    assert after[0] > before[0] * 1.1
    assert after[1] == pytest.approx(before[1], abs=0.002) and after[2] == pytest.approx(before[2], abs=0.002)
