"""The one retry loop, value by value: prepare → call → parse → judge each value → re-ask for the rejected.

Each value of an answer is judged on its own: it is kept when it is grounded in the
chunk (`grounding`), fits the report model, and adds no new checker error. Kept values
stay kept; only the rejected ones are re-asked (the model is shown its answer and told
exactly what is wrong), up to `config.max_retries` times. A value still rejected then is
dropped, with the reason, in `SectionResult.dropped` — one misquoted figure no longer
sinks the other 31. Only when no attempt gave a usable answer at all does the section
fail (`LlmExtractionError`, with every attempt and the tokens spent).

Rows of a list keep their index across attempts: a later answer's row is read only
where it names the same indicator as the row kept before (a model that reorders rows
cannot mix two indicators' values); a name the document does not print there is a
misread name, not another indicator, so that row's values are still judged, in the kept
name's row. A row's name quoted from the wrong line is grounded in the quotes of its
row's values when they print it: one misquoted name no longer takes its row down.

The rules extractor is a second, independent reader (`SectionTask.corroborated`). A value
it read alike for the same field needs no label to be grounded (`grounding`), is never
blamed by a checker, and overrules a kept value it does not share when a later answer
gives it: a swapped pair can pass grounding where both fields share a row or a sentence,
and kept for good it would shut out the right value the model gives on a re-ask.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from extractor.core.types import SourceSpan
from extractor.extract.llm.budget import TokenBudget
from extractor.extract.llm.cache import AnswerCache, cache_key
from extractor.extract.llm.client import (
    Attempt,
    ChatMessage,
    LlmBudgetExhausted,
    LlmCallError,
    LlmClient,
    LlmExtractionError,
    LlmRequest,
    LlmResponse,
    Usage,
)
from extractor.extract.llm.config import LlmConfig
from extractor.extract.llm.grounding import leaf_problem
from extractor.extract.llm.prompts import PROMPT_VERSION, render_messages, render_reask
from extractor.extract.llm.sections import Leaf, Section, assemble, leaves
from extractor.render import Chunk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Objection:
    """Why some values cannot be kept: `paths` are report paths (`key_figures.income_total`,
    `indicators[2].score`, or a whole field such as `indicators`)."""

    paths: tuple[str, ...]
    message: str


Check = Callable[[dict[str, Any], Sequence[Leaf]], list[Objection]]
"""Candidate answer (only kept and candidate values) → objections: values the report model
refuses, and new checker errors among them."""


@dataclass(frozen=True)
class SectionTask:
    section: Section
    chunk: Chunk
    exclude: str | None = None
    """The sample being extracted: its gold file is never a few-shot example."""
    yuan_tables: bool = False
    """The report's tables print 元 (amounts quoted from them may be converted)."""
    check: Check | None = None
    """Validates an answer's values in the report and runs the checkers on them."""
    corroborated: Callable[[Leaf], bool] | None = None
    """Whether the rules read the same value: a checker failure does not blame a value two
    independent readers agree on (the document itself may be inconsistent)."""


@dataclass(frozen=True)
class SectionResult:
    section: Section
    answer: dict[str, Any]
    """The kept values only, in the response model's JSON shape."""
    leaves: tuple[Leaf, ...]
    evidence: dict[str, SourceSpan]
    attempts: tuple[Attempt, ...] = ()
    usage: Usage = field(default_factory=Usage)
    from_cache: bool = False
    dropped: dict[str, str] = field(default_factory=dict)
    """Values the model gave that were never accepted: path → the last reason."""


def _evidence(found: Sequence[Leaf], chunk: Chunk) -> dict[str, SourceSpan]:
    out: dict[str, SourceSpan] = {}
    for leaf in found:
        span = chunk.locate(leaf.quote)
        if span is not None:
            out[leaf.path] = span
    return out


def _row(path: str) -> str | None:
    """`indicators[3].target` → `indicators[3]` (None for a scalar)."""
    head, sep, rest = path.partition("[")
    return f"{head}[{rest.partition(']')[0]}]" if sep else None


def _implicates(leaf: Leaf, paths: Sequence[str]) -> bool:
    row = _row(leaf.path)
    for p in paths:
        if (
            p in (leaf.path, leaf.field, row)
            or leaf.path.startswith(p + ".")
            or leaf.path.startswith(p + "[")
        ):
            return True
    return False


