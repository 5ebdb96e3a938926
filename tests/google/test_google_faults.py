"""Faults, lost answers and crashes on Google end in the fault-free state (issue 9).

Bounded and seeded: the SOP script on 3 sections (benchmarks/google_faults.py) with random
faults at 10, 20 and 30 % including answers lost after Google applied the request, and a
kill at every call boundary of distribute, validate and recap followed by a re-run. The full
state of the fake (files, tags, cells, notes, protections, charts, permissions, sharing
e-mails) must equal the fault-free run's. The same code prints the table of
docs/reliability.md ("Google") with more runs."""

from __future__ import annotations

import pytest

from benchmarks.google_faults import STEPS, clean_state, config, fault_runs, kill_runs

CFG = config()


@pytest.fixture(scope="module")
def clean() -> dict:
    return clean_state(CFG)


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.3])
def test_random_faults_with_lost_answers_end_as_the_fault_free_run(clean: dict,
                                                                  rate: float) -> None:
    (outcome,) = fault_runs(CFG, rate, 1, clean)
    assert outcome.identical, outcome


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_every_call_boundary_then_a_rerun_ends_as_without_it(step: str) -> None:
    outcomes = kill_runs(CFG, step)
    assert len(outcomes) >= 5
    bad = [(n, o) for n, o in enumerate(outcomes, start=1) if not o.identical]
    assert bad == []
