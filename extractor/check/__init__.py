"""Checkers: recompute every relationship a report's numbers must satisfy."""

from extractor.check.registry import run_checks, summary_line

__all__ = ["run_checks", "summary_line"]
