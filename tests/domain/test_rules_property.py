"""Property: no cell content crashes validation or feedback, changes a section's data, or
makes feedback write into a cell a section types."""

from __future__ import annotations

import math
import pickle
from datetime import datetime, time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.domain.feedback import feedback_changed, feedback_patch
from sheets_sync.domain.models import Config
from sheets_sync.domain.rules import History, evaluate
from sheets_sync.domain.statuses import recognise_status
from sheets_sync.domain.worksheet import INPUT_COLUMNS, locate
from tests.domain.test_rules_support import MemWorkbook, distributed, make_config, parse

# Every rule kind, with history, so every check sees the random content.
ALL_KINDS: list[dict[str, Any]] = [
    {"id": "struktur", "kind": "structure"},
    {"id": "wajib", "kind": "required", "only_when_done": True},
    {"id": "wajib-ket", "kind": "required", "column": "keterangan", "severity": "info"},
    {"id": "angka", "kind": "number", "missing": "issue"},
    {"id": "angka-ang", "kind": "number", "column": "budget_real"},
    {"id": "batas", "kind": "bounds", "min": 0, "max": 100, "missing": "issue"},
    {"id": "batas-target", "kind": "bounds", "column": "target", "min": 0},
    {"id": "ket", "kind": "explanation", "severity": "warning", "missing": "issue"},
    {"id": "bukti", "kind": "evidence", "required": True, "severity": "warning"},
    {"id": "kum", "kind": "cumulative", "percent_units": True, "missing": "issue"},
    {"id": "pencilan", "kind": "outlier", "missing": "issue"},
    {"id": "pita", "kind": "outlier", "method": "band"},
    {"id": "silang", "kind": "expression", "missing": "issue",
     "expr": "realisasi_anggaran <= pagu and capaian_anggaran >= 0 or realisasi / target > 1"},
    {"id": "lalu", "kind": "expression", "expr": "realisasi >= realisasi_lalu - 1"},
]
HISTORY = History()
for _period, _factor in (("2025-TW4", 1.0), ("2026-TW1", 1.1), ("2026-TW2", 1.2)):
    for _code in ("U1", "U2", "U3", "U4", "U5", "K1"):
        HISTORY.add(_period, _code, 10 * _factor)
        HISTORY.add(_period, _code, 100_000 * _factor, "budget_real")

CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(), max_size=60),  # any unicode, surrogates included
    st.text("0123456789.,-+%Rp ", max_size=20),  # number-like text
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+cmd|' /C calc'!A0",
                     "{nilai}", "{0}", "{kode.__class__}", "%s", "\x00", "\u202e", "NaN",
                     "Infinity", "1e309", "-0", "Selesai", "https://", "http://a.b/c d"]),
    st.just("x" * 50_000),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.times().map(lambda t: time(t.hour, t.minute)),
)
STATUS = st.sampled_from(["Belum Diisi", "Sedang Diisi", "Selesai", "Perlu Konfirmasi",
                          "Valid", "Disetujui", "", "selesai"]) | CELL
# Columns a section (or a tamperer) may type into, by key.
COLUMNS = ("realisasi", "keterangan", "bukti", "budget_real", "target", "code", "unit",
           "indicator", "capaian", "budget")

CONFIG: Config = make_config(rules=ALL_KINDS)
DEFAULT_CONFIG: Config = make_config()
BASE: dict[str, MemWorkbook] = {s: distributed(CONFIG, s) for s in ("umum", "keuangan")}


def _copy(wb: MemWorkbook) -> MemWorkbook:
    return pickle.loads(pickle.dumps(wb))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=st.sampled_from(["umum", "keuangan"]),
       typed=st.lists(st.tuples(st.integers(0, 6), st.sampled_from(COLUMNS), CELL), max_size=14),
       status=STATUS, extra=st.dictionaries(st.text(max_size=30), CELL, max_size=3),
       use_defaults=st.booleans())
def test_no_content_breaks_validation(section: str, typed: list[tuple[int, str, Any]],
                                      status: Any, extra: dict[str, Any],
                                      use_defaults: bool) -> None:
    config = DEFAULT_CONFIG if use_defaults else CONFIG
    wb = _copy(BASE[section])
    ws = wb.sheets[config.labels.sheet_worksheet]
    layout = locate(ws.grid(), config.labels)
    for offset, key, value in typed:
        ws.values[(layout.first_row + offset, layout.columns[key])] = value
    ws.values[layout.header_cells["status"]] = status
    sheet = parse(config, section, wb)
    sheet.meta.extra.update(extra)  # junk service records too
    sheet.meta.extra["confirm:ket:U1"] = {"who": 1, "when": None, "token": 5}
    sheet.meta.extra["feedback"] = {"outside": [[1, 2], "x", [0, 0], [10**9, 1]]}
    before = pickle.dumps(sheet)

    issues = evaluate(config, sheet, HISTORY)
    patch = feedback_patch(config, sheet, issues)
    feedback_changed(config, sheet, issues, [["x"], [None, 1.0, math.nan]])

    assert pickle.dumps(sheet) == before, "validation changed the section's data"
    assert all(i.section == section for i in issues)
    assert len({i.key for i in issues}) == len(issues)
    assert not any(i.message.startswith("Aturan") and "tidak dapat diperiksa" in i.message
                   for i in issues), [i.message for i in issues]
    assert all(len(i.message) < 3000 for i in issues)

    rows = [r.row for r in sheet.rows] + [s.row for s in sheet.meta.snapshot]
    last = max([layout.first_row, *rows])
    input_cols = {layout.columns[k] for k in INPUT_COLUMNS if k in layout.columns}
    for sp in patch.sheets:
        if sp.title != config.labels.sheet_worksheet:
            continue
        for (r, c) in sp.values:
            assert not (layout.first_row <= r <= last and c in input_cols), (r, c)
            assert (r, c) == layout.header_cells["status"]
        if sp.values:
            # only from "Selesai" on; a service state the section picked itself (not on
            # record) reads as "Selesai"
            assert sheet.status in ("Selesai", "Perlu Konfirmasi", "Valid")
            # a status typed by hand is recognised whatever its case and spaces (issue 7)
            typed = recognise_status(str(status or "").strip(), config.labels)
            assert typed in ("Selesai", "Perlu Konfirmasi", "Valid", "Disetujui")
