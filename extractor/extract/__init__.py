"""Extraction: layout blocks → report models (rules, or an LLM)."""
