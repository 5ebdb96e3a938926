"""Feedback in the section's own workbook: Validasi sheet, highlights, notes, status."""

from __future__ import annotations

from typing import Any

import pytest

from sheets_sync.domain.feedback import (
    NO_ISSUES,
    feedback_changed,
    feedback_patch,
    fingerprint,
    target_status,
)
from sheets_sync.domain.models import Config
from sheets_sync.domain.rules import evaluate
from sheets_sync.domain.worksheet import INPUT_FILL, ISSUE_FILLS, VALIDATION_HEADERS, locate
from tests.domain.test_rules_support import MemWorkbook, distributed, fill, make_config, parse, set_status

GOOD = {"U1": {"realisasi": 10}, "U2": {"realisasi": "95,5"}, "U3": {"realisasi": 5},
        "U4": {"realisasi": 85}, "U5": {"realisasi": 2}}


def setup(fills: dict[str, dict[str, Any]], status: str = "Selesai"
          ) -> tuple[Config, MemWorkbook]:
    config = make_config()
    wb = distributed(config, "umum")
    for code, cells in fills.items():
        fill(config, wb, code, **cells)
    set_status(config, wb, status)
    return config, wb


def validate(config: Config, wb: MemWorkbook) -> list[Any]:
    """What the validate flow does for one section; returns the issues."""
    sheet = parse(config, "umum", wb)
    issues = evaluate(config, sheet)
    if feedback_changed(config, sheet, issues, wb.sheets[config.labels.sheet_validation].grid()):
        wb.apply(feedback_patch(config, sheet, issues))
    return issues


def cell(config: Config, wb: MemWorkbook, code: str, key: str) -> tuple[int, int]:
    ws = wb.sheets[config.labels.sheet_worksheet]
    layout = locate(ws.grid(), config.labels)
    row = next(r for r in range(layout.first_row, 100)
               if ws.values.get((r, layout.columns["code"])) == code)
    return row, layout.columns[key]


def status_of(config: Config, wb: MemWorkbook) -> Any:
    ws = wb.sheets[config.labels.sheet_worksheet]
    return ws.values[locate(ws.grid(), config.labels).header_cells["status"]]


def test_validasi_sheet_lists_issues_in_indonesian() -> None:
    config, wb = setup({**GOOD, "U2": {"realisasi": "87.5"}, "U1": {"realisasi": 8}})
    validate(config, wb)
    grid = wb.sheets["Validasi"].grid()
    assert grid[0] == list(VALIDATION_HEADERS)
    assert [r[:5] for r in grid[1:]] == [
        [1, "Kesalahan", "G11", "U2", "Realisasi"],
        [2, "Peringatan", "I10", "U1", "Keterangan"],
    ]
    assert grid[1][7] == "Perlu diperbaiki" and grid[2][7] == "Perlu konfirmasi"
    assert "bisa dibaca lebih dari satu cara" in grid[1][5] and grid[1][6]


def test_clean_sheet_becomes_valid_with_a_plain_line() -> None:
    config, wb = setup(GOOD)
    validate(config, wb)
    assert wb.sheets["Validasi"].grid()[1][5] == NO_ISSUES
    assert status_of(config, wb) == "Valid"


def test_highlights_and_notes_then_removed_when_fixed() -> None:
    config, wb = setup({**GOOD, "U2": {"realisasi": "abc"}, "U1": {"realisasi": 8}})
    validate(config, wb)
    ws = wb.sheets[config.labels.sheet_worksheet]
    bad, ket = cell(config, wb, "U2", "realisasi"), cell(config, wb, "U1", "keterangan")
    assert ws.fills[bad] == ISSUE_FILLS["error"] and ws.fills[ket] == ISSUE_FILLS["warning"]
    assert "bukan angka" in ws.notes[bad] and "Saran:" in ws.notes[bad]
    assert status_of(config, wb) == "Perlu Konfirmasi"

    fill(config, wb, "U2", realisasi="95,5")
    fill(config, wb, "U1", keterangan="Satu dokumen ditunda ke TW IV")
    set_status(config, wb, "Selesai")
    validate(config, wb)
    assert ws.fills[bad] == INPUT_FILL and ws.fills[ket] == INPUT_FILL
    assert ws.notes == {}
    assert status_of(config, wb) == "Valid"
    assert wb.sheets["Validasi"].grid()[1][5] == NO_ISSUES


