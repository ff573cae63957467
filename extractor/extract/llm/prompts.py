"""Prompts: `prompts/*.j2` rendered in jinja2's sandbox, one template per report kind and section.

The templates and the few-shot examples (`prompts/examples.json`) are package data of
`extractor.prompts`, read with importlib.resources, so a non-editable install has them;
`LlmConfig.prompts_dir` / `examples_dir` point elsewhere to try other prompts or take
examples from a folder of gold files.

A template sees the section (its fields and their descriptions), a few-shot example
from another sample (never the document being extracted), and the document chunk. The chunk is data: it is
put between <document> markers, any marker inside it is defaced, and the system
prompt says that nothing inside the markers is an instruction.

Change PROMPT_VERSION whenever a template changes what the model is asked (the cache
is keyed on it; tests/test_llm_prompts.py fails until it is bumped and the golden
files are regenerated with EXTRACTOR_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, FunctionLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from extractor.core.errors import ConfigError
from extractor.core.paths import get_path
from extractor.extract.llm.client import ChatMessage
from extractor.extract.llm.fields import INDICATOR_FIELDS
from extractor.extract.llm.sections import Section
from extractor.render import Chunk

PROMPT_VERSION = "2"

KIND_NAMES = {
    "final_account": "部门决算 (departmental final accounts)",
    "overall_self_eval": "部门整体支出绩效自评报告 (overall performance self-evaluation)",
    "project_self_eval": "项目支出绩效自评表/报告 (project performance self-evaluation)",
    "transfer_self_eval": "转移支付绩效自评报告 (transfer-payment performance self-evaluation)",
    "budget": "部门预算 / 单位预算 (departmental or unit budget)",
}
PACKAGE = "extractor.prompts"
EXAMPLES_FILE = "examples.json"
_MARKER = re.compile(r"<\s*(/?)\s*document", re.IGNORECASE)
MAX_EXAMPLE_TEXT = 200


def as_data(text: str) -> str:
    """Document text made safe to put between the markers: a marker inside it cannot close them."""
    return _MARKER.sub(lambda m: f"‹{m.group(1)}document", text)


def _packaged(name: str) -> str | None:
    resource = resources.files(PACKAGE).joinpath(name)
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


@functools.cache
def _environment(prompts_dir: Path | None) -> SandboxedEnvironment:
    loader: BaseLoader
    if prompts_dir is None:
        loader = FunctionLoader(_packaged)
    elif prompts_dir.is_dir():
        loader = FileSystemLoader(str(prompts_dir))
    else:
        raise ConfigError(f"{prompts_dir}: prompt templates not found (set prompts_dir to a folder of *.j2)")
    env = SandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["as_data"] = as_data
    env.filters["tojson"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def templates_digest(prompts_dir: Path | None = None) -> str:
    """A hash of every template's and the examples' text (tests hold PROMPT_VERSION to it)."""
    digest = hashlib.sha256()
    if prompts_dir is None:
        files = sorted(
            (r.name, r.read_bytes())
            for r in resources.files(PACKAGE).iterdir()
            if r.name.endswith(".j2") or r.name == EXAMPLES_FILE
        )
    else:
        files = sorted((p.name, p.read_bytes()) for p in prompts_dir.iterdir() if p.suffix == ".j2")
    for name, data in files:
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def _gold_reports(examples_dir: Path) -> tuple[tuple[str, str, str], ...]:
    """(file stem, kind, report JSON) of every gold report, in file order."""
    out = []
    for path in sorted(examples_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        for report in data.get("reports") or []:
            out.append((path.stem, str(report.get("kind")), json.dumps(report, ensure_ascii=False)))
    return tuple(out)


def _example_values(section: Section, report: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for spec in section.fields:
        value = get_path(report, spec.path)
        if value is None or value == []:
            continue
        if spec.kind == "items":
            value = [v for v in value if len(v) <= MAX_EXAMPLE_TEXT][:2]
        elif spec.kind == "indicators":
            value = [{k: row.get(k) for k in INDICATOR_FIELDS} for row in value[:3]]
        elif isinstance(value, str) and len(value) > MAX_EXAMPLE_TEXT:
            continue
        if value:
            lines.append((spec.path, json.dumps(value, ensure_ascii=False)))
    return lines


def examples_from_gold(section: Section, examples_dir: Path, exclude: str | None) -> list[dict[str, Any]]:
    """One example from a folder of gold files: the report of this kind that fills most of the section."""
    best: tuple[int, str, list[tuple[str, str]]] | None = None
    for stem, kind, text in _gold_reports(examples_dir):
        if kind != section.kind or stem == exclude:
            continue
        values = _example_values(section, json.loads(text))
        if values and (best is None or len(values) > best[0]):
            best = (len(values), stem, values)
    if best is None:
        return []
    return [{"source": best[1], "values": best[2]}]


MAX_EXAMPLES = 3


def build_examples(gold_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """What `prompts/examples.json` holds: per section, each sample's report that fills most of
    the section, best first, at most `MAX_EXAMPLES` — so that excluding the document being
    extracted still leaves another sample's example where there is one."""
    from extractor.extract.llm.sections import SECTIONS

    out: dict[str, list[dict[str, Any]]] = {}
    for section in SECTIONS.values():
        best: dict[str, tuple[int, list[tuple[str, str]]]] = {}
        for stem, kind, text in _gold_reports(gold_dir):
            if kind != section.kind:
                continue
            values = _example_values(section, json.loads(text))
            if values and (stem not in best or len(values) > best[stem][0]):
                best[stem] = (len(values), values)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:MAX_EXAMPLES]
        out[section.id] = [{"source": stem, "values": values} for stem, (_, values) in ranked]
    return out


