"""Merging model answers into the rules extractor's reports: `--llm off|fill|verify|full`.

    fill    the model is asked only for sections with a field the rules left empty,
            and its values go only into empty fields
    verify  the model re-reads every section; values stay the rules'; where the model
            read a different value (or one the rules missed) a finding `llm.disagreement`
            (warning) says so. A model that gives null confirms nothing, disagrees with nothing.
    full    the model re-reads every section; its non-null values win (disagreements
            are still reported); where it gives null the rules' value stays

The standard tables of a final account are always the rules'. Each report gets an
extension field `sources` ({"<path>": "rules" | "llm" | "both"}) for its filled
fields (a list field is one path), and every value from the model gets evidence
(page, box, its quote). A value the model gave that was never accepted (ungrounded,
refused by a checker, after the re-asks) is dropped alone: a finding `llm.dropped`
names the field and the reason, and where the field stays empty `sources` says
`"dropped: <reason>"`. A section that cannot be done (retries spent, endpoint
down, token budget gone) is left to the rules, with a finding that says why; when
the endpoint fails for every section (a refused key, a wrong URL), `LlmCallError` is
raised instead, so a misconfiguration is not mistaken for a run.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from extractor.check import run_checks
from extractor.core.paths import get_path, set_path
from extractor.core.types import LayoutDocument, SourceSpan
from extractor.extract.draft import DraftReport
from extractor.extract.llm.budget import TokenBudget, cost
from extractor.extract.llm.cache import AnswerCache
from extractor.extract.llm.client import LlmBudgetExhausted, LlmCallError, LlmClient, LlmError, Usage
from extractor.extract.llm.config import LlmConfig, MergeMode
from extractor.extract.llm.context import ReportContext
from extractor.extract.llm.extract import Check, Objection, SectionResult, SectionTask, extract_section
from extractor.extract.llm.prompts import PROMPT_VERSION
from extractor.extract.llm.sections import Leaf, Section, answer_values, sections_for
from extractor.render import normalise
from extractor.schemas import (
    Budget,
    Evidence,
    FinalAccount,
    Finding,
    OverallSelfEval,
    ProjectSelfEval,
    Report,
    TransferSelfEval,
)

log = logging.getLogger(__name__)

Source = Literal["rules", "llm", "both"]
"""What `sources` says of a kept field (a dropped model value with nothing in its place: "dropped: <reason>")."""
_KIND_MODELS: dict[str, type[BaseModel]] = {
    "final_account": FinalAccount,
    "overall_self_eval": OverallSelfEval,
    "project_self_eval": ProjectSelfEval,
    "transfer_self_eval": TransferSelfEval,
    "budget": Budget,
}
_NOT_SOURCED = frozenset({"kind", "pages", "evidence", "tables", "sources"})


@dataclass
class MergeResult:
    reports: list[Report]
    findings: list[Finding] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def _canon(value: Any) -> Any:
    if isinstance(value, list):
        return [_canon(v) for v in value]
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items() if v is not None}
    return None if value is None else normalise(str(value))


def _show(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} items"
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _error_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _touches(fields: Sequence[str], paths: Sequence[str]) -> bool:
    return any(f == p or f.startswith(p + ".") or f.startswith(p + "[") for f in fields for p in paths)


def _checker(report: Report, narrative: Sequence[SourceSpan], section: Section) -> Check:
    """Candidate values → (values the report model refuses, new checker errors among them)."""
    base = report.model_dump(mode="json")
    model = _KIND_MODELS[report.kind]
    baseline = {(f.check, tuple(f.fields)) for f in run_checks([report], [narrative]) if f.status == "fail"}
    paths = [f.path for f in section.fields]

    def check(answer: dict[str, Any], found: Sequence[Leaf]) -> list[Objection]:
        del found
        data = copy.deepcopy(base)
        for path, value in answer_values(section, answer).items():
            if not _empty(value):
                set_path(data, path, value)
        try:
            candidate: Any = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)[:10]
            return [Objection((_error_path(e["loc"]),), e["msg"]) for e in errors]
        failures = [
            f
            for f in run_checks([candidate], [narrative])
            if f.status == "fail"
            and f.severity == "error"
            and (f.check, tuple(f.fields)) not in baseline
            and _touches(f.fields, paths)
        ]
        return [
            Objection(
                tuple(f.fields),
                f"a checker found an inconsistency: {f.check}: {f.message}; re-read the numbers",
            )
            for f in failures
        ]

    return check


def _agrees_with(data: dict[str, Any]) -> Callable[[Leaf], bool]:
    """Whether the rules' report holds the same value (an indicator's: in the row of the same name)."""

    def agrees(leaf: Leaf) -> bool:
        head, sep, rest = leaf.path.partition("[")
        if not sep:
            return bool(_canon(get_path(data, leaf.path)) == _canon(leaf.value))
        key = rest.partition("]")[2].lstrip(".")
        rows = data.get(head) or []
        if not key:
            return any(_canon(item) == _canon(leaf.value) for item in rows)
        return any(
            isinstance(row, dict)
            and _canon(row.get("name")) == _canon(leaf.row)
            and _canon(row.get(key)) == _canon(leaf.value)
            for row in rows
        )

    return agrees


def _wanted(report: dict[str, Any], section: Section, mode: MergeMode) -> bool:
    if mode != "fill":
        return True
    return any(_empty(get_path(report, f.path)) for f in section.fields)


def _leaf_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in data.items():
        if not prefix and key in _NOT_SOURCED:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _leaf_paths(value, path + ".")
        elif not _empty(value):
            out.append(path)
    return out


def _evidence(span: SourceSpan) -> Evidence:
    return Evidence(page=max(span.page, 1), bbox=span.bbox, text=span.text)


class _ReportMerge:
    """One report's data, evidence, sources and findings while section results are applied."""

    def __init__(self, index: int, report: Report, mode: MergeMode) -> None:
        self.index = index
        self.report = report
        self.mode = mode
        self.data = report.model_dump(mode="json")
        self.evidence: dict[str, Any] = self.data.pop("evidence", {}) or {}
        self.sources: dict[str, str] = {}
        self.dropped: dict[str, str] = {}
        self.findings: list[Finding] = []

    def _take(self, path: str, value: Any, result: SectionResult, is_list: bool) -> None:
        set_path(self.data, path, value)
        stale = [k for k in self.evidence if k == path or (is_list and k.startswith(path + "["))]
        for key in stale:
            del self.evidence[key]
        for key, span in result.evidence.items():
            if key == path or (is_list and key.startswith(path + "[")):
                self.evidence[key] = _evidence(span).model_dump(mode="json")

    def _disagree(self, path: str, rules: Any, llm: Any, result: SectionResult, taken: bool) -> None:
        outcome = "took the model's value" if taken else "kept the rules' value"
        rules_text = "nothing" if _empty(rules) else _show(rules)
        span = result.evidence.get(path) or next(
            (s for k, s in result.evidence.items() if k.startswith(path + "[")), None
        )
        self.findings.append(
            Finding(
                check="llm.disagreement",
                severity="warning",
                report=self.index,
                status="fail",
                message=f"{path}: the rules read {rules_text}, the model read {_show(llm)} ({outcome})",
                expected=None if isinstance(llm, list) else str(llm),
                actual=None if isinstance(rules, list) or rules is None else str(rules),
                fields=[path],
                evidence={path: _evidence(span)} if span else {},
            )
        )

    def apply(self, result: SectionResult) -> None:
        for path, reason in result.dropped.items():
            self.dropped[path] = reason
            self.findings.append(
                Finding(
                    check="llm.dropped",
                    severity="info",
                    report=self.index,
                    status="skipped",
                    message=f"the model's value was not accepted: {reason}",
                    fields=[path],
                )
            )
        values = answer_values(result.section, result.answer)
        for spec in result.section.fields:
            path, is_list = spec.path, spec.kind in ("items", "indicators")
            llm, rules = values.get(path), get_path(self.data, path)
            if _empty(llm):
                continue
            same = _canon(llm) == _canon(rules)
            if same:
                self.sources[path] = "both"
            elif self.mode == "fill":
                if _empty(rules):
                    self._take(path, llm, result, is_list)
                    self.sources[path] = "llm"
            elif self.mode == "verify":
                self._disagree(path, rules, llm, result, taken=False)
            else:  # full
                self._take(path, llm, result, is_list)
                self.sources[path] = "llm"
                if not _empty(rules):
                    self._disagree(path, rules, llm, result, taken=True)

    def build(self) -> Report:
        for path in _leaf_paths(self.data):
            self.sources.setdefault(path, "rules")
        self.sources = {p: s for p, s in self.sources.items() if not _empty(get_path(self.data, p))}
        for path, reason in self.dropped.items():
            field = path.partition("[")[0]
            if field not in self.sources and _empty(get_path(self.data, field)):
                self.sources[path] = f"dropped: {reason}"
        data = {**self.data, "evidence": self.evidence, "sources": dict(sorted(self.sources.items()))}
        try:
            merged: Report = _KIND_MODELS[self.report.kind].model_validate(data)  # type: ignore[assignment]
        except ValidationError as exc:  # pragma: no cover - candidates were validated in the loop
            self.findings.append(
                _skipped(self.index, "llm.failed", "warning", f"merged values refused: {exc}")
            )
            return self.report
        return merged


