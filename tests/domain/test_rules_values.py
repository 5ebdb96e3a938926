"""The rules on a typed value, table-driven per rule kind (number, required, bounds,
explanation, evidence), on workbooks built by the real worksheet code."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest

from sheets_sync.domain.models import Severity
from tests.domain.test_rules_support import (
    run,
)

# --------------------------------------------------------------------------- number

NUMBER_CASES: list[tuple[str, Any, str | None]] = [
    # (indicator, typed value, None = accepted | "ambigu" | "bukan")
    ("U1", 12, None),
    ("U1", 12.5, None),
    ("U1", "12", None),
    ("U1", "1.234,5", None),
    ("U1", "87,5", None),
    ("U1", "87,5%", None),
    ("U1", "Rp 1.500.000", None),
    ("U1", "Rp. 1.500.000,00", None),
    ("U1", "IDR 2.000", None),
    ("U1", "1.500.000,00", None),
    ("U1", "  42  ", None),
    ("U1", "1 500", None),  # a space as thousands separator
    ("U1", "1\u00a0500", None),
    ("U1", "-5", None),  # a number; the non-negative rule reports the sign
    ("U1", "1.500", None),  # Indonesian thousands in a count unit
    ("U2", "1.500", "ambigu"),  # in a percentage unit it could be 1,5
    ("U2", "87,5%", None),
    ("U1", "12.75", "ambigu"),  # English decimal point
    ("U1", "1,234,567.5", "ambigu"),
    ("U1", "abc", "bukan"),
    ("U1", "=SUM(A1:A3)", "bukan"),
    ("U1", "10 dokumen", "bukan"),
    ("U1", True, "bukan"),
    ("U1", math.nan, "bukan"),
    ("U1", math.inf, "bukan"),
    ("U1", datetime(2026, 1, 2), "bukan"),
    ("U1", "-", "bukan"),
    ("U1", "%", "bukan"),
]


@pytest.mark.parametrize(("code", "value", "expected"), NUMBER_CASES)
def test_number_rule(code: str, value: Any, expected: str | None) -> None:
    rules = [{"id": "angka", "kind": "number", "column": "realisasi"}]
    issues = run(rules, {code: {"realisasi": value}})
    if expected is None:
        assert issues == []
        return
    (issue,) = issues
    assert issue.severity is Severity.error and issue.indicator == code
    assert issue.cell is not None and issue.cell.startswith("G")
    if expected == "ambigu":
        assert "lebih dari satu cara" in issue.message
        assert "koma" in issue.suggestion  # says what to write instead, never guesses
    else:
        assert "bukan angka" in issue.message
        assert "1.234,5" in issue.suggestion


@pytest.mark.parametrize(("missing", "count"), [("skip", 0), ("issue", 5)])
def test_number_missing_strategy(missing: str, count: int) -> None:
    rules = [{"id": "angka", "kind": "number", "missing": missing}]
    issues = run(rules, {})
    assert len(issues) == count
    assert all("kosong" in i.message for i in issues)


def test_number_on_budget_column() -> None:
    rules = [{"id": "angka-anggaran", "kind": "number", "column": "budget_real"}]
    issues = run(rules, {"K1": {"budget_real": "satu juta"}}, section="keuangan")
    (issue,) = issues
    assert issue.column == "Realisasi Anggaran (Rp)" and issue.indicator == "K1"


# --------------------------------------------------------------------------- required

REQUIRED_CASES: list[tuple[Any, str, bool, bool]] = [
    # (value, status, only_when_done, expect issue)
    (None, "Selesai", True, True),
    ("   ", "Selesai", True, True),
    (0, "Selesai", True, False),
    ("ada", "Selesai", True, False),
    (None, "Sedang Diisi", True, False),
    (None, "Belum Diisi", True, False),
    (None, "Perlu Konfirmasi", True, True),
    (None, "Sedang Diisi", False, True),
]


@pytest.mark.parametrize(("value", "status", "when_done", "expected"), REQUIRED_CASES)
def test_required_rule(value: Any, status: str, when_done: bool, expected: bool) -> None:
    rules = [{"id": "wajib", "kind": "required", "column": "realisasi",
              "only_when_done": when_done, "scope": {"indicators": ["U1"]}}]
    issues = run(rules, {"U1": {"realisasi": value}}, status=status)
    assert bool(issues) is expected
    if expected:
        assert issues[0].message.startswith("Status sudah Selesai" if when_done else "Realisasi")


def test_required_keterangan() -> None:
    rules = [{"id": "ket", "kind": "required", "column": "keterangan",
              "scope": {"indicators": ["U1", "U2"]}}]
    issues = run(rules, {"U1": {"keterangan": "ok"}})
    assert [i.indicator for i in issues] == ["U2"]
    assert issues[0].column == "Keterangan"


# --------------------------------------------------------------------------- bounds

BOUNDS_CASES: list[tuple[Any, bool]] = [
    (-1, True), (0, False), ("0", False), (50, False), (100, False), ("100,0", False),
    (100.5, True), ("100,5%", True), ("abc", False),  # not a number: the number rule's job
    (None, False),
]


@pytest.mark.parametrize(("value", "expected"), BOUNDS_CASES)
def test_bounds_rule(value: Any, expected: bool) -> None:
    rules = [{"id": "persen", "kind": "bounds", "min": 0, "max": 100, "severity": "warning",
              "scope": {"units": ["%"]}}]
    issues = run(rules, {"U2": {"realisasi": value}, "U1": {"realisasi": 500}})
    assert bool(issues) is expected  # U1 (dokumen) is out of scope
    if expected:
        assert issues[0].severity is Severity.warning
        assert "0 sampai 100" in issues[0].message


def test_bounds_missing_issue_and_one_sided_text() -> None:
    rules = [{"id": "min", "kind": "bounds", "min": 5, "missing": "issue",
              "scope": {"indicators": ["U1"]}}]
    (issue,) = run(rules, {})
    assert "kosong" in issue.message
    (issue,) = run(rules, {"U1": {"realisasi": 4}})
    assert "paling sedikit 5" in issue.message


def test_bounds_on_target_column_reports_changed_target() -> None:
    rules = [{"id": "target-batas", "kind": "bounds", "column": "target", "max": 95}]
    issues = run(rules, {"U1": {"target": 100}})
    assert [i.indicator for i in issues] == ["U1"] and issues[0].column == "Target"


# --------------------------------------------------------------------------- explanation

EXPLANATION_CASES: list[tuple[str, Any, Any, bool]] = [
    # (indicator, realisasi, keterangan, expect issue); U1 target 10 positif
    ("U1", 9, None, True),  # 90 %
    ("U1", 9, "kendala cuaca", False),
    ("U1", 10, None, False),  # 100 %
    ("U1", 12, None, False),  # 120 %: on the threshold
    ("U1", "12,1", None, True),  # 121 %
    ("U1", None, None, False),  # missing realisasi: skipped
    ("U1", "abc", None, False),  # not a number: capaian cannot be computed
    ("U3", 7, None, True),  # negatif target 5: (10 - 7) / 5 = 60 %
    ("U3", 5, None, False),
    ("U4", 85, None, False),  # rentang 80-90: inside = 100 %
    ("U4", 70, None, True),  # below the band
    ("U4", 95, None, True),  # above the band: (180 - 95) / 90 = 94.4 %
    ("U5", 3, None, False),  # T = 0: capaian "tidak dapat dihitung", never a crash
]


@pytest.mark.parametrize(("code", "real", "ket", "expected"), EXPLANATION_CASES)
def test_explanation_rule(code: str, real: Any, ket: Any, expected: bool) -> None:
    rules = [{"id": "ket", "kind": "explanation", "below": 100, "above": 120,
              "severity": "warning"}]
    issues = run(rules, {code: {"realisasi": real, "keterangan": ket}})
    assert bool(issues) is expected
    if expected:
        assert issues[0].column == "Keterangan" and "%" in issues[0].message


def test_explanation_missing_issue() -> None:
    rules = [{"id": "ket", "kind": "explanation", "missing": "issue",
              "scope": {"indicators": ["U1"]}}]
    (issue,) = run(rules, {})
    assert "kosong" in issue.message and issue.column == "Realisasi"


# --------------------------------------------------------------------------- evidence

EVIDENCE_CASES: list[tuple[Any, bool]] = [
    ("https://drive.google.com/file/d/abc/view", False),
    ("http://intranet.jambiprov.go.id/bukti.pdf", False),
    ("https://a.id/x https://b.id/y", False),
    ("https://a.id/x,\nhttps://b.id/y", False),
    ("https://a.id/x; https://b.id/y", False),
    ("drive.google.com/file/d/abc", True),
    ("ftp://files.jambiprov.go.id/x", True),
    ("https://", True),
    ("https://localhost:99999/x", True),
    ("terlampir", True),
    ("javascript:alert(1)", True),
    ("https://a.id/x dan lainnya", True),
    (12345, True),
    (None, False),  # not required: a blank is fine
]


@pytest.mark.parametrize(("value", "expected"), EVIDENCE_CASES)
def test_evidence_rule(value: Any, expected: bool) -> None:
    rules = [{"id": "bukti", "kind": "evidence", "severity": "warning"}]
    issues = run(rules, {"U1": {"bukti": value}})
    assert bool(issues) is expected
    if expected:
        assert issues[0].column == "Bukti Dukung" and "https://" in issues[0].suggestion


def test_evidence_required() -> None:
    rules = [{"id": "bukti", "kind": "evidence", "required": True,
              "scope": {"indicators": ["U1", "U2"]}}]
    issues = run(rules, {"U1": {"bukti": "https://drive.google.com/x"}})
    assert [(i.indicator, "belum diisi" in i.message) for i in issues] == [("U2", True)]


def test_a_value_in_error_is_not_judged_further() -> None:
    """U3 (lower is better, target 5) typed as -1: the section is told the value is wrong,
    and not also asked to explain the over-achievement that value would give (a typo is
    corrected, not explained). Once corrected, the capaian is judged again."""
    rules = [{"id": "nonnegatif", "kind": "bounds", "column": "realisasi", "min": 0},
             {"id": "jelaskan", "kind": "explanation", "below": 100, "above": 120},
             {"id": "wajar", "kind": "plausibility", "max_capaian": 150}]
    issues = run(rules, {"U3": {"realisasi": -1}})
    assert [(i.rule, i.severity) for i in issues if i.indicator == "U3"] == [
        ("nonnegatif", Severity.error)]
    corrected = run(rules, {"U3": {"realisasi": 1}})  # 500 %: now judged, and asked about
    assert {i.rule for i in corrected if i.indicator == "U3"} >= {"jelaskan", "wajar"}
    # an error on another column (the budget) leaves the capaian's findings as they are
    budget = [{"id": "anggaran", "kind": "bounds", "column": "budget_real", "min": 0},
              {"id": "jelaskan", "kind": "explanation", "below": 100, "above": 120}]
    found = run(budget, {"K1": {"realisasi": 50, "budget_real": -5}}, section="keuangan")
    assert {i.rule for i in found} == {"anggaran", "jelaskan"}
