"""LLM extraction: schema-constrained, grounded in the document, checked, merged with the rules.

client.py         LlmClient protocol, request/response/usage types, errors
openai_client.py  any OpenAI-compatible endpoint, through openai + instructor
fake.py           an in-process scripted client with `.history`
config.py         LlmConfig from a TOML file, the environment and flags
sections.py       per-kind sections and their response models (from schemas/)
chunk.py          a report's blocks as text, with a map back to pages and boxes
prompts.py        prompts/*.j2 in jinja2's sandbox; few-shot from other samples' gold
grounding.py      quotes must be in the chunk, values in their quotes
extract.py        the one retry loop (prepare, call, validate, re-ask)
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
