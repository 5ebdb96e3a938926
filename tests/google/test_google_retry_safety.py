"""Requests that are unsafe to resend (Drive copy and create, a batch that appends rows) are
never resent blindly after an unknown outcome: a timeout, a connection lost mid-answer or a
5xx may come after Google did the work (docs/design.md §9: never a duplicate spreadsheet,
never an audit row twice). Nothing sleeps: the store's sleep is a recorder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from sheets_sync.adapters.google.finding import LOOKS
from sheets_sync.adapters.google.store import GoogleStore
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import BackendError, FileRef, Role, Tags
from tests.fakegoogle import FakeGoogle, drive, sheets
from tests.fakegoogle.crash import fail_matching
from tests.fakegoogle.errors import GoogleError, drive_error, fault_error
from tests.google.test_google_support import PEP, PERIOD, Sleeps, make_store

SECTION = Tags(Role.section, PERIOD, "umum")
RECAP = Tags(Role.recap, PERIOD)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=5)


@pytest.fixture
def folder(fake: FakeGoogle) -> str:
    return fake.create_folder("Data Kinerja 2026", owner=PEP)


def _template(store: GoogleStore) -> FileRef:
    return store.create("Templat", Tags(Role.template, PERIOD),
                        WorkbookPatch([SheetPatch("A", values={(1, 1): 1})]))


def _applied_then(monkeypatch: pytest.MonkeyPatch, module: Any, name: str,
                  error: Callable[[], GoogleError], times: int = 1) -> None:
    """Make the fake's handler `module.name` do its work, then answer `error` (Google's
    "applied, then 500"), the next `times` calls."""
    real = getattr(module, name)
    left = [times]

    def handler(*args: Any) -> Any:
        out = real(*args)
        if left[0] > 0:
            left[0] -= 1
            raise error()
        return out

    monkeypatch.setattr(module, name, handler)


def _live(fake: FakeGoogle, name: str) -> list[Any]:
    return [f for f in fake.files.values() if f.name == name and not f.trashed]


# ------------------------------------------------------------------ files.copy


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_copy_applied_then_answered_5xx_is_never_made_twice(
        fake: FakeGoogle, folder: str, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    store = make_store(fake, folder_id=folder)
    template = _template(store)
    _applied_then(monkeypatch, drive, "files_copy", lambda: fault_error("drive", status))
    fake.reset_counts()
    ref = store.copy(template, "Kertas Kerja Umum", SECTION)
    assert [f.id for f in fake.find_files(sheets_sync_role="section")] == [ref.id]
    assert fake.count(op="files.copy") == 1  # looked, found, not sent again
    assert fake.count(op="files.list") == 1
    assert ref.tags == SECTION and ref.name == "Kertas Kerja Umum"
    assert store.read(ref, ["A"]) == {"A": [[1]]}


@pytest.mark.parametrize("status", [500, 503])
def test_a_copy_refused_with_5xx_is_looked_for_then_sent_again(
        fake: FakeGoogle, folder: str, status: int) -> None:
    sleeps = Sleeps()
    store = make_store(fake, folder_id=folder, sleeps=sleeps)
    template = _template(store)
    fake.reset_counts()
    fake.fail_next(1, status=status, retry_after=3)
    ref = store.copy(template, "Kertas Kerja Umum", SECTION)
    assert [f.id for f in fake.find_files(sheets_sync_role="section")] == [ref.id]
    # Retry-After honoured before looking; a miss is believed after LOOKS listings (lag)
    assert fake.count(op="files.copy") == 2 and fake.count(op="files.list") == LOOKS
    assert sleeps.calls[0] == 3.0 and len(sleeps.calls) == LOOKS


def test_a_copy_rate_limited_is_resent_without_looking(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    template = _template(store)
    fake.reset_counts()
    fake.fail_next(1, status=429)  # a refusal: nothing was done
    store.copy(template, "Kertas Kerja Umum", SECTION)
    assert fake.count(op="files.copy") == 2 and fake.count(op="files.list") == 0
    assert len(fake.find_files(sheets_sync_role="section")) == 1


def test_a_copy_whose_connection_drops_mid_answer_is_never_made_twice(
        fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    template = _template(store)
    session = store.http.session
    real = session.request
    drops = [1]

    def request(method: str, url: str, **kw: Any) -> requests.Response:
        response = real(method, url, **kw)
        if url.endswith("/copy") and drops[0]:
            drops[0] -= 1  # applied, then "Connection aborted." while reading the answer
            raise requests.ConnectionError(ProtocolError("Connection aborted."))
        return response

    session.request = request  # type: ignore[method-assign]
    ref = store.copy(template, "Kertas Kerja Umum", SECTION)
    assert [f.id for f in fake.find_files(sheets_sync_role="section")] == [ref.id]
    assert fake.count(op="files.copy") == 1


def test_a_copy_that_never_connects_is_resent_without_looking(
        fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    template = _template(store)
    session = store.http.session
    real = session.request
    refusals = [1]

    def request(method: str, url: str, **kw: Any) -> requests.Response:
        if url.endswith("/copy") and refusals[0]:
            refusals[0] -= 1  # connection refused: nothing reached Google
            raise requests.ConnectionError(MaxRetryError(
                None, url, NewConnectionError(None, "refused")))  # type: ignore[arg-type]
        return real(method, url, **kw)

    session.request = request  # type: ignore[method-assign]
    fake.reset_counts()
    store.copy(template, "Kertas Kerja Umum", SECTION)
    assert fake.count(op="files.list") == 0
    assert len(fake.find_files(sheets_sync_role="section")) == 1


def test_a_copy_that_keeps_failing_ends_with_a_plain_message(
        fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder, max_retries=2)
    template = _template(store)
    fake.reset_counts()
    fake.inject_faults(rate=1.0, kinds=("500",), only=lambda _m, path: path.endswith("/copy"))
    with pytest.raises(BackendError) as err:
        store.copy(template, "Kertas Kerja Umum", SECTION)
    assert "menyalin" in err.value.message and "jalankan perintah lagi" in err.value.hint
    assert fake.count(op="files.copy") == 3  # bounded
    assert fake.count(op="files.list") == 3 * LOOKS
    assert fake.find_files(sheets_sync_role="section") == []


# ------------------------------------------------------------------ files.create


@pytest.mark.parametrize("kind", ["timeout_after_apply", "500_after_apply", "timeout", "500"])
def test_a_create_whose_outcome_is_unknown_makes_one_file(
        fake: FakeGoogle, folder: str, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    store = make_store(fake, folder_id=folder)
    if kind == "500_after_apply":
        _applied_then(monkeypatch, drive, "files_create", lambda: fault_error("drive", 500))
    else:  # the files.create itself, not the look for a half-made file before it
        fail_matching(fake, "POST", "/drive/v3/files$", kind)
    ref = store.create("Rekapitulasi", RECAP,
                       WorkbookPatch([SheetPatch("Ringkasan", values={(1, 1): "ok"})]))
    files = _live(fake, "Rekapitulasi")
    assert [f.id for f in files] == [ref.id]  # no orphan, no second workbook
    assert files[0].app_properties == {"sheets_sync_role": "recap",
                                       "sheets_sync_period": PERIOD}  # the marker is gone
    assert store.read(ref, ["Ringkasan"]) == {"Ringkasan": [["ok"]]}
    applied = kind.endswith("after_apply")
    assert fake.count(op="files.create") == (1 if applied else 2)


def test_a_half_made_create_is_not_found_by_its_period(
        fake: FakeGoogle, folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # files.create carries only the one-off marker: until the file is complete and tagged,
    # `find` does not return it.
    store = make_store(fake, folder_id=folder)
    _applied_then(monkeypatch, sheets, "batch_update",
                  lambda: drive_error(400, "Invalid requests[0]", "badRequest"))
    seen: list[list[FileRef]] = []
    real = drive.files_create

    def files_create(*args: Any) -> Any:
        out = real(*args)
        seen.append(store.find(PERIOD))  # what another run would see right now
        return out

    monkeypatch.setattr(drive, "files_create", files_create)
    with pytest.raises(BackendError):
        store.create("Rekapitulasi", RECAP, WorkbookPatch([SheetPatch("A")]))
    assert seen == [[]]
    assert store.find(PERIOD) == [] and _live(fake, "Rekapitulasi") == []


# ------------------------------------------------------------------ batchUpdate with appendCells


def _recap(store: GoogleStore) -> FileRef:
    return store.create("Rekap", RECAP, WorkbookPatch([
        SheetPatch("Ringkasan", values={(1, 1): "x"}),
        SheetPatch("Audit", values={(1, 1): "waktu", (1, 2): "aksi"})]))


def _audit_patch() -> WorkbookPatch:
    return WorkbookPatch([SheetPatch("Ringkasan", values={(1, 1): "y"}),
                          SheetPatch("Audit", append_rows=[["t1", "rekap"]])])


@pytest.mark.parametrize("kind", ["timeout_after_apply", "500_after_apply", "503_after_apply"])
def test_audit_rows_are_never_appended_twice(
        fake: FakeGoogle, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    store = make_store(fake)
    ref = _recap(store)
    fake.reset_counts()
    if kind == "timeout_after_apply":
        fake.fail_next(1, kind=kind)
    else:
        status = int(kind[:3])
        _applied_then(monkeypatch, sheets, "batch_update", lambda: fault_error("sheets", status))
    with pytest.raises(BackendError) as err:
        store.apply(ref, _audit_patch())
    assert fake.count(op="spreadsheets.batchUpdate") == 1  # not resent
    assert "Rekap" in err.value.message and "mungkin" in err.value.message
    assert "lagi" in err.value.hint
    assert store.read(ref, ["Audit"])["Audit"] == [["waktu", "aksi"], ["t1", "rekap"]]


@pytest.mark.parametrize("kind", ["timeout", "500"])
def test_a_failed_audit_write_is_reported_not_resent(fake: FakeGoogle, kind: str) -> None:
    store = make_store(fake)
    ref = _recap(store)
    fake.reset_counts()
    fake.fail_next(1, **({"kind": kind} if kind == "timeout" else {"status": int(kind)}))
    with pytest.raises(BackendError, match="mungkin"):
        store.apply(ref, _audit_patch())
    assert fake.count(op="spreadsheets.batchUpdate") == 1
    store.apply(ref, _audit_patch())  # the user runs the command again: written once
    assert store.read(ref, ["Audit"])["Audit"] == [["waktu", "aksi"], ["t1", "rekap"]]


def test_audit_batch_rate_limited_is_still_retried(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = _recap(store)
    fake.reset_counts()
    fake.fail_next(2, status=429)  # refusals: nothing was written
    store.apply(ref, _audit_patch())
    assert fake.count(op="spreadsheets.batchUpdate") == 3
    assert store.read(ref, ["Audit"])["Audit"] == [["waktu", "aksi"], ["t1", "rekap"]]


@pytest.mark.parametrize("kind", ["timeout_after_apply", "500"])
def test_batches_without_appends_are_still_retried(fake: FakeGoogle, kind: str) -> None:
    store = make_store(fake)
    ref = _recap(store)
    fake.reset_counts()
    fake.fail_next(1, **({"kind": kind} if "timeout" in kind else {"status": int(kind)}))
    store.apply(ref, WorkbookPatch([SheetPatch("Ringkasan", values={(1, 1): "y"})]))
    assert fake.count(op="spreadsheets.batchUpdate") == 2
    assert store.read(ref, ["Ringkasan"]) == {"Ringkasan": [["y"]]}


# ------------------------------------------------------------------ createdTime


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts)


def test_file_refs_carry_the_creation_time(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    template = _template(store)
    fake.clock.advance(3600)
    copy = store.copy(template, "Kertas Kerja Umum", SECTION)
    for ref in (template, copy, *store.find(PERIOD)):
        assert ref.created is not None and ref.created.tzinfo is None
        expected = _local(fake.file(ref.id).created_time)
        assert abs((ref.created - expected).total_seconds()) < 0.01
    found = {r.id: r.created for r in store.find(PERIOD)}
    assert found == {template.id: template.created, copy.id: copy.created}
    assert template.created is not None and copy.created is not None
    assert (copy.created - template.created).total_seconds() >= 3600
