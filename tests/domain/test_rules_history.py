"""The rules that compare with earlier periods (cumulative, outlier) and the history they are
given, on workbooks built by the real worksheet code."""

from __future__ import annotations

from typing import Any

import pytest

from sheets_sync.domain.models import Severity
from sheets_sync.domain.rules import History
from tests.domain.test_rules_support import (
    make_config,
    run,
)

# --------------------------------------------------------------------------- cumulative


def _history(**values: dict[str, float]) -> History:
    h = History()
    for period, by_code in values.items():
        for code, v in by_code.items():
            h.add(period.replace("_", "-"), code, v)
    return h


CUMULATIVE_CASES: list[tuple[str, Any, bool]] = [
    ("U1", 7, True),  # fell from 8 in TW2
    ("U1", 8, False),
    ("U1", "9", False),
    ("U1", None, False),  # missing: skipped
    ("U2", 50, False),  # a percentage: a rate, not a running total
    ("U6", 1, False),  # aggregation sum: each quarter's own amount may fall
]


@pytest.mark.parametrize(("code", "real", "expected"), CUMULATIVE_CASES)
def test_cumulative_rule(code: str, real: Any, expected: bool) -> None:
    rules = [{"id": "kum", "kind": "cumulative", "severity": "warning"}]
    indicators = [*make_config().model_dump()["indicators"],
                  {"code": "U6", "section": "umum", "name": "Jumlah rapat", "unit": "rapat",
                   "target": 4, "aggregation": "sum"}]
    config = make_config(rules=rules, indicators=indicators)
    history = _history(**{"2026_TW2": {"U1": 8, "U2": 90, "U6": 4}})
    issues = run(rules, {code: {"realisasi": real}}, history=history, config=config)
    assert bool(issues) is expected
    if expected:
        assert "Triwulan II 2026" in issues[0].message and "turun" in issues[0].message


def test_cumulative_new_year_and_no_history() -> None:
    rules = [{"id": "kum", "kind": "cumulative"}]
    history = _history(**{"2025_TW4": {"U1": 8}})
    assert run(rules, {"U1": {"realisasi": 1}}, history=history, period="2026-TW1") == []
    assert run(rules, {"U1": {"realisasi": 1}}, history=None) == []
    # percent units only when asked
    rules = [{"id": "kum", "kind": "cumulative", "percent_units": True}]
    history = _history(**{"2026_TW2": {"U2": 90}})
    assert len(run(rules, {"U2": {"realisasi": 80}}, history=history)) == 1


def test_history_accepts_a_plain_mapping() -> None:
    rules = [{"id": "kum", "kind": "cumulative"}]
    issues = run(rules, {"U1": {"realisasi": 7}}, history={"2026-TW2": {"U1": 8.0}})
    assert len(issues) == 1


# --------------------------------------------------------------------------- outlier

EARLIER = {"2025_TW4": {"U1": 10}, "2026_TW1": {"U1": 11}, "2026_TW2": {"U1": 10.5}}
OUTLIER_CASES: list[tuple[str, dict[str, Any], Any, dict[str, dict[str, float]], bool]] = [
    ("zscore", {}, 50, EARLIER, True),
    ("zscore", {}, 11, EARLIER, False),
    ("zscore", {}, 12, EARLIER, False),  # modified z = 0.6745 * 1.5 / 0.5 = 2.02 < 3.5
    ("zscore", {"threshold": 2}, 12, EARLIER, True),
    ("zscore", {}, 50, {"2026_TW1": {"U1": 11}, "2026_TW2": {"U1": 10.5}}, False),  # < 3
    ("zscore", {}, 10, {"bukan-periode": {"U1": 99}, "2025_TW4": {"U1": 10}, "2026_TW1": {"U1": 10},
                        "2026_TW2": {"U1": 10}}, False),
    ("zscore", {}, 11, {"2025_TW4": {"U1": 10}, "2026_TW1": {"U1": 10},
                        "2026_TW2": {"U1": 10}}, True),  # constant history: any change
    ("band", {"margin": 0.25}, 11, {"2025_TW4": {"U1": 10}, "2026_TW1": {"U1": 10},
                                    "2026_TW2": {"U1": 10}}, False),  # 10 +- 2.5
    ("band", {"margin": 0.25}, 13, {"2025_TW4": {"U1": 10}, "2026_TW1": {"U1": 10},
                                    "2026_TW2": {"U1": 10}}, True),
    ("band", {"margin": 0}, "11,5", EARLIER, True),
    ("band", {"margin": 0}, 10.5, EARLIER, False),
    ("zscore", {}, None, EARLIER, False),
    ("zscore", {}, "abc", EARLIER, False),
]


@pytest.mark.parametrize(("method", "extra", "real", "earlier", "expected"), OUTLIER_CASES)
def test_outlier_rule(method: str, extra: dict[str, Any], real: Any,
                      earlier: dict[str, dict[str, float]], expected: bool) -> None:
    rules = [{"id": "pencilan", "kind": "outlier", "method": method, "severity": "info",
              **extra}]
    issues = run(rules, {"U1": {"realisasi": real}}, history=_history(**earlier))
    assert bool(issues) is expected
    if expected:
        assert issues[0].severity is Severity.info and "median" in issues[0].message


def test_outlier_ignores_later_and_other_kinds_of_period() -> None:
    rules = [{"id": "pencilan", "kind": "outlier"}]
    history = _history(**{"2026_TW4": {"U1": 10}, "2027_TW1": {"U1": 10}, "2026_08": {"U1": 10},
                          "2025": {"U1": 10}, "2026_TW2": {"U1": 10}})
    assert run(rules, {"U1": {"realisasi": 99}}, history=history) == []


# --------------------------------------------------------------------------- history


def test_history_from_a_recap_grid_and_csv_rows() -> None:
    grid = [["Rekapitulasi"], [],
            ["Periode", "Kode Bagian", "Bagian", "Kode", "Realisasi",
             "Realisasi Anggaran (Rp)"],
            ["2026-TW2", "umum", "Umum", "U1", 8, "Rp 500.000"],
            [None, "umum", "Umum", "U2", "87,5", None],
            ["2026-TW2", "umum", "Umum", "U3", "12.5", None]]  # ambiguous: left out
    h = History.from_grid(grid, "2026-TW1")
    assert h.realisasi == {"2026-TW2": {"U1": 8.0}, "2026-TW1": {"U2": 87.5}}
    assert h.budget_real == {"2026-TW2": {"U1": 500_000.0}}
    rows = [{"periode": "2026-tw1", "kode": "U1", "realisasi": "7"},
            {"period": "2026-TW1", "code": "U2", "realisasi_anggaran": "1.000"}]
    h.merge(History.from_records(rows))
    assert h.series("U1") == {"2026-TW2": 8.0, "2026-TW1": 7.0}
    assert h.value("2026-TW1", "U2", "budget_real") == 1000.0
    assert History.from_grid([["tanpa", "judul"]]).realisasi == {}
