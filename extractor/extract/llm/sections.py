"""Sections: the parts of a report asked for in one request, each with a response model derived from `schemas/`.

    final_account       key_figures (unit, department, year, the 32 key figures)
    budget              key_figures (unit, department, year, the budget's key figures)
    overall_self_eval   scalars · indicators · items (problems, measures)
    project_self_eval   form (name, units, funds table, rates, scores, goals) · indicators · items
    transfer_self_eval  summary · indicators · items

The standard tables of a final account stay with the rules extractor.

In a response model every value comes with `quote`, the text it was read from,
copied from the document; every value is a string (decimal strings keep their
printed precision). `leaves` flattens an answer to (path, value, quote) for grounding.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from extractor.core.paths import get_path, set_path
from extractor.extract.llm.fields import INDICATOR_FIELDS, describe, indicator_column, labels_of, unit_of
from extractor.schemas import (
    Budget,
    FinalAccount,
    OverallSelfEval,
    ProjectSelfEval,
    ReportKind,
    TransferSelfEval,
)

FieldKind = Literal["number", "int", "date", "text", "choice", "items", "indicators"]

_MODELS: dict[str, type[BaseModel]] = {
    "final_account": FinalAccount,
    "overall_self_eval": OverallSelfEval,
    "project_self_eval": ProjectSelfEval,
    "transfer_self_eval": TransferSelfEval,
    "budget": Budget,
}
_NOT_ASKED = frozenset({"kind", "pages", "evidence", "tables", "scope"})
"""`scope` (department / unit) is not printed as such: segmentation decides it."""
_LISTS = ("indicators", "problems", "measures")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Quoted(_Answer):
    """A value and the document text it was read from."""

    value: str = Field(description="the value, written as the field's description says")
    quote: str = Field(
        description="the exact document text the value was read from (a phrase, a sentence or a table row), "
        "copied character for character"
    )


class QuotedItem(_Answer):
    text: str = Field(description="the item's text as printed, without its number (一是/1、/（一）)")
    quote: str = Field(description="the exact document text of the item, copied character for character")


class IndicatorAnswer(_Answer):
    """One indicator; each value carries its own quote (in prose the target is in the goal
    sentence and the actual value in the completion sentence: no single quote holds both)."""

    level1: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["level1"])
    level2: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["level2"])
    name: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["name"])
    target: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["target"])
    actual: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["actual"])
    weight: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["weight"])
    score: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["score"])
    note: Quoted | None = Field(default=None, description=INDICATOR_FIELDS["note"])


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: FieldKind
    description: str
    unit: str | None = None
    choices: tuple[str, ...] = ()
    labels: tuple[tuple[str, ...], ...] = ()
    """Groups of words the text labelling a number must hold (`vocab.llm_labels`)."""


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _spec(kind: str, path: str, annotation: Any) -> list[FieldSpec]:
    """The leaf specs under `path` of type `annotation` (nested report models are walked)."""
    ann = _strip_optional(annotation)
    origin = typing.get_origin(ann)
    desc = describe(kind, path)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        out: list[FieldSpec] = []
        for name, info in ann.model_fields.items():
            out += _spec(kind, f"{path}.{name}", info.annotation)
        return out
    if origin is list:
        (item,) = typing.get_args(ann)
        return [FieldSpec(path, "items" if item is str else "indicators", desc)]
    if origin is Literal:
        return [FieldSpec(path, "choice", desc, choices=tuple(str(a) for a in typing.get_args(ann)))]
    if ann is Decimal:
        return [FieldSpec(path, "number", desc, unit=unit_of(path), labels=labels_of(kind, path))]
    if ann is bool:
        raise TypeError(f"{path}: booleans are not asked for")
    if ann is int:
        return [FieldSpec(path, "int", desc)]
    if ann is dt.date:
        return [FieldSpec(path, "date", desc)]
    if ann is str:
        return [FieldSpec(path, "text", desc)]
    raise TypeError(f"{path}: no response type for {ann!r}")


def _fields_of(kind: ReportKind, names: typing.Iterable[str]) -> tuple[FieldSpec, ...]:
    model = _MODELS[kind]
    out: list[FieldSpec] = []
    for name in names:
        out += _spec(kind, name, model.model_fields[name].annotation)
    return tuple(out)


def _scalar_names(kind: ReportKind) -> list[str]:
    return [n for n in _MODELS[kind].model_fields if n not in _NOT_ASKED and n not in _LISTS]


@dataclass(frozen=True)
class Section:
    kind: ReportKind
    name: str
    fields: tuple[FieldSpec, ...]

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.name}"

    @property
    def template(self) -> str:
        return f"{self.id}.j2"

    @property
    def response_model(self) -> type[BaseModel]:
        return _response_model(self)

    @property
    def schema_hash(self) -> str:
        schema = json.dumps(self.response_model.model_json_schema(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(schema.encode("utf-8")).hexdigest()[:16]


def _camel(text: str) -> str:
    return "".join(part.capitalize() for part in text.replace(".", "_").split("_"))


def _leaf_type(spec: FieldSpec) -> tuple[Any, Any]:
    if spec.kind == "items":
        return list[QuotedItem], Field(default_factory=list, description=spec.description)
    if spec.kind == "indicators":
        return list[IndicatorAnswer], Field(default_factory=list, description=spec.description)
    extra = f" ({spec.unit})" if spec.kind == "number" and spec.unit else ""
    choices = f" — one of {', '.join(spec.choices)}" if spec.choices else ""
    return Quoted | None, Field(default=None, description=f"{spec.description}{extra}{choices}")


def _build(name: str, specs: list[tuple[list[str], FieldSpec]]) -> type[BaseModel]:
    """A model whose fields follow the (remaining) path parts; nested parts become nested models."""
    fields: dict[str, Any] = {}
    groups: dict[str, list[tuple[list[str], FieldSpec]]] = {}
    for parts, spec in specs:
        if len(parts) == 1:
            fields[parts[0]] = _leaf_type(spec)
        else:
            groups.setdefault(parts[0], []).append((parts[1:], spec))
    for head, sub in groups.items():
        model = _build(f"{name}{_camel(head)}", sub)
        fields[head] = (model | None, Field(default=None))
    return create_model(name, __base__=_Answer, **fields)


@functools.cache
def _response_model(section: Section) -> type[BaseModel]:
    return _build(_camel(section.id), [(f.path.split("."), f) for f in section.fields])


def _sections() -> dict[str, Section]:
    scalars = {
        "final_account": "key_figures",
        "overall_self_eval": "scalars",
        "project_self_eval": "form",
        "transfer_self_eval": "summary",
        "budget": "key_figures",
    }
    out: dict[str, Section] = {}
    for kind, name in scalars.items():
        k = typing.cast(ReportKind, kind)
        section = Section(k, name, _fields_of(k, _scalar_names(k)))
        out[section.id] = section
        if kind not in ("final_account", "budget"):
            for extra, names in (("indicators", ["indicators"]), ("items", ["problems", "measures"])):
                section = Section(k, extra, _fields_of(k, names))
                out[section.id] = section
    return out


SECTIONS: dict[str, Section] = _sections()


def sections_for(kind: str) -> list[Section]:
    return [s for s in SECTIONS.values() if s.kind == kind]


@dataclass(frozen=True)
class Leaf:
    """One value of an answer: its path in the report, the value, and the quote it must be found in.

    `path` is the value's own address (`indicators[3].target`, `problems[0]`), `field`
    the report field it belongs to (`indicators`): a list field is merged whole.
    """

    path: str
    value: str
    quote: str
    kind: FieldKind
    unit: str | None = None
    field: str = ""
    labels: tuple[tuple[str, ...], ...] = ()
    """Groups of words the text labelling the value must hold (an indicator's weight: its name)."""
    row: str | None = None
    """An indicator's value: the indicator's name."""
    rivals: tuple[str, ...] = ()
    """The first label words of the section's other fields (a table title is no label where they show)."""


def _quoted(node: Any) -> tuple[str, str] | None:
    if isinstance(node, dict) and node.get("value") is not None:
        return str(node["value"]), str(node.get("quote") or "")
    return None


def _rivals(section: Section) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for f in section.fields if f.labels for w in f.labels[0]))


