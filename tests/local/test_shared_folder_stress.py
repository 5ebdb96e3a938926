"""Issue 8, done-when: two commands and a section saving in a loop against one workspace,
with one damaged workbook beside them, lose nothing and duplicate nothing. Bounded: two
runs per command process, the section saves while they run (at least 20 times)."""

from __future__ import annotations

import sys

import pytest

from tests.stress_shared import stress


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses fork")
def test_two_commands_and_a_saving_section_lose_nothing(tmp_path):
    figures = stress(tmp_path, runs=2, min_saves=20)
    assert figures.values_lost == 0, figures.as_dict()
    assert figures.duplicates == 0 and figures.audit_rows > 0, figures.as_dict()
    assert figures.damaged_untouched, figures.as_dict()
    assert set(figures.exit_codes) <= {1, 4}, figures.as_dict()  # never 3: nobody refused
    assert figures.runs["validate"] + figures.runs["recap"] == 5
    assert figures.saves >= 20
