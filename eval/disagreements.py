"""What reading a document found wrong in it, against what the checkers flag.

Typing gold means reading every number; each disagreement found that way is written into the
document's notes (`samples/real/gold/notes/<stem>.md`) as a TOML block:

    ```toml
    [[disagreement]]
    page = 31
    kind = "template"
    text = "注:本部门2024年无“三公”经费…故本表为空表。"
    expected = "no empty-table note"
    actual = "本表为空表"
    why = "the note claims an empty table under a table that prints 三公 47.91万元"
    ```

A disagreement counts as flagged when a failed finding has evidence on its page (±1) and its
message or evidence quotes the printed value (`actual`) or the value reading expects
(`expected`), or shares a run of at least six characters with the disagreement's text. A
heuristic: `benchmarks/genuine_errors.py` prints what it did not match for a person to judge.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from extractor.schemas import Finding


@dataclass(frozen=True)
class Disagreement:
    page: int
    kind: str
    text: str
    expected: str
    actual: str
    why: str
    accepted_by_policy: str = ""
    """Set when the stated rounding policy accepts the printed value (a truncated rate)."""


def disagreements(note: Path) -> list[Disagreement]:
    """The `[[disagreement]]` entries of one notes file, in order."""
    text = note.read_text(encoding="utf-8")
    out: list[Disagreement] = []
    for block in re.findall(r"```toml\n(.*?)```", text, flags=re.S):
        for d in tomllib.loads(block).get("disagreement", []):
            out.append(
                Disagreement(
                    page=int(d.get("page", 0)),
                    kind=str(d.get("kind", "")),
                    text=str(d.get("text", "")),
                    expected=str(d.get("expected", "")),
                    actual=str(d.get("actual", "")),
                    why=str(d.get("why", "")),
                    accepted_by_policy=str(d.get("accepted_by_policy", "")),
                )
            )
    return out


def _squeeze(text: object) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def _numbers(text: str) -> set[str]:
    return {
        n.replace(",", "").rstrip("0").rstrip(".") for n in re.findall(r"\d[\d,]*\.?\d*", text) if len(n) >= 2
    }


def _shared_run(a: str, b: str, size: int = 6) -> bool:
    return any(a[i : i + size] in b for i in range(0, max(0, len(a) - size + 1)))


def flags(d: Disagreement, f: Finding) -> bool:
    """Whether the failed finding `f` points at the disagreement `d` (see the module's note)."""
    pages = {ev.page for ev in f.evidence.values()}
    if pages and not any(abs(p - d.page) <= 1 for p in pages):
        return False
    said = _squeeze(f.message) + "".join(_squeeze(ev.text) for ev in f.evidence.values())
    said += _squeeze(f.actual) + _squeeze(f.expected)
    values = _numbers(_squeeze(d.actual)) | _numbers(_squeeze(d.expected))
    if values & _numbers(said):
        return True
    return _shared_run(_squeeze(d.actual), said) or _shared_run(_squeeze(d.text), said, 8)