def leaves(section: Section, answer: dict[str, Any]) -> list[Leaf]:
    """Every non-null value of an answer (as `response_model` dumps it), in field order."""
    out: list[Leaf] = []
    rivals = _rivals(section)
    for spec in section.fields:
        node = get_path(answer, spec.path)
        if node is None:
            continue
        if spec.kind == "items":
            for i, item in enumerate(node):
                out.append(Leaf(f"{spec.path}[{i}]", item["text"], item["quote"], "text", field=spec.path))
        elif spec.kind == "indicators":
            for i, row in enumerate(node):
                name = _quoted(row.get("name"))
                for key in INDICATOR_FIELDS:
                    pair = _quoted(row.get(key))
                    if pair is None or pair[0] == "":
                        continue
                    kind: FieldKind = "number" if key in ("weight", "score") else "text"
                    unit = "个" if kind == "number" else None
                    # a weight or score is printed in its indicator's row: the row names the indicator
                    labels = ((name[0],), indicator_column(key)) if kind == "number" and name else ()
                    row_name = name[0] if name else None
                    out.append(
                        Leaf(f"{spec.path}[{i}].{key}", *pair, kind, unit, spec.path, labels, row_name)
                    )
        else:
            pair = _quoted(node)
            if pair is not None:
                out.append(Leaf(spec.path, *pair, spec.kind, spec.unit, spec.path, spec.labels, None, rivals))
    return out


