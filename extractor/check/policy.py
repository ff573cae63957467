"""The exit-status policy shared by `extractor extract` and `extractor check`.

    --fail-on never    (default) findings never change the exit status
    --fail-on error    exit 1 when a check of severity error fails
    --fail-on warning  exit 1 when a check of severity warning or error fails

Findings change the exit status only when asked (a bulk run's status says whether every
file was processed; a pipeline that gates on the checks says --fail-on error).

Whatever the threshold, a file that could not be read or extracted also makes the exit
status 1. Both commands call `exit_status`, so the same result gives the same status
whichever command produced it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from extractor.schemas import Finding

FailOn = Literal["error", "warning", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("error", "warning", "never")
DEFAULT_FAIL_ON: FailOn = "never"
FAIL_ON_HELP = (
    "exit 1 when a check of this severity (or worse) fails: never (default), error, or warning; "
    "a file that cannot be processed always exits 1"
)

_RANK = {"info": 0, "warning": 1, "error": 2}
_THRESHOLD = {"warning": 1, "error": 2, "never": 99}


def fails(findings: Iterable[Finding], fail_on: FailOn) -> bool:
    """Whether these findings fail the run under `fail_on`."""
    return fails_counts(Counter(f.severity for f in findings if f.status == "fail"), fail_on)


def fails_counts(failed: dict[str, int], fail_on: FailOn) -> bool:
    """`fails` from counts of failed findings by severity (what a batch journal keeps per file)."""
    threshold = _THRESHOLD[fail_on]
    return any(count and _RANK.get(severity, 0) >= threshold for severity, count in failed.items())


def exit_status(findings: Iterable[Finding], fail_on: FailOn, *, broken_inputs: int = 0) -> int:
    """0 or 1 for a whole run: every finding of every file, and the files that could not be processed."""
    return 1 if broken_inputs or fails(findings, fail_on) else 0
