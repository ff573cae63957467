"""Mutation fuzz in the suite: a few hundred damaged and hostile inputs in one batch with good files.

Seeded and bounded (about a minute on 2 cores); run it longer by hand:
`python tests/fuzz_inputs.py --cases 10000`.
"""

from __future__ import annotations

from fuzz_inputs import make_cases, run


def test_hostile_inputs_never_cost_a_traceback_a_hang_or_a_good_result() -> None:
    cases = make_cases(300, seed=20261201)
    kinds = {case.how.split("(")[0].split(" ")[0] for case in cases}
    assert {"flip", "truncate", "no_xref", "duplicate_objects", "image", "text"} <= kinds
    verdict = run(cases, jobs=2, timeout=60, memory_mb=2048)
    assert not verdict.problems, "\n".join(verdict.problems)
    assert verdict.ok + verdict.errors == len(cases) + 2
    assert verdict.errors > 50  # the mutations really break files