def _row_key(path: str) -> tuple[str, int, str] | None:
    """`indicators[3].target` → ("indicators", 3, "target"); `problems[0]` → ("problems", 0, "")."""
    head, sep, rest = path.partition("[")
    if not sep:
        return None
    index, _, tail = rest.partition("]")
    return head, int(index), tail.lstrip(".")


def assemble(section: Section, kept: list[Leaf]) -> dict[str, Any]:
    """An answer (in `response_model`'s JSON shape) holding only the `kept` values.

    An indicator row is kept when its name is (the name says which indicator the
    other values belong to); an item is kept or dropped whole.
    """
    answer: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for leaf in kept:
        where = _row_key(leaf.path)
        if where is None:
            set_path(answer, leaf.path, {"value": leaf.value, "quote": leaf.quote})
            continue
        head, index, key = where
        row = rows.setdefault(head, {}).setdefault(index, {})
        if key:
            row[key] = {"value": leaf.value, "quote": leaf.quote}
        else:
            row.update(text=leaf.value, quote=leaf.quote)
    for spec in section.fields:
        if spec.path not in rows:
            continue
        ordered = [rows[spec.path][i] for i in sorted(rows[spec.path])]
        if spec.kind == "indicators":
            ordered = [r for r in ordered if "name" in r]
        set_path(answer, spec.path, ordered)
    return answer


def answer_values(section: Section, answer: dict[str, Any]) -> dict[str, Any]:
    """What an answer says, by report path: scalars as strings, lists whole (texts, indicator dicts).

    A null scalar is left out (the document does not state it, as far as the model saw).
    """
    out: dict[str, Any] = {}
    for spec in section.fields:
        node = get_path(answer, spec.path)
        if spec.kind == "items":
            out[spec.path] = [item["text"] for item in node or []]
        elif spec.kind == "indicators":
            out[spec.path] = [
                {k: (pair[0] if (pair := _quoted(row.get(k))) else None) for k in INDICATOR_FIELDS}
                for row in node or []
            ]
        elif (pair := _quoted(node)) is not None:
            out[spec.path] = pair[0]
    return out