class _Judge:
    """What is kept so far, every value offered for what is not, and why each was last rejected.

    A value not kept yet is judged on every attempt from all its offers, newest first: a
    weight first refused because its row's name was misread is kept once the name is
    (it is then checked against the kept name), and one refused by a checker because of
    another value may pass once that value is fixed.
    """

    def __init__(self, task: SectionTask) -> None:
        self.task = task
        self.kept: dict[str, Leaf] = {}
        self.offers: dict[str, list[Leaf]] = {}
        self.rejected: dict[str, str] = {}
        self.row_quotes: dict[tuple[str, str], list[str]] = {}
        """(row, the name an answer gave it) → the quotes of that row's other values."""

    def _fresh(self, found: list[Leaf]) -> list[Leaf]:
        """The answer's values not kept yet, skipping rows that now name another indicator (a
        row whose new name the document does not print is a misread name, not another
        indicator: its values are judged in the kept name's row, see `_named`)."""
        names = {(_row(p) or p): leaf.value for p, leaf in self.kept.items() if p.endswith("].name")}
        texts = {
            leaf.value for leaf in self.kept.values() if leaf.kind == "text" and _row(leaf.path) == leaf.path
        }
        new_names = {_row(leaf.path): leaf for leaf in found if leaf.path.endswith("].name")}
        other = {
            row
            for row, name in new_names.items()
            if row in names and name.value != names[row] and self._problem(name) is None
        }
        out = []
        for leaf in found:
            if leaf.path in self.kept:
                continue
            row = _row(leaf.path)
            if row is not None and row in names and (row not in new_names or row in other):
                continue
            if row == leaf.path and leaf.value in texts:  # an item already kept at another index
                continue
            out.append(leaf)
        return out

    def _requoted(self, name: Leaf) -> Leaf | None:
        """A row's name whose own quote does not hold it, grounded instead in the quote of one of
        its row's values (the row they were read from prints the name): a misquoted name would
        otherwise take every value of its row down with it."""
        for quote in self.row_quotes.get((str(_row(name.path)), name.value), []):
            leaf = dataclasses.replace(name, quote=quote)
            if self._problem(leaf) is None:
                return leaf
        return None

    def _agreed(self, leaf: Leaf) -> bool:
        return self.task.corroborated is not None and self.task.corroborated(leaf)

    def _problem(self, leaf: Leaf) -> str | None:
        """Why `leaf` is not grounded (a value the rules read alike needs no label)."""
        task = self.task
        return leaf_problem(leaf, task.chunk, yuan_tables=task.yuan_tables, labels=not self._agreed(leaf))

    def _overrule(self, found: list[Leaf]) -> None:
        """Kept values the rules do not share, replaced by this answer's grounded value for the
        same field where the rules read that one alike. List items and names are never
        overruled: a row's name says which indicator its other values belong to, so a row
        naming another indicator (a changed name included) overrules nothing."""
        if self.task.corroborated is None:
            return
        for leaf in found:
            kept = self.kept.get(leaf.path)
            row = _row(leaf.path)
            if kept is None or kept.value == leaf.value or row == leaf.path:
                continue
            name = self.kept.get(f"{row}.name") if row else None
            if row is not None and (name is None or leaf.row != name.value):
                continue
            if self._agreed(leaf) and not self._agreed(kept) and self._problem(leaf) is None:
                log.info("%s: %s overruled by %s (the rules read it too)", leaf.path, kept.value, leaf.value)
                self.kept[leaf.path] = leaf

    def _named(self, leaf: Leaf, chosen: dict[str, Leaf]) -> Leaf:
        """An indicator's value checked against its row's kept (or now accepted) name."""
        row = _row(leaf.path)
        if row is None or leaf.row is None:
            return leaf
        name = self.kept.get(f"{row}.name") or chosen.get(f"{row}.name")
        if name is None or name.value == leaf.row:
            return leaf
        labels = ((name.value,), *leaf.labels[1:]) if leaf.labels else ()
        return dataclasses.replace(leaf, row=name.value, labels=labels)

    def judge(self, answer: dict[str, Any]) -> list[str]:
        """Keep what passes; return the problems to re-ask with."""
        section, task = self.task.section, self.task
        found = leaves(section, answer)
        for leaf in found:
            row = _row(leaf.path)
            if row not in (None, leaf.path) and leaf.row is not None and not leaf.path.endswith("].name"):
                quotes = self.row_quotes.setdefault((str(row), leaf.row), [])
                quotes += [] if leaf.quote in quotes else [leaf.quote]
        self._overrule(found)
        for leaf in self._fresh(found):
            self.offers.setdefault(leaf.path, []).append(leaf)
        problems: dict[str, str] = {}
        chosen: dict[str, Leaf] = {}
        pending = [p for p in self.offers if p not in self.kept]
        for path in sorted(pending, key=lambda p: not p.endswith("].name")):  # names first
            first: str | None = None
            for offer in reversed(self.offers[path]):
                leaf = self._named(offer, chosen)
                problem = self._problem(leaf)
                requoted = self._requoted(leaf) if problem and path.endswith("].name") else None
                if problem is None or requoted is not None:
                    chosen[path] = requoted or leaf
                    break
                first = first or problem
            else:
                problems[path] = str(first)
        candidates = list(chosen.values())
        if task.check is not None and candidates:
            trial = [*self.kept.values(), *candidates]
            for objection in task.check(assemble(section, trial), trial):
                # only the values the objection names, and not those the rules read alike: a check
                # failing on a blank (missing) value, or on the document's own numbers, blames none
                for leaf in [
                    c for c in candidates if _implicates(c, objection.paths) and not self._agreed(c)
                ]:
                    problems.setdefault(leaf.path, f"{leaf.path}: {objection.message}")
        for leaf in candidates:
            if leaf.path not in problems:
                self.kept[leaf.path] = leaf
                self.rejected.pop(leaf.path, None)
        self.rejected.update(problems)
        return list(problems.values())

    def result(self, attempts: list[Attempt], usage: Usage) -> SectionResult:
        kept = list(self.kept.values())
        return SectionResult(
            section=self.task.section,
            answer=assemble(self.task.section, kept),
            leaves=tuple(kept),
            evidence=_evidence(kept, self.task.chunk),
            attempts=tuple(attempts),
            usage=usage,
            dropped={p: r for p, r in self.rejected.items() if p not in self.kept},
        )


