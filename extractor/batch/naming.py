"""Which files a batch covers, and the result name each one gets under OUT.

Results mirror the input tree: every input's path relative to the inputs'
common folder, so `d1/report.pdf` and `d2/report.pdf` give `d1/report.json`
and `d2/report.json`. Two inputs in one folder with the same stem
(`report.pdf`, `report.txt`) keep their suffix in the result name
(`report.pdf.json`, `report.txt.json`). A name component that is not valid
UTF-8, holds control characters, or is too long for a file system is
escaped and shortened with a hash of its bytes, deterministically, so the
same input always gets the same, writable result name.
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from extractor.core.errors import ConfigError

SUPPORTED_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".txt", ".text"}
_MAX_COMPONENT_BYTES = 180
"""File systems allow 255 bytes per name; leave room for `.json`, `.part` and a temporary suffix."""
_GLOB_CHARS = set("*?[")
RESERVED = "_runs"
"""OUT/_runs holds the run journals; an input folder of that name is renamed."""


def display(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: undecodable bytes as \\xNN, control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def safe_component(name: str) -> str:
    """One path component as a portable, writable file name (deterministic)."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
        clean = text.isprintable() and "/" not in text and text not in ("", ".", "..")
    except UnicodeDecodeError:
        text, clean = raw.decode("utf-8", "replace"), False
    if clean and len(raw) <= _MAX_COMPONENT_BYTES and not text.startswith(".") and text != RESERVED:
        return text
    digest = hashlib.sha256(raw).hexdigest()[:12]
    printable = "".join(ch if ch.isprintable() and ch not in "/\ufffd" else "_" for ch in text).lstrip(".")
    head = printable.encode("utf-8")[:80].decode("utf-8", "ignore")
    return f"{head}~{digest}"


@dataclass(frozen=True)
class BatchInput:
    path: Path
    """As found (may be relative; may hold undecodable bytes as surrogates)."""
    result: tuple[str, ...]
    """The result's path under OUT without its format suffix, as safe components."""

    def output(self, fmt: str) -> tuple[str, ...]:
        return (*self.result[:-1], f"{self.result[-1]}.{fmt}")


def _expand(arg: Path) -> tuple[list[Path], Path] | None:
    """The files an argument names, and the folder they are relative to; None when it names nothing."""
    text = os.fspath(arg)
    if arg.is_dir():
        found = sorted(
            Path(root) / name
            for root, dirs, files in os.walk(arg)
            for name in files
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith(".")
        )
        return found, arg
    if not arg.exists() and _GLOB_CHARS & set(text):
        matches = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
        return (matches, Path(os.path.commonpath([m.parent for m in matches]))) if matches else None
    return [arg], arg.parent


def collect(args: list[Path]) -> tuple[list[BatchInput], list[str]]:
    """Inputs from files, folders (recursively) and globs, each once, with unique result names.

    Returns the inputs and notes for the user (an argument that matched nothing
    is still an input, so it is reported as `file not found` like any missing file).
    """
    if not args:
        raise ConfigError("no input files given")
    entries: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    notes: list[str] = []
    for arg in args:
        expanded = _expand(arg)
        files, base = expanded if expanded else ([arg], arg.parent)
        if not files:
            notes.append(f"note: {display(arg)}: no PDF, image or .txt files in this folder")
        for path in files:
            absolute = os.path.abspath(path)
            if absolute not in seen:
                seen.add(absolute)
                entries.append((path, base))
    bases = [os.path.abspath(base) for _, base in entries]
    if not entries:
        raise ConfigError(f"no PDF, image or .txt files found in {', '.join(display(a) for a in args)}")
    root = os.path.commonpath(bases)
    stems: dict[tuple[str, ...], list[int]] = {}
    parts_of: list[tuple[str, ...]] = []
    for path, _ in entries:
        rel = os.path.relpath(os.path.abspath(path), root)
        parts = tuple(p for p in Path(rel).parts if p not in ("..", "."))
        parts = parts or (path.name,)
        parts_of.append(parts)
        stems.setdefault((*parts[:-1], Path(parts[-1]).stem), []).append(len(parts_of) - 1)
    inputs = []
    for index, (path, _) in enumerate(entries):
        parts = parts_of[index]
        shared = len(stems[(*parts[:-1], Path(parts[-1]).stem)]) > 1
        last = parts[-1] if shared else Path(parts[-1]).stem
        result = tuple(safe_component(p) for p in (*parts[:-1], last))
        inputs.append(BatchInput(path=path, result=result))
    names: dict[tuple[str, ...], BatchInput] = {}
    for item in inputs:
        other = names.get(item.result)
        if other is not None:  # only escaped names can meet; keep both, the second with its input's hash
            digest = hashlib.sha256(os.fsencode(os.path.abspath(item.path))).hexdigest()[:8]
            item = BatchInput(path=item.path, result=(*item.result[:-1], f"{item.result[-1]}~{digest}"))
            notes.append(f"note: {display(item.path)} and {display(other.path)} share a result name")
        names[item.result] = item
    return list(names.values()), notes


__all__ = ["RESERVED", "BatchInput", "collect", "display", "safe_component"]
