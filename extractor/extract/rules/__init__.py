"""The deterministic rules extractor: one module per report kind, no LLM."""
