"""`extract` and `check` agree: with the source, `check` reproduces `extract`'s findings
exactly; without it, `--write` keeps the findings it cannot recompute; both exit by the
same `--fail-on` policy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from extractor.check.policy import exit_status
from extractor.cli import main
from extractor.schemas import Finding

GOOD = SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf"  # one genuine error (a 元 for 万元) and prose claims


@pytest.fixture
def extracted(tmp_path: Path) -> Path:
    source = tmp_path / GOOD.name
    shutil.copy(GOOD, source)
    assert main(["extract", "--fail-on", "never", "-o", str(tmp_path / "out"), str(source)]) == 0
    return tmp_path / "out" / f"{GOOD.stem}.json"


def _findings(path: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["findings"]
    return data


def test_check_with_the_source_reproduces_extract(extracted: Path, tmp_path: Path) -> None:
    before = _findings(extracted)
    assert any(str(f["check"]).startswith("prose.") for f in before)
    # The path recorded in the result is used by default …
    assert main(["check", "--fail-on", "never", "--write", str(extracted)]) == 0
    assert _findings(extracted) == before
    # … and --source names it explicitly.
    assert (
        main(
            ["check", "--fail-on", "never", "--write", "--source", str(tmp_path / GOOD.name), str(extracted)]
        )
        == 0
    )
    assert _findings(extracted) == before


def test_write_without_the_source_keeps_what_it_cannot_recompute(
    extracted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _findings(extracted)
    (tmp_path / GOOD.name).unlink()  # the recorded source is gone
    assert main(["check", "--fail-on", "never", "--write", str(extracted)]) == 0
    assert "source not at hand" in capsys.readouterr().out
    after = _findings(extracted)
    assert sorted(map(json.dumps, after)) == sorted(map(json.dumps, before))
    # A later extract of the same bytes still sees an up-to-date result with every finding.
    shutil.copy(GOOD, tmp_path / GOOD.name)
    assert (
        main(["extract", "--fail-on", "never", "-o", str(extracted.parent), str(tmp_path / GOOD.name)]) == 0
    )
    assert "skip:" in capsys.readouterr().err
    assert sorted(map(json.dumps, _findings(extracted))) == sorted(map(json.dumps, before))


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 1), ("warning", 1), ("never", 0)])
def test_extract_and_check_exit_alike(extracted: Path, tmp_path: Path, fail_on: str, expected: int) -> None:
    assert main(["check", "--fail-on", fail_on, str(extracted)]) == expected
    again = ["extract", "--fail-on", fail_on, "-o", str(extracted.parent), str(tmp_path / GOOD.name)]
    assert main(again) == expected  # skipped as up to date: judged on the saved findings
    assert main([*again[:-1], "--force", again[-1]]) == expected


def test_a_source_that_is_not_the_extracted_file_is_refused(
    extracted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = SAMPLES / "pdf" / "000_d041a5389ba04b30.pdf"
    assert main(["check", "--source", str(other), str(extracted)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "sha256" in err


def test_policy_ranks_severities() -> None:
    def failed(severity: str) -> Finding:
        return Finding(check="x", severity=severity, status="fail", message="m")  # type: ignore[arg-type]

    assert exit_status([failed("warning")], "error") == 0
    assert exit_status([failed("warning")], "warning") == 1
    assert exit_status([failed("info")], "warning") == 0
    assert exit_status([failed("error")], "never") == 0
    assert exit_status([], "never", broken_inputs=1) == 1


def test_an_interrupted_write_leaves_the_old_result_whole(
    extracted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = extracted.read_bytes()

    def interrupted(src: object, dst: object, **dir_fds: object) -> None:
        raise KeyboardInterrupt  # between writing the new text and putting it in place

    monkeypatch.setattr("extractor.batch.store.os.replace", interrupted)
    assert main(["check", "--fail-on", "never", "--write", str(extracted)]) == 130
    assert extracted.read_bytes() == before
    assert sorted(p.name for p in extracted.parent.iterdir() if p.name.startswith(".")) == []