def _skipped(index: int | None, check: str, severity: Literal["warning", "info"], message: str) -> Finding:
    return Finding(check=check, severity=severity, report=index, status="skipped", message=message)


def _raise_if_unusable(outcomes: Sequence[SectionResult | LlmError]) -> None:
    """Every section failed on the endpoint itself (refused key, wrong URL, down): say so, loudly."""
    calls = [
        o.__cause__ for o in outcomes if isinstance(o, LlmError) and isinstance(o.__cause__, LlmCallError)
    ]
    if outcomes and len(calls) == len(outcomes):
        raise LlmCallError(f"the LLM endpoint could not be used for any section: {calls[0]}") from calls[0]


def merge_llm(
    doc: LayoutDocument,
    drafts: Sequence[DraftReport],
    *,
    mode: MergeMode,
    config: LlmConfig,
    client: LlmClient | None = None,
) -> MergeResult:
    """The rules' reports with the model's answers merged in by `mode` (see the module doc).

    Each draft brings its own segment (the context the model is shown) and narrative (what
    the checkers judge the answers with): the document is not segmented again."""
    reports = [d.report for d in drafts]
    if mode == "off":
        return MergeResult(reports=reports)
    if client is None:
        from extractor.extract.llm.openai_client import OpenAICompatibleClient

        client = OpenAICompatibleClient(config)
    budget = TokenBudget(config.max_tokens)
    cache = AnswerCache(config.cache_dir) if config.cache_dir else None
    exclude = Path(doc.path).stem
    findings: list[Finding] = []
    jobs: list[tuple[int, SectionTask]] = []
    for index, draft in enumerate(drafts):
        report = draft.report
        data = report.model_dump(mode="json")
        context = ReportContext(doc, index, draft.segment, config.max_context_tokens)
        if not context.fits:
            findings.append(
                _skipped(
                    index,
                    "llm.context",
                    "info",
                    f"the report is longer than {config.max_context_tokens} tokens: each section was asked "
                    "with the parts of it that concern the section",
                )
            )
        narrative = draft.narrative
        for section in sections_for(report.kind):
            if _wanted(data, section, mode):
                task = SectionTask(
                    section=section,
                    chunk=context.for_section(section),
                    exclude=exclude,
                    yuan_tables=data.get("unit") == "元",
                    check=_checker(report, narrative, section),
                    corroborated=_agrees_with(data),
                )
                jobs.append((index, task))

    def work(task: SectionTask) -> SectionResult:
        return extract_section(task, client=client, config=config, budget=budget, cache=cache)

    outcomes: list[SectionResult | LlmError] = []
    with ThreadPoolExecutor(max_workers=config.concurrency, thread_name_prefix="llm") as pool:
        futures = [pool.submit(work, task) for _, task in jobs]
        for future in futures:
            try:
                outcomes.append(future.result())
            except LlmError as exc:
                outcomes.append(exc)

    _raise_if_unusable(outcomes)
    merges = [_ReportMerge(i, r, mode) for i, r in enumerate(reports)]
    usage = Usage()
    left_by_budget: list[str] = []
    for (index, task), outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, SectionResult):
            usage += outcome.usage
            merges[index].apply(outcome)
            continue
        usage += getattr(outcome, "usage", Usage())
        if isinstance(outcome, LlmBudgetExhausted):
            left_by_budget.append(f"report {index} {task.section.id}")
        else:
            log.warning("LLM %s", outcome)
            findings.append(_skipped(index, "llm.failed", "warning", f"{outcome} — left to the rules"))
    if left_by_budget:
        findings.append(
            _skipped(
                None,
                "llm.budget",
                "info",
                f"the token budget ({config.max_tokens}) ran out after {budget.used.total_tokens} tokens; "
                f"left to the rules: {', '.join(left_by_budget)}",
            )
        )
    merged = [m.build() for m in merges]
    findings = [f for m in merges for f in m.findings] + findings
    price = cost(usage, config)
    info: dict[str, Any] = {
        "model": client.model,
        "mode": str(getattr(client, "mode", "")),
        "merge": mode,
        "prompt_version": PROMPT_VERSION,
        "sections": len(jobs),
        "from_cache": sum(1 for o in outcomes if isinstance(o, SectionResult) and o.from_cache),
        "failed": sum(1 for o in outcomes if isinstance(o, LlmError)),
        "calls": usage.calls,
        "http_retries": usage.http_retries,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "cost": None if price is None else str(price),
        "budget_exhausted": bool(left_by_budget),
    }
    return MergeResult(reports=merged, findings=findings, info=info, usage=usage)
