"""Scoring one prediction against one gold document, field by field.

Each gold field is `correct`, `wrong` or `missing`; each predicted field the
gold leaves null (or that belongs to an unmatched item) is `extra`. A field
result keeps both values and how they were compared, so every number in a
report can be traced back to the fields behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from extractor.eval.flatten import LIST_FIELDS, NOT_SCORED, field_group, flatten_report
from extractor.eval.match import (
    match_indicators,
    match_reports,
    match_rows,
    match_tables,
    match_texts,
    row_key,
)
from extractor.eval.normalize import values_equal

_REPORT_PREFIX = re.compile(r"^reports\[[^\]]*\]\.")
Status = Literal["correct", "wrong", "missing", "extra"]
JsonDict = dict[str, Any]


class FieldResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    report_kind: str
    path: str
    group: str
    status: Status
    gold: str | None = None
    pred: str | None = None
    how: str = ""


class Counts(BaseModel):
    """Field counts with precision, recall and F1 (a wrong value costs both)."""

    model_config = ConfigDict(frozen=True)

    correct: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            correct=self.correct + other.correct,
            wrong=self.wrong + other.wrong,
            missing=self.missing + other.missing,
            extra=self.extra + other.extra,
        )

    @property
    def errors(self) -> int:
        return self.wrong + self.missing + self.extra

    @property
    def precision(self) -> float:
        denom = self.correct + self.wrong + self.extra
        if denom == 0:
            return 1.0 if self.missing == 0 else 0.0
        return self.correct / denom

    @property
    def recall(self) -> float:
        denom = self.correct + self.wrong + self.missing
        if denom == 0:
            return 1.0 if self.extra == 0 else 0.0
        return self.correct / denom

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @classmethod
    def of(cls, results: Iterable[FieldResult]) -> Counts:
        tally = {"correct": 0, "wrong": 0, "missing": 0, "extra": 0}
        for r in results:
            tally[r.status] += 1
        return cls(**tally)


class CellCounts(BaseModel):
    """Table cells: a cell is right when its row exists on both sides and the values agree (blank = blank)."""

    model_config = ConfigDict(frozen=True)

    correct: int = 0
    total: int = 0

    def __add__(self, other: CellCounts) -> CellCounts:
        return CellCounts(correct=self.correct + other.correct, total=self.total + other.total)

    @property
    def accuracy(self) -> float:
        return 1.0 if self.total == 0 else self.correct / self.total


class DocumentScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    fields: list[FieldResult]
    cells: CellCounts
    report_pairs: list[tuple[int, int]]
    unmatched_gold_reports: list[int]
    unmatched_pred_reports: list[int]

    @property
    def counts(self) -> Counts:
        return Counts.of(self.fields)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class _Scorer:
    def __init__(self) -> None:
        self.fields: list[FieldResult] = []
        self.cells = CellCounts()

    def leaf(self, kind: str, path: str, gold: object, pred: object) -> None:
        if gold is None and pred is None:
            return
        if gold is None:
            status: Status = "extra"
            how = "gold is null"
        elif pred is None:
            status, how = "missing", "prediction is null"
        else:
            equal, how = values_equal(gold, pred)
            status = "correct" if equal else "wrong"
        self.fields.append(
            FieldResult(
                report_kind=kind,
                path=path,
                group=field_group(_REPORT_PREFIX.sub("", path)),
                status=status,
                gold=_text(gold),
                pred=_text(pred),
                how=how,
            )
        )

    def one_sided(self, kind: str, path: str, value: object, side: Literal["gold", "pred"]) -> None:
        """All non-null leaves of an item that has no partner: missing (gold) or extra (pred)."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_SCORED:
                    self.one_sided(kind, f"{path}.{key}", item, side)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.one_sided(kind, f"{path}[{i}]", item, side)
        elif value is not None:
            if side == "gold":
                self.leaf(kind, path, value, None)
            else:
                self.leaf(kind, path, None, value)

    def report(self, gold: JsonDict, pred: JsonDict, prefix: str) -> None:
        kind = str(gold.get("kind"))
        g_flat, p_flat = flatten_report(gold), flatten_report(pred)
        for key in list(g_flat) + [k for k in p_flat if k not in g_flat]:
            self.leaf(kind, f"{prefix}{key}", g_flat.get(key), p_flat.get(key))
        for key in sorted(LIST_FIELDS):
            g_items = gold.get(key) or []
            p_items = pred.get(key) or []
            if key == "tables":
                self.tables(kind, prefix, g_items, p_items)
            elif key == "indicators":
                self.paired(kind, f"{prefix}indicators", g_items, p_items, match_indicators(g_items, p_items))
            else:
                self.paired(kind, f"{prefix}{key}", g_items, p_items, match_texts(g_items, p_items))

    def paired(
        self, kind: str, path: str, gold: Sequence[Any], pred: Sequence[Any], pairs: list[tuple[int, int]]
    ) -> None:
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = gold[i], pred[j]
            if isinstance(g, dict) and isinstance(p, dict):
                for key in list(g) + [k for k in p if k not in g]:
                    self.leaf(kind, f"{path}[{i}].{key}", g.get(key), p.get(key))
            else:
                self.leaf(kind, f"{path}[{i}]", g, p)
        for i, g in enumerate(gold):
            if i not in matched_g:
                self.one_sided(kind, f"{path}[{i}]", g, "gold")
        for j, p in enumerate(pred):
            if j not in matched_p:
                self.one_sided(kind, f"{path}[pred {j}]", p, "pred")

    def tables(self, kind: str, prefix: str, gold: Sequence[JsonDict], pred: Sequence[JsonDict]) -> None:
        pairs = match_tables(gold, pred)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = gold[i], pred[j]
            path = f"{prefix}tables[{g.get('id')}]"
            self.leaf(kind, f"{path}.title", g.get("title"), p.get("title"))
            # An empty table is scored by its note (v1.1): present, and printed as empty.
            self.leaf(kind, f"{path}.empty_note", g.get("empty_note"), p.get("empty_note"))
            self.rows(kind, path, g.get("rows") or [], p.get("rows") or [], g.get("columns") or [])
        for i, g in enumerate(gold):
            if i not in matched_g:
                self.rows(
                    kind, f"{prefix}tables[{g.get('id')}]", g.get("rows") or [], [], g.get("columns") or []
                )
                self.leaf(kind, f"{prefix}tables[{g.get('id')}].title", g.get("title"), None)
        for j, p in enumerate(pred):
            if j not in matched_p:
                self.rows(kind, f"{prefix}tables[pred {p.get('id')}]", [], p.get("rows") or [], [])
                self.leaf(kind, f"{prefix}tables[pred {p.get('id')}].title", None, p.get("title"))

    def rows(
        self, kind: str, path: str, gold: Sequence[JsonDict], pred: Sequence[JsonDict], columns: Sequence[str]
    ) -> None:
        pairs = match_rows(gold, pred)
        partner = dict(pairs)
        matched_p = set(partner.values())
        correct = total = 0
        for i, g in enumerate(gold):
            g_values: dict[str, object] = g.get("values") or {}
            p_values: dict[str, object] = pred[partner[i]].get("values") or {} if i in partner else {}
            row_path = f"{path}.rows[{_row_label(g, i)}].values"
            for col in list(g_values) + [c for c in p_values if c not in g_values]:
                total += 1
                if i in partner:
                    if values_equal(g_values.get(col), p_values.get(col))[0]:
                        correct += 1
                    self.leaf(kind, f"{row_path}.{col}", g_values.get(col), p_values.get(col))
                else:
                    self.leaf(kind, f"{row_path}.{col}", g_values.get(col), None)
        for j, p in enumerate(pred):
            if j not in matched_p:
                for col, value in (p.get("values") or {}).items():
                    total += 1
                    self.leaf(kind, f"{path}.rows[pred {_row_label(p, j)}].values.{col}", None, value)
        self.cells = self.cells + CellCounts(correct=correct, total=total)


