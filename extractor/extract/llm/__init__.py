"""LLM extraction: schema-constrained, grounded in the document, checked, merged with the rules.

client.py         LlmClient protocol, request/response/usage types, errors
openai_client.py  any OpenAI-compatible endpoint, through openai + instructor
fake.py           an in-process scripted client with `.history`
config.py         LlmConfig from a TOML file, the environment and flags
sections.py       per-kind sections and their response models (from schemas/), a quote per value
fields.py         what each field means; its labels (vocab/llm_labels.py)
context.py        the text a request carries: the report, or the chunks of its section
prompts.py        prompts/*.j2 and examples.json (package data) in jinja2's sandbox
grounding.py      quotes must be in the chunk, values in their quotes, numbers under their labels
extract.py        the one retry loop, value by value (prepare, call, judge, re-ask the rejected)
cache.py          on-disk answers keyed by model, prompt version, schema and chunk
budget.py         token budget and cost accounting
merge.py          --llm off|fill|verify|full
"""

from extractor.extract.llm.client import (
    Attempt,
    ChatMessage,
    LlmBudgetExhausted,
    LlmCallError,
    LlmClient,
    LlmError,
    LlmExtractionError,
    LlmRequest,
    LlmResponse,
    Usage,
)
from extractor.extract.llm.config import LlmConfig, MergeMode, load_config

__all__ = [
    "Attempt",
    "ChatMessage",
    "LlmBudgetExhausted",
    "LlmCallError",
    "LlmClient",
    "LlmConfig",
    "LlmError",
    "LlmExtractionError",
    "LlmRequest",
    "LlmResponse",
    "MergeMode",
    "Usage",
    "load_config",
]