def _parse(task: SectionTask, response: LlmResponse) -> tuple[dict[str, Any] | None, str | None]:
    """(the answer as the response model dumps it, or why the whole answer is unusable)."""
    if response.data is None:
        reason = response.error or "no answer"
        return None, f"the answer is not valid JSON of the required structure: {reason}"
    try:
        answer = task.section.response_model.model_validate(response.data).model_dump(mode="json")
    except ValidationError as exc:
        return None, f"the answer does not fit the required structure: {exc}"
    return answer, None


def _from_cache(task: SectionTask, cache: AnswerCache, key: str) -> SectionResult | None:
    entry = cache.get(key)
    if entry is None:
        return None
    try:
        answer = task.section.response_model.model_validate(entry.get("answer")).model_dump(mode="json")
    except ValidationError:
        return None
    found = leaves(task.section, answer)
    if any(leaf_problem(leaf, task.chunk, yuan_tables=task.yuan_tables) for leaf in found):
        return None
    dropped = entry.get("dropped")
    return SectionResult(
        section=task.section,
        answer=answer,
        leaves=tuple(found),
        evidence=_evidence(found, task.chunk),
        usage=Usage(cache_hits=1),
        from_cache=True,
        dropped={str(k): str(v) for k, v in dropped.items()} if isinstance(dropped, dict) else {},
    )


def extract_section(
    task: SectionTask,
    *,
    client: LlmClient,
    config: LlmConfig,
    budget: TokenBudget | None = None,
    cache: AnswerCache | None = None,
) -> SectionResult:
    """One section's accepted answer (from the cache when the same question was answered before)."""
    section = task.section
    budget = budget or TokenBudget(None)
    key = cache_key(client.model, PROMPT_VERSION, section.schema_hash, task.chunk.sha256)
    if cache is not None:
        hit = _from_cache(task, cache, key)
        if hit is not None:
            log.debug("%s: answer from the cache", section.id)
            return hit
    messages: list[ChatMessage] = list(
        render_messages(
            section,
            task.chunk,
            prompts_dir=config.prompts_dir,
            examples_dir=config.examples_dir,
            exclude=task.exclude,
            few_shot=config.few_shot,
        )
    )
    judge = _Judge(task)
    attempts: list[Attempt] = []
    total = Usage()
    usable = False
    tries = config.max_retries + 1
    for number in range(1, tries + 1):
        if budget.exhausted():
            if usable:
                for path in judge.rejected:
                    judge.rejected[path] += " (the token budget ran out before it was asked again)"
                return judge.result(attempts, total)
            raise LlmBudgetExhausted(
                f"{section.id}: the token budget ({budget.limit}) ran out", attempts=attempts, usage=total
            )
        request = LlmRequest(
            messages=tuple(messages),
            response_model=section.response_model,
            max_output_tokens=config.max_output_tokens,
            temperature=config.temperature,
            tag=section.id,
        )
        try:
            response = client.complete(request)
        except LlmCallError as exc:
            total += exc.usage
            budget.add(exc.usage)
            if usable:
                for path in judge.rejected:
                    judge.rejected[path] += f" (not asked again: {exc})"
                return judge.result(attempts, total)
            raise LlmExtractionError(f"{section.id}: {exc}", attempts=attempts, usage=total) from exc
        total += response.usage
        budget.add(response.usage)
        answer, unusable = _parse(task, response)
        if answer is not None:
            usable = True
            problems = judge.judge(answer)
        else:
            problems = [str(unusable)]
        attempts.append(
            Attempt(
                number=number,
                raw=response.raw,
                problems=tuple(problems),
                usage=response.usage,
                mode=response.mode,
            )
        )
        if not problems:
            break
        log.info(
            "%s: attempt %d: %d rejected: %s", section.id, number, len(problems), "; ".join(problems[:3])
        )
        if number == tries:
            break
        messages.append(ChatMessage(role="assistant", content=response.raw or "(no answer)"))
        messages.append(render_reask(problems[:30], kept=sorted(judge.kept), prompts_dir=config.prompts_dir))
    if not usable:
        reasons = "; ".join(attempts[-1].problems[:3])
        raise LlmExtractionError(
            f"{section.id}: no usable answer in {len(attempts)} attempts (last: {reasons})",
            attempts=attempts,
            usage=total,
        )
    result = judge.result(attempts, total)
    if cache is not None:
        cache.put(
            key,
            {
                "section": section.id,
                "model": client.model,
                "prompt_version": PROMPT_VERSION,
                "answer": result.answer,
                "dropped": result.dropped,
            },
        )
    return result
