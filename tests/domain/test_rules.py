"""The rule engine, table-driven per rule kind, on workbooks built by the real worksheet code."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.rules import History, default_rules, evaluate
from sheets_sync.domain.rules.engine import CONFIRM_PREFIX, confirmation_token, subject_values
from tests.domain.test_rules_support import distributed, fill, make_config, parse, set_status

UNSET = object()


def run(rules: list[dict[str, Any]] | None, fills: dict[str, dict[str, Any]],
        status: str = "Selesai", history: Any = None, section: str = "umum",
        config: Config | None = None, **overrides: Any) -> list[Issue]:
    config = config or make_config(rules=rules, **overrides)
    wb = distributed(config, section)
    for code, cells in fills.items():
        fill(config, wb, code, **cells)
    set_status(config, wb, status)
    return evaluate(config, parse(config, section, wb), history)


def only(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]


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


# --------------------------------------------------------------------------- expression

EXPR_CASES: list[tuple[str, dict[str, Any], str, bool]] = [
    # (expr, cells of K1 (pagu 1.000.000, target 95 %), missing strategy, expect issue)
    ("realisasi_anggaran <= pagu", {"budget_real": 900_000}, "skip", False),
    ("realisasi_anggaran <= pagu", {"budget_real": "1.000.000"}, "skip", False),
    ("realisasi_anggaran <= pagu", {"budget_real": "Rp 1.200.000"}, "skip", True),
    ("realisasi_anggaran <= pagu", {}, "skip", False),
    ("realisasi_anggaran <= pagu", {}, "issue", True),
    ("realisasi_anggaran <= pagu", {"budget_real": "banyak"}, "issue", False),  # number rule
    ("capaian_anggaran >= 50 or realisasi < 50",
     {"budget_real": 400_000, "realisasi": 90}, "skip", True),
    ("capaian_anggaran >= 50 or realisasi < 50",
     {"budget_real": 400_000, "realisasi": 40}, "skip", False),
    ("capaian >= 50 and capaian <= 150", {"realisasi": "47,5"}, "skip", False),
    ("capaian >= 50 and capaian <= 150", {"realisasi": 20}, "skip", True),
    ("realisasi / target <= 2", {"realisasi": 300}, "skip", True),
]


@pytest.mark.parametrize(("text", "cells", "missing", "expected"), EXPR_CASES)
def test_expression_rule(text: str, cells: dict[str, Any], missing: str,
                         expected: bool) -> None:
    rules = [{"id": "silang", "kind": "expression", "expr": text, "missing": missing}]
    issues = run(rules, {"K1": cells}, section="keuangan")
    assert bool(issues) is expected
    if expected:
        assert issues[0].rule == "silang" and issues[0].indicator == "K1"


def test_expression_division_by_zero_is_skipped() -> None:
    rules = [{"id": "rasio", "kind": "expression", "expr": "realisasi / target >= 1",
              "missing": "issue", "scope": {"indicators": ["U5"]}}]
    assert run(rules, {"U5": {"realisasi": 3}}) == []  # target 0


def test_expression_previous_period_and_cell() -> None:
    rules = [{"id": "naik", "kind": "expression", "expr": "realisasi >= realisasi_lalu",
              "scope": {"indicators": ["U1"]}, "column": "keterangan",
              "message": "Turun dari {detail}"}]
    (issue,) = run(rules, {"U1": {"realisasi": 3}}, history={"2026-TW2": {"U1": 4}})
    assert issue.column == "Keterangan" and issue.message.startswith("Turun dari realisasi = 3")


# --------------------------------------------------------------------------- structure


def _structure(change: Any) -> list[Issue]:
    config = make_config(rules=[{"id": "struktur", "kind": "structure"}])
    wb = distributed(config, "umum")
    change(config, wb)
    return evaluate(config, parse(config, "umum", wb))


def _at(config: Config, wb: Any, row: int, col: int, value: Any) -> None:
    wb.sheets[config.labels.sheet_worksheet].values[(row, col)] = value


STRUCTURE_CASES: list[tuple[str, Any, list[str]]] = [
    ("untouched", lambda c, wb: None, []),
    ("target", lambda c, wb: fill(c, wb, "U1", target=5), ["target diubah dari 10"]),
    ("target-text", lambda c, wb: fill(c, wb, "U1", target="10"), []),
    ("range", lambda c, wb: fill(c, wb, "U4", target="70 - 90"), ["target diubah dari 80 - 90"]),
    ("unit", lambda c, wb: fill(c, wb, "U1", unit="lembar"), ["satuan diubah"]),
    ("code", lambda c, wb: fill(c, wb, "U2", code="U2X"),
     ["tidak ada pada data awal", "U2 hilang"]),
    ("deleted", lambda c, wb: fill(c, wb, "U3", code=None), ["U3 hilang"]),
    ("duplicate", lambda c, wb: fill(c, wb, "U3", code="U2"),
     ["lebih dari sekali", "U3 hilang"]),
    ("extra-row", lambda c, wb: _at(c, wb, 15, 2, "U9"), ["tidak ada pada data awal"]),
    ("header", lambda c, wb: _at(c, wb, 9, 7, "Real"), ["Bentuk lembar berubah"]),
    ("meta", lambda c, wb: wb.sheets.pop(c.labels.sheet_meta), ["Data sistem"]),
]


@pytest.mark.parametrize(("name", "change", "expected"), STRUCTURE_CASES,
                         ids=[c[0] for c in STRUCTURE_CASES])
def test_structure_rule(name: str, change: Any, expected: list[str]) -> None:
    issues = _structure(change)
    messages = " | ".join(i.message for i in issues)
    assert len(issues) == len(expected), messages
    for text in expected:
        assert text in messages
    assert len({i.key for i in issues}) == len(issues)


# --------------------------------------------------------------------------- scope, fields


@pytest.mark.parametrize(("scope", "codes"), [
    ("all", ["U1", "U2", "U3", "U4", "U5"]),
    ({"indicators": ["U2", "U4"]}, ["U2", "U4"]),
    ({"units": [" % "]}, ["U2"]),
    ({"units": ["HARI", "indeks"]}, ["U3", "U4"]),
    ({"sections": ["keuangan"]}, []),
    ({"sections": ["umum"], "units": ["dokumen"]}, ["U1"]),
])
def test_scope(scope: Any, codes: list[str]) -> None:
    rules = [{"id": "w", "kind": "required", "scope": scope}]
    assert [i.indicator for i in run(rules, {})] == codes


def test_issue_fields_and_keys() -> None:
    config = make_config()
    wb = distributed(config, "umum")
    fill(config, wb, "U2", realisasi="87.5")
    set_status(config, wb, "Selesai")
    sheet = parse(config, "umum", wb)
    issues = evaluate(config, sheet)
    issue = next(i for i in issues if i.rule == "angka-realisasi")
    assert issue.model_dump(exclude={"message", "suggestion"}) == {
        "section": "umum", "rule": "angka-realisasi", "severity": Severity.error,
        "indicator": "U2", "cell": "G11", "row": 11, "column": "Realisasi",
        "sheet": "Kertas Kerja", "spreadsheet": "Kertas Kerja umum", "confirmed": False,
        "confirmation": ""}
    assert issue.key == "angka-realisasi:U2"
    assert issue.suggestion
    assert len({i.key for i in issues}) == len(issues)
    assert [i.row for i in issues] == sorted(i.row or 0 for i in issues)


def test_custom_message_template() -> None:
    rules = [{"id": "persen", "kind": "bounds", "max": 100,
              "message": "{kode} ({indikator}): {nilai} {satuan} melewati {batas} [{bagian}]",
              "suggestion": "Periksa {kolom}"}]
    (issue,) = run(rules, {"U2": {"realisasi": 101}})
    assert issue.message == ("U2 (Persentase layanan tepat waktu): 101 % melewati paling banyak "
                             "100 [umum]")
    assert issue.suggestion == "Periksa Realisasi"


def test_disabled_rule_and_user_text_is_clipped() -> None:
    rules = [{"id": "a", "kind": "number"}, {"id": "b", "kind": "required", "enabled": False}]
    (issue,) = run(rules, {"U1": {"realisasi": "x" * 50_000}})
    assert len(issue.message) < 200


# --------------------------------------------------------------------------- defaults


def test_default_rules_are_used_without_config_rules() -> None:
    config = make_config()
    ids = [r.id for r in default_rules(config)]
    assert ids[:4] == ["struktur", "wajib-realisasi", "angka-realisasi", "angka-anggaran"]
    assert "anggaran-pagu" in ids  # the config has a budget
    assert "anggaran-pagu" not in [r.id for r in default_rules(make_config(indicators=[]))]
    issues = run(None, {"U1": {"realisasi": -1, "bukti": "folder saya"}}, status="Sedang Diisi")
    assert {i.rule for i in issues} == {"nonnegatif-realisasi", "keterangan-capaian",
                                        "bukti-dukung"}
    issues = run(None, {"K1": {"realisasi": 95, "budget_real": 2_000_000}},
                 section="keuangan")
    assert [i.rule for i in issues] == ["anggaran-pagu"]


def test_clean_sheet_has_no_issues() -> None:
    fills = {"U1": {"realisasi": 10}, "U2": {"realisasi": "95,5"}, "U3": {"realisasi": 5},
             "U4": {"realisasi": 85}, "U5": {"realisasi": 2, "bukti": "https://a.id/b"}}
    assert run(None, fills) == []


# --------------------------------------------------------------------------- confirmations


def test_confirmation_is_honoured_and_lapses_when_the_value_changes() -> None:
    config = make_config()
    wb = distributed(config, "umum")
    fill(config, wb, "U1", realisasi=9)
    sheet = parse(config, "umum", wb)
    issues, values = subject_values(config, sheet)
    (issue,) = issues
    record = {"who": "ani", "when": "2026-10-05T09:30:00", "note": "benar",
              "token": confirmation_token(issue, values[issue.key])}
    sheet.meta.extra[CONFIRM_PREFIX + issue.key] = record
    (confirmed,) = evaluate(config, sheet)
    assert confirmed.confirmed and "ani" in confirmed.confirmation
    fill(config, wb, "U1", realisasi=8)
    changed = parse(config, "umum", wb)
    changed.meta.extra[CONFIRM_PREFIX + issue.key] = record
    (again,) = evaluate(config, changed)
    assert not again.confirmed


def test_errors_are_never_confirmed() -> None:
    config = make_config()
    wb = distributed(config, "umum")
    fill(config, wb, "U1", realisasi="abc")
    sheet = parse(config, "umum", wb)
    sheet.meta.extra["confirm:angka-realisasi:U1"] = {"who": "x", "when": "", "note": ""}
    assert not evaluate(config, sheet)[0].confirmed


# --------------------------------------------------------------------------- config errors

BAD_RULES: list[tuple[dict[str, Any], str]] = [
    ({"id": "a", "kind": "bounds"}, "aturan 'a': butuh 'min', 'max'"),
    ({"id": "a", "kind": "bounds", "min": 5, "max": 1}, "lebih besar dari 'max'"),
    ({"id": "a", "kind": "nope"}, "kind 'nope' tidak dikenal"),
    ({"id": "a"}, "'kind' wajib diisi"),
    ({"kind": "required"}, "aturan ke-1 (tanpa id): 'id' wajib diisi"),
    ({"id": "a", "kind": "required", "column": "target"}, "column: 'target' tidak dikenal"),
    ({"id": "a", "kind": "required", "colum": "realisasi"}, "isian 'colum' tidak dikenal"),
    ({"id": "a", "kind": "expression", "expr": "__import__('os')"}, "aturan 'a': expr"),
    ({"id": "a", "kind": "expression", "expr": "realisasi +"}, "nilai diharapkan"),
    ({"id": "a", "kind": "expression"}, "'expr' wajib diisi"),
    ({"id": "a", "kind": "required", "message": "{nilai.__class__}"}, "message: isian"),
    ({"id": "a", "kind": "required", "message": "{0}"}, "dalam pesan tidak dikenal"),
    ({"id": "a", "kind": "required", "message": "{nilai!r}"}, "dalam pesan tidak dikenal"),
    ({"id": "a", "kind": "required", "message": "kurung { tak tertutup"}, "pesan tidak sah"),
    ({"id": "a", "kind": "required", "severity": "fatal"}, "severity: 'fatal'"),
    ({"id": "a", "kind": "required", "scope": "beberapa"}, "scope: tulis 'all'"),
    ({"id": "a", "kind": "required", "missing": "ignore"}, "missing: 'ignore'"),
    ({"id": "a b", "kind": "required"}, "tidak boleh memuat spasi"),
    ({"id": "a", "kind": "outlier", "min_points": 2}, "min_points: '2' paling sedikit 3"),
    ({"id": "a", "kind": "explanation", "below": None, "above": None}, "butuh 'below'"),
]


@pytest.mark.parametrize(("rule", "expected"), BAD_RULES)
def test_bad_rule_config_names_rule_and_field(rule: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValidationError) as exc:
        make_config(rules=[rule])
    assert expected in str(exc.value)


def test_duplicate_rule_ids() -> None:
    with pytest.raises(ValidationError, match="id aturan ganda: a"):
        make_config(rules=[{"id": "a", "kind": "required"}, {"id": "a", "kind": "number"}])


def test_rules_round_trip_and_scope_all() -> None:
    config = make_config(rules=[{"id": "a", "kind": "required", "scope": "semua"}])
    again = Config.model_validate(config.model_dump())
    assert again.rules == config.rules
    assert config.rules is not None and config.rules[0].scope.matches("x", "y", "z")


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
