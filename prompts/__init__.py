"""Prompt templates (jinja2) for the LLM extractor, shipped as package data."""