def _row_label(row: JsonDict, index: int) -> str:
    side, key = row_key(row)
    label = key.split(":", 1)[1] if key else f"#{index}"
    return f"{side}|{label}" if side else label


def score_document(gold: JsonDict, pred: JsonDict) -> DocumentScore:
    """Score a prediction document (plain JSON) against a gold document (plain JSON)."""
    g_reports: list[JsonDict] = list(gold.get("reports") or [])
    p_reports: list[JsonDict] = list(pred.get("reports") or [])
    pairs = match_reports(g_reports, p_reports)
    scorer = _Scorer()
    for i, j in pairs:
        scorer.report(g_reports[i], p_reports[j], f"reports[{i}].")
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, g in enumerate(g_reports):
        if i not in matched_g:
            scorer.report(g, {"kind": g.get("kind")}, f"reports[{i}].")
    for j, p in enumerate(p_reports):
        if j not in matched_p:
            kind = str(p.get("kind"))
            # Score an extra report against an empty one of its kind: every field it fills is extra.
            scorer.report({"kind": kind}, p, f"reports[pred {j}].")
    return DocumentScore(
        fields=scorer.fields,
        cells=scorer.cells,
        report_pairs=pairs,
        unmatched_gold_reports=[i for i in range(len(g_reports)) if i not in matched_g],
        unmatched_pred_reports=[j for j in range(len(p_reports)) if j not in matched_p],
    )
