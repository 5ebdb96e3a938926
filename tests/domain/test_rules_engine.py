"""The rule engine beyond single values: expressions, the sheet's structure, scope, the
issues' fields and keys, default rules, confirmations, and mistakes in the rules' config."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.rules import default_rules, evaluate
from sheets_sync.domain.rules.engine import CONFIRM_PREFIX, confirmation_token, subject_values
from tests.domain.test_rules_support import (
    distributed,
    fill,
    make_config,
    parse,
    run,
    set_status,
)

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
    # the value's own error, not also the capaian -10 % would give (a typo to correct)
    assert {i.rule for i in issues} == {"nonnegatif-realisasi", "bukti-dukung"}
    issues = run(None, {"U1": {"realisasi": 5, "bukti": "folder saya"}}, status="Sedang Diisi")
    assert {i.rule for i in issues} == {"keterangan-capaian", "bukti-dukung"}
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
