"""Checkers: recompute every relationship a report's numbers must satisfy."""

from extractor.check.registry import check_drafts, run_checks, summary_line

__all__ = ["check_drafts", "run_checks", "summary_line"]