@functools.cache
def packaged_examples() -> dict[str, list[dict[str, Any]]]:
    """`prompts/examples.json`: per section id, examples from different samples, best first."""
    text = _packaged(EXAMPLES_FILE)
    if text is None:
        return {}
    data: dict[str, list[dict[str, Any]]] = json.loads(text)
    return data


def examples(section: Section, examples_dir: Path | None, exclude: str | None) -> list[dict[str, Any]]:
    """One example from another sample (never `exclude`, the document being extracted).

    From `examples_dir` (a folder of gold files) when set, else from the packaged examples.
    """
    if examples_dir is not None:
        return examples_from_gold(section, examples_dir, exclude) if examples_dir.is_dir() else []
    for example in packaged_examples().get(section.id, []):
        if example["source"] != exclude:
            values = [(str(p), str(v)) for p, v in example["values"]]
            return [{"source": example["source"], "values": values}]
    return []


def render_messages(
    section: Section,
    chunk: Chunk,
    *,
    prompts_dir: Path | None = None,
    examples_dir: Path | None = None,
    exclude: str | None = None,
    few_shot: bool = True,
) -> tuple[ChatMessage, ...]:
    """The system and user messages that ask for `section` from `chunk`."""
    env = _environment(prompts_dir)
    context = {
        "section": {"id": section.id, "kind": section.kind, "name": section.name},
        "kind_name": KIND_NAMES[section.kind],
        "fields": [
            {"path": f.path, "kind": f.kind, "description": f.description, "unit": f.unit}
            for f in section.fields
        ],
        "examples": examples(section, examples_dir, exclude) if few_shot else [],
        "document": chunk.text,
        "truncated": chunk.truncated,
        "prompt_version": PROMPT_VERSION,
    }
    system = env.get_template("system.j2").render(context)
    user = env.get_template(section.template).render(context)
    return (ChatMessage(role="system", content=system), ChatMessage(role="user", content=user))


def render_reask(
    problems: list[str], *, kept: list[str] | None = None, prompts_dir: Path | None = None
) -> ChatMessage:
    """The re-ask: what was wrong, and which values were accepted already (they stay)."""
    text = _environment(prompts_dir).get_template("reask.j2").render(problems=problems, kept=kept or [])
    return ChatMessage(role="user", content=text)
