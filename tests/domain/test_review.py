"""PEP's review loop: service records, confirm / approve / reopen (in memory and on real .xlsx
files through the CLI), and the audit rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from sheets_sync.domain.meta import Meta, parse_meta
from sheets_sync.domain.models import Labels
from sheets_sync.domain.patch import Protection
from sheets_sync.domain.review import (
    AUDIT_HEADERS,
    ReviewError,
    audit_rows,
    find_issue,
    input_protection,
    last_review_key,
    records_patch,
    review_audit_rows,
    review_events,
    review_history,
)
from sheets_sync.domain.rules import evaluate
from sheets_sync.domain.worksheet import locate
from sheets_sync.flows.review import approve, confirm, confirmations, reopen
from tests.domain.test_rules_support import (
    NOW,
    MemStore,
    distributed,
    fill,
    make_config,
    parse,
    set_status,
    store_with,
)

GOOD = {"U1": {"realisasi": 10}, "U2": {"realisasi": "95,5"}, "U3": {"realisasi": 5},
        "U4": {"realisasi": 85}, "U5": {"realisasi": 2}}


# --------------------------------------------------------------------------- records


def _records(patch_values: dict[tuple[int, int], Any]) -> list[list[Any]]:
    rows = max(r for r, _ in patch_values)
    return [[None] * 9 + [patch_values.get((r, 10)), patch_values.get((r, 11))]
            for r in range(1, rows + 1)]


def test_records_keep_their_rows_append_and_delete() -> None:
    config = make_config()
    meta = Meta(extra={"a": {"x": 1}, "b": [1, 2], "c": "teks"})
    patch = records_patch(config, meta, {"b": {"baru": True}, "d": 4, "a": None})
    assert patch.title == "_meta"
    assert patch.values == {
        (1, 10): "b", (1, 11): '{"baru":true}',
        (2, 10): "c", (2, 11): '"teks"',
        (3, 10): "d", (3, 11): "4",
    }
    again = parse_meta(_records(patch.values))
    assert again.extra == {"b": {"baru": True}, "c": "teks", "d": 4}
    shrink = records_patch(config, again, {"b": None, "c": None})
    assert shrink.values[(2, 10)] is None and shrink.values[(3, 11)] is None


def test_records_round_trip_unicode_and_formula_like_text() -> None:
    config = make_config()
    value = {"note": "=1+1 ✓ sudah dicek 🙂", "n": 1.5}
    patch = records_patch(config, Meta(), {"confirm:x:U1": value})
    assert parse_meta(_records(patch.values)).extra == {"confirm:x:U1": value}


# --------------------------------------------------------------------------- find_issue


def test_find_issue_by_key_case_or_cell() -> None:
    config = make_config()
    wb = distributed(config, "umum")
    fill(config, wb, "U1", realisasi=8, bukti="folder")
    issues = evaluate(config, parse(config, "umum", wb))
    assert find_issue(issues, "keterangan-capaian:U1").cell == "I10"
    assert find_issue(issues, "KETERANGAN-CAPAIAN:u1").cell == "I10"
    assert find_issue(issues, "j10").rule == "bukti-dukung"
    with pytest.raises(ReviewError, match=r"tidak ada pada lembar ini.*keterangan-capaian:U1"):
        find_issue(issues, "kumulatif:U9")
    # a warning already confirmed is not offered again as one to confirm
    done = [i.model_copy(update={"confirmed": True}) if i.key == "keterangan-capaian:U1" else i
            for i in issues]
    with pytest.raises(ReviewError) as refused:
        find_issue(done, "kumulatif:U9")
    assert "keterangan-capaian:U1" not in str(refused.value)


# --------------------------------------------------------------------------- flows, in memory


def _ready(fills: dict[str, dict[str, Any]], status: str = "Selesai") -> tuple[Any, MemStore]:
    config = make_config()
    store = store_with(config, "umum", "keuangan")
    for code, cells in fills.items():
        fill(config, store.books["id-umum"], code, **cells)
    set_status(config, store.books["id-umum"], status)
    return config, store


def _status(config: Any, store: MemStore) -> Any:
    return parse(config, "umum", store.books["id-umum"]).status


def test_confirm_records_and_shows_confirmed() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    result = confirm(config, store, "umum", "keterangan-capaian:U1", "Sudah dicek via telepon",
                     "ani", NOW)
    assert result.changed and result.status == "Valid" and result.open_issues == []
    assert store.calls == ["find", "read", "apply"]  # 1 listing, 1 read, 1 write
    sheet = parse(config, "umum", store.books["id-umum"])
    record = confirmations(sheet)["keterangan-capaian:U1"]
    assert record["who"] == "ani" and record["when"] == "2026-10-05T09:30:00"
    assert record["note"] == "Sudah dicek via telepon"
    (issue,) = evaluate(config, sheet)  # honoured on any computer: it lives in the sheet
    assert issue.confirmed and "ani" in issue.confirmation
    assert sheet.status == "Valid"
    validasi = store.books["id-umum"].sheets["Validasi"].grid()
    assert validasi[1][7].startswith("Dikonfirmasi PEP (ani, 2026-10-05 09:30)")
    assert [e["action"] for e in review_history(sheet.meta)] == ["confirm"]


def test_confirm_again_is_a_no_op_and_by_cell() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    confirm(config, store, "umum", "I10", "ok", "ani", NOW)
    result = confirm(config, store, "umum", "keterangan-capaian:U1", "ok", "budi", NOW)
    assert not result.changed and "sudah dikonfirmasi" in result.message
    assert store.calls.count("apply") == 1


def test_confirmation_lapses_when_the_section_changes_the_value() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    confirm(config, store, "umum", "keterangan-capaian:U1", "ok", "ani", NOW)
    fill(config, store.books["id-umum"], "U1", realisasi=7)
    (issue,) = evaluate(config, parse(config, "umum", store.books["id-umum"]))
    assert not issue.confirmed


@pytest.mark.parametrize(("key", "note", "message"), [
    ("angka-realisasi:U2", "ok", "tidak dapat dikonfirmasi"),
    ("keterangan-capaian:U1", "  ", "--note"),
    ("apa:U1", "ok", "tidak ada pada lembar ini"),
])
def test_confirm_refusals(key: str, note: str, message: str) -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}, "U2": {"realisasi": "x"}})
    with pytest.raises(ReviewError, match=message):
        confirm(config, store, "umum", key, note, "ani", NOW)
    assert "apply" not in store.calls


def test_unknown_or_undistributed_section() -> None:
    config = make_config()
    store = MemStore()
    with pytest.raises(ReviewError, match="tidak ada di konfigurasi"):
        approve(config, store, "humas", "ani", NOW)
    with pytest.raises(ReviewError, match="sync distribute"):
        approve(config, store, "umum", "ani", NOW)


def test_approve_only_when_nothing_is_open() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    with pytest.raises(ReviewError) as exc:
        approve(config, store, "umum", "ani", NOW)
    assert [i.key for i in exc.value.open_issues] == ["keterangan-capaian:U1"]
    assert "sync confirm" in exc.value.message
    confirm(config, store, "umum", "keterangan-capaian:U1", "ok", "ani", NOW)
    result = approve(config, store, "umum", "budi", NOW, note="lengkap")
    assert result.changed and _status(config, store) == "Disetujui"
    protection = store.books["id-umum"].sheets["Kertas Kerja"].protection
    assert protection == Protection(editable=(), editors=("pep@jambiprov.go.id",),
                                    description=protection.description if protection else "")
    again = approve(config, store, "umum", "budi", NOW)
    assert not again.changed


def test_approve_refuses_a_sheet_still_being_filled() -> None:
    config, store = _ready(GOOD, status="Sedang Diisi")
    with pytest.raises(ReviewError, match="Sedang Diisi"):
        approve(config, store, "umum", "ani", NOW)


def test_reopen_restores_the_distributed_input_ranges() -> None:
    config, store = _ready(GOOD)
    wb = store.books["id-umum"]
    distributed_protection = wb.sheets["Kertas Kerja"].protection
    approve(config, store, "umum", "ani", NOW)
    with pytest.raises(ReviewError, match="--reason"):
        reopen(config, store, "umum", "", "ani", NOW)
    result = reopen(config, store, "umum", "Revisi realisasi TW III", "ani", NOW)
    assert result.changed and _status(config, store) == "Sedang Diisi"
    assert wb.sheets["Kertas Kerja"].protection == distributed_protection
    sheet = parse(config, "umum", wb)
    assert input_protection(config, sheet, NOW) == distributed_protection
    events = review_history(sheet.meta)
    assert [(e["action"], e["status_before"], e["status_after"]) for e in events] == [
        ("approve", "Selesai", "Disetujui"), ("reopen", "Disetujui", "Sedang Diisi")]
    assert not reopen(config, store, "umum", "lagi", "ani", NOW).changed


def test_review_never_writes_a_typed_cell() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    wb = store.books["id-umum"]
    confirm(config, store, "umum", "keterangan-capaian:U1", "ok", "ani", NOW)
    approve(config, store, "umum", "ani", NOW)
    reopen(config, store, "umum", "revisi", "ani", NOW)
    layout = locate(wb.sheets["Kertas Kerja"].grid(), config.labels)
    inputs = {layout.columns[k] for k in ("realisasi", "keterangan", "bukti", "budget_real")
              if k in layout.columns}
    for patch in wb.writes:
        for sp in patch.sheets:
            if sp.title == "Kertas Kerja":
                assert list(sp.values) == [layout.header_cells["status"]]
                assert not any(c in inputs for _r, c in sp.values)


# --------------------------------------------------------------------------- audit

WHEN = datetime(2026, 10, 7, 10, 0)


def test_audit_rows_only_for_changes() -> None:
    previous = {("umum", "U1", "realisasi"): 5, ("umum", "U2", "realisasi"): "95,5",
                ("umum", "U3", "keterangan"): "lama", ("umum", "U4", "realisasi"): None,
                ("umum", "U5", "realisasi"): 3}
    current = {("umum", "U1", "realisasi"): 5.0, ("umum", "U2", "realisasi"): 95.5,
               ("umum", "U3", "keterangan"): "baru", ("umum", "U4", "realisasi"): "",
               ("keuangan", "K1", "budget_real"): "=1+1"}
    rows = audit_rows(previous, current, WHEN, {"umum": "budi@x.id", "keuangan": None},
                      cells={("umum", "U3", "keterangan"): "I12"})
    assert rows == [
        ["2026-10-07 10:00:00", "keuangan", "K1", "", "Realisasi Anggaran (Rp)", None, "=1+1",
         ""],
        ["2026-10-07 10:00:00", "umum", "U3", "I12", "Keterangan", "lama", "baru", "budi@x.id"],
        ["2026-10-07 10:00:00", "umum", "U5", "", "Realisasi", 3, None, "budi@x.id"],
    ]
    assert all(len(r) == len(AUDIT_HEADERS) for r in rows)
    assert audit_rows(previous, previous, WHEN, "x") == []


def test_audit_rows_custom_labels_and_long_text() -> None:
    labels = Labels(col_realisasi="Capaian Riil")
    rows = audit_rows({}, {("a", "B", "realisasi"): "x" * 10_000, ("a", "C", "Lain"): 1},
                      WHEN, "pep", labels=labels)
    assert [r[4] for r in rows] == ["Capaian Riil", "Lain"]
    assert len(rows[0][6]) == 5000


def test_review_events_become_audit_rows() -> None:
    config, store = _ready({**GOOD, "U1": {"realisasi": 8}})
    confirm(config, store, "umum", "keterangan-capaian:U1", "dicek", "ani", NOW)
    approve(config, store, "umum", "budi", datetime(2026, 10, 6, 8, 0))
    sheet = parse(config, "umum", store.books["id-umum"])
    rows = review_audit_rows("umum", sheet.meta, status_cell="B7")
    assert rows == [
        ["2026-10-05 09:30:00", "umum", "U1", "I10", "Konfirmasi PEP", "keterangan-capaian:U1",
         "Dikonfirmasi: dicek", "ani"],
        ["2026-10-06 08:00:00", "umum", "", "B7", "Persetujuan PEP", "Valid", "Disetujui",
         "budi"],
    ]
    first = review_events(sheet.meta)[0][0]
    assert len(review_audit_rows("umum", sheet.meta, after=first)) == 1
    assert review_audit_rows("umum", sheet.meta, after=last_review_key(sheet.meta)) == []
