"""The one retry loop: prepare → call → parse and validate → re-ask with the reason.

An answer is accepted when it fits the section's response model, every value is
grounded in the chunk (`grounding`), the values make a valid report, and the
checkers find no new error among them. Otherwise the model is shown its answer and
told exactly what is wrong, up to `config.max_retries` times. A checker failure
that persists on the last attempt is accepted (documents do print inconsistent
numbers; the checker will report it); anything else raises `LlmExtractionError`
with every attempt and the tokens spent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
from extractor.extract.llm.grounding import grounding_problems
from extractor.extract.llm.prompts import PROMPT_VERSION, render_messages, render_reask
from extractor.extract.llm.sections import Leaf, Section, leaves
from extractor.render import Chunk

log = logging.getLogger(__name__)

Verdict = tuple[list[str], list[str]]
"""(problems that must be fixed, checker failures that may stand on the last attempt)."""
Check = Callable[[dict[str, Any], list[Leaf]], Verdict]


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


@dataclass(frozen=True)
class SectionResult:
    section: Section
    answer: dict[str, Any]
    leaves: tuple[Leaf, ...]
    evidence: dict[str, SourceSpan]
    attempts: tuple[Attempt, ...] = ()
    usage: Usage = field(default_factory=Usage)
    from_cache: bool = False
    unresolved: tuple[str, ...] = ()
    """Checker failures the model kept on its last attempt."""


def _evidence(found: list[Leaf], chunk: Chunk) -> dict[str, SourceSpan]:
    out: dict[str, SourceSpan] = {}
    for leaf in found:
        span = chunk.locate(leaf.quote)
        if span is not None:
            out[leaf.path] = span
    return out


def _judge(
    task: SectionTask, response: LlmResponse, last: bool
) -> tuple[list[str], list[str], dict[str, Any]]:
    """(problems to re-ask with, checker failures accepted, the parsed answer)."""
    if response.data is None:
        reason = response.error or "no answer"
        return [f"the answer is not valid JSON of the required structure: {reason}"], [], {}
    try:
        answer = task.section.response_model.model_validate(response.data).model_dump(mode="json")
    except ValidationError as exc:
        return [f"the answer does not fit the required structure: {exc}"], [], {}
    found = leaves(task.section, answer)
    problems = grounding_problems(found, task.chunk, yuan_tables=task.yuan_tables)
    if problems or task.check is None:
        return problems, [], answer
    hard, checks = task.check(answer, found)
    if hard:
        return hard, [], answer
    if checks and not last:
        return [f"a checker found an inconsistency: {c}; re-read the numbers" for c in checks], [], answer
    return [], checks, answer


def _from_cache(task: SectionTask, cache: AnswerCache, key: str) -> SectionResult | None:
    entry = cache.get(key)
    if entry is None:
        return None
    try:
        answer = task.section.response_model.model_validate(entry.get("answer")).model_dump(mode="json")
    except ValidationError:
        return None
    found = leaves(task.section, answer)
    if grounding_problems(found, task.chunk, yuan_tables=task.yuan_tables):
        return None
    return SectionResult(
        section=task.section,
        answer=answer,
        leaves=tuple(found),
        evidence=_evidence(found, task.chunk),
        usage=Usage(cache_hits=1),
        from_cache=True,
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
        )
    )
    attempts: list[Attempt] = []
    total = Usage()
    tries = config.max_retries + 1
    for number in range(1, tries + 1):
        if budget.exhausted():
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
            raise LlmExtractionError(f"{section.id}: {exc}", attempts=attempts, usage=total) from exc
        total += response.usage
        budget.add(response.usage)
        problems, unresolved, answer = _judge(task, response, last=number == tries)
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
            if cache is not None:
                cache.put(
                    key,
                    {
                        "section": section.id,
                        "model": client.model,
                        "prompt_version": PROMPT_VERSION,
                        "answer": answer,
                    },
                )
            found = leaves(section, answer)
            return SectionResult(
                section=section,
                answer=answer,
                leaves=tuple(found),
                evidence=_evidence(found, task.chunk),
                attempts=tuple(attempts),
                usage=total,
                unresolved=tuple(unresolved),
            )
        log.info("%s: attempt %d rejected: %s", section.id, number, "; ".join(problems[:3]))
        messages.append(ChatMessage(role="assistant", content=response.raw or "(no answer)"))
        messages.append(render_reask(problems[:30], prompts_dir=config.prompts_dir))
    reasons = "; ".join(attempts[-1].problems[:3])
    raise LlmExtractionError(
        f"{section.id}: no acceptable answer in {len(attempts)} attempts (last: {reasons})",
        attempts=attempts,
        usage=total,
    )