def test_highlight_outside_the_input_columns_is_removed_later() -> None:
    config, wb = setup(GOOD)
    fill(config, wb, "U1", target=3)  # tampered
    validate(config, wb)
    ws = wb.sheets[config.labels.sheet_worksheet]
    target = cell(config, wb, "U1", "target")
    assert ws.fills[target] == ISSUE_FILLS["error"] and target in ws.notes
    fill(config, wb, "U1", target=10)
    validate(config, wb)
    assert target not in ws.fills and target not in ws.notes


@pytest.mark.parametrize(("status", "expected"), [
    ("Belum Diisi", "Belum Diisi"),
    ("Sedang Diisi", "Sedang Diisi"),
    ("Selesai", "Perlu Konfirmasi"),
    ("Perlu Konfirmasi", "Perlu Konfirmasi"),
    ("Valid", "Perlu Konfirmasi"),
    # chosen by the section itself (no approval on record): read as "Selesai", checked
    ("Disetujui", "Perlu Konfirmasi"),
    ("apa saja", "apa saja"),
])
def test_status_only_changed_from_selesai_on(status: str, expected: str) -> None:
    config, wb = setup({**GOOD, "U1": {"realisasi": "x"}}, status=status)
    validate(config, wb)
    assert status_of(config, wb) == expected
    assert wb.sheets["Validasi"].grid()[1][3] == "U1"  # the issues are listed in any case


def test_info_alone_does_not_block() -> None:
    config = make_config(rules=[{"id": "catatan", "kind": "required", "column": "keterangan",
                                 "severity": "info"}])
    wb = distributed(config, "umum")
    set_status(config, wb, "Selesai")
    issues = validate(config, wb)
    assert issues and target_status(config, parse(config, "umum", wb), issues) == "Valid"


def test_nothing_written_when_nothing_changed() -> None:
    config, wb = setup({**GOOD, "U1": {"realisasi": 8}})
    validate(config, wb)
    writes = len(wb.writes)
    validate(config, wb)
    validate(config, wb)
    assert len(wb.writes) == writes


@pytest.mark.parametrize("change", ["value", "status", "erased"])
def test_written_again_when_something_changed(change: str) -> None:
    config, wb = setup({**GOOD, "U1": {"realisasi": 8}})
    validate(config, wb)
    writes = len(wb.writes)
    if change == "value":
        fill(config, wb, "U1", realisasi=7)
    elif change == "status":
        set_status(config, wb, "Selesai")  # the section marked it done again, unchanged
    else:
        wb.sheets["Validasi"].values.clear()
    validate(config, wb)
    assert len(wb.writes) == writes + 1
    assert status_of(config, wb) == "Perlu Konfirmasi"


def test_fingerprint_is_stored_on_the_meta_sheet() -> None:
    config, wb = setup(GOOD)
    sheet = parse(config, "umum", wb)
    issues = evaluate(config, sheet)
    wb.apply(feedback_patch(config, sheet, issues))
    again = parse(config, "umum", wb)
    assert again.meta.extra["feedback"]["fingerprint"] == fingerprint(config, sheet, issues)
    assert again.meta.values["section"] == "umum"  # the meta keys are untouched
    assert [s.code for s in again.meta.snapshot] == ["U1", "U2", "U3", "U4", "U5"]


def test_feedback_never_writes_a_typed_cell() -> None:
    config, wb = setup({"U1": {"realisasi": "=1+1", "keterangan": "=HYPERLINK(\"x\")",
                               "bukti": "bukan tautan"}, "U2": {"realisasi": -4}})
    sheet = parse(config, "umum", wb)
    patch = feedback_patch(config, sheet, evaluate(config, sheet))
    ws = next(s for s in patch.sheets if s.title == config.labels.sheet_worksheet)
    assert list(ws.values) == [sheet.layout.header_cells["status"]]
