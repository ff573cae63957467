"""`--executor ray`: the same per-file function as Ray tasks, against a local Ray started here."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES

from extractor.cli import main

ray = pytest.importorskip("ray")  # installed by the dev extra, so CI runs this


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _results(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}


def test_ray_gives_the_same_results_as_the_local_pool(
    local_ray: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("000_d041a5389ba04b30.pdf", "003_fa808c88f47e4303.pdf"):
        shutil.copy(SAMPLES / "pdf" / name, inputs / name)
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    by_ray, local = tmp_path / "ray", tmp_path / "local"
    assert main(["extract", "-q", "--executor", "ray", "-o", str(by_ray), str(inputs)]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "broken.pdf" in err and "Traceback" not in err
    assert main(["extract", "-q", "-j", "2", "-o", str(local), str(inputs)]) == 1
    assert _results(by_ray) == _results(local) and len(_results(local)) == 2
    # Resume works the same way: nothing left to do.
    assert main(["extract", "-q", "--executor", "ray", "-o", str(by_ray), str(inputs)]) == 1
    assert capsys.readouterr().err.count("skip:") == 2


def test_ray_stops_a_file_at_the_timeout(
    local_ray: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = SAMPLES / "scan" / "003_fa808c88f47e4303.pdf"
    code = main(["extract", "-q", "--executor", "ray", "--timeout", "2", "-o", str(tmp_path), str(scan)])
    assert code == 1
    assert "took longer than the limit of 2 s" in capsys.readouterr().err
