"""Installing us adds one top-level name, `extractor`: schemas/, eval/ and prompts/ are mapped into it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool: dict[str, object] = data["tool"]["setuptools"]
    return tool


def _source_dir(package: str, mapping: dict[str, str]) -> Path:
    for prefix in sorted(mapping, key=len, reverse=True):
        if package == prefix or package.startswith(prefix + "."):
            rest = package[len(prefix) :].lstrip(".")
            return ROOT / mapping[prefix] / Path(*rest.split(".")) if rest else ROOT / mapping[prefix]
    return ROOT / Path(*package.split("."))


def test_every_package_is_listed_and_every_listed_one_exists() -> None:
    tool = _setuptools()
    listed = set(tool["packages"])  # type: ignore[arg-type]
    mapping: dict[str, str] = tool["package-dir"]  # type: ignore[assignment]
    assert all(name == "extractor" or name.startswith("extractor.") for name in listed)
    for package in listed:
        assert (_source_dir(package, mapping) / "__init__.py").is_file(), package
    found = set()
    for source, prefix in [("extractor", "extractor"), *((d, p) for p, d in mapping.items())]:
        base = ROOT / source
        for init in base.rglob("__init__.py"):
            if any(part in ("schemas", "eval", "prompts") for part in init.relative_to(base).parts[:-1]) and (
                source == "extractor"
            ):
                continue  # the dev symlinks inside extractor/ point at the mapped folders
            rel = init.parent.relative_to(base).parts
            found.add(".".join((prefix, *rel)))
    assert found == listed


def test_prompts_ship_as_package_data() -> None:
    data = _setuptools()["package-data"]
    assert "*.j2" in data["extractor.prompts"]  # type: ignore[index]
    assert list((ROOT / "prompts").glob("*.j2"))


def test_extract_is_the_function_whichever_is_imported_first() -> None:
    # `extractor.extract` names both the API function and a subpackage; importing the
    # subpackage first must not leave the package where the function belongs.
    import subprocess
    import sys

    code = (
        "import extractor.extract.rules.dispatch\n"
        "import extractor\n"
        "from extractor import extract\n"
        "assert callable(extract) and extract is extractor.extract, extract\n"
        "from extractor.extract.rules import dispatch\n"
        "assert dispatch.__name__ == 'extractor.extract.rules.dispatch'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
