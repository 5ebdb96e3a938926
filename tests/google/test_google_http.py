"""The retry policy, through gspread and requests against the fake's injected faults.
Nothing sleeps: the store's sleep is a recorder."""

from __future__ import annotations

import pytest

from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import BackendError, Role, Tags
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_support import PEP, PERIOD, SA, Sleeps, make_store


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=11)


def _file(fake: FakeGoogle) -> Tags:
    return Tags(Role.recap, PERIOD)


def test_429_waits_as_long_as_retry_after_says(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    store = make_store(fake, sleeps=sleeps)
    fake.fail_next(1, status=429, retry_after=7)
    assert store.find(PERIOD) == []
    assert fake.count(op="files.list") == 2
    assert sleeps.calls == [7.0]  # the floor wins over the jittered 0.5 s
    assert store.stats() == {"drive.files.list": 2}


def test_503_is_retried_with_growing_backoff_then_succeeds(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    store = make_store(fake, sleeps=sleeps)
    ref = store.create("r", _file(fake), WorkbookPatch([SheetPatch("A", values={(1, 1): 1})]))
    fake.fail_next(3, status=503)
    assert store.read(ref, ["A"]) == {"A": [[1]]}
    assert sleeps.calls == [0.5, 1.0, 2.0]  # rand 0.5 x 1, 2, 4 s


@pytest.mark.parametrize("kind", ["timeout", "connect_timeout"])
def test_timeouts_are_retried(fake: FakeGoogle, kind: str) -> None:
    store = make_store(fake)
    fake.fail_next(2, kind=kind)
    assert store.find(PERIOD) == []
    assert fake.count(op="files.list") == 3


def test_retries_are_bounded(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    store = make_store(fake, sleeps=sleeps, max_retries=3)
    fake.fail_next(10, status=500)
    with pytest.raises(BackendError) as err:
        store.find(PERIOD)
    assert fake.count() == 4 and len(sleeps.calls) == 3
    assert "4 percobaan" in err.value.message and "backend.google.quota" in err.value.hint
    fake.clear_faults()
    fake.fail_next(10, kind="timeout")
    with pytest.raises(BackendError, match="tidak menjawab"):
        store.find(PERIOD)


def test_storage_quota_is_not_retried_and_explains_the_three_options(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    store = make_store(fake, SA, sleeps=sleeps)  # a service account, no Shared Drive folder
    with pytest.raises(BackendError) as err:
        store.create("Templat", Tags(Role.template, PERIOD), WorkbookPatch([SheetPatch("A")]))
    # the look for a half-made file, then the one refused create: not retried
    assert fake.count(op="files.create") == 1 and sleeps.calls == []
    assert "storageQuotaExceeded" in err.value.message
    for option in ("sync auth login", "Shared Drive", "subject"):
        assert option in err.value.hint


def test_service_account_can_write_into_a_shared_drive_folder(fake: FakeGoogle) -> None:
    drive = fake.create_shared_drive("Kinerja", {SA: "fileOrganizer"})
    folder = fake.create_folder("2026", shared_drive=drive, owner=SA)
    store = make_store(fake, SA, folder_id=folder)
    ref = store.create("Templat", Tags(Role.template, PERIOD),
                       WorkbookPatch([SheetPatch("A", values={(1, 1): "ok"})]))
    assert fake.file(ref.id).drive_id == drive
    assert [r.id for r in store.find(PERIOD)] == [ref.id]


def test_bad_request_is_not_retried(fake: FakeGoogle) -> None:
    sleeps = Sleeps()
    store = make_store(fake, sleeps=sleeps)
    ref = store.create("r", _file(fake), WorkbookPatch([SheetPatch("A")]))
    fake.reset_counts()
    with pytest.raises(BackendError) as err:
        store.apply(ref, WorkbookPatch([SheetPatch("A", validations=[], frozen_rows=5000)]))
    assert "400" in err.value.message
    assert sleeps.calls == []


def test_rate_limit_403_is_retried_but_not_other_403s(fake: FakeGoogle,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Drive answers per-user rate limits as 403 userRateLimitExceeded on some endpoints.
    from tests.fakegoogle import drive
    from tests.fakegoogle.errors import drive_error

    sleeps = Sleeps()
    store = make_store(fake, sleeps=sleeps)
    real = drive.files_list
    answers = [drive_error(403, "User Rate Limit Exceeded", "userRateLimitExceeded",
                           domain="usageLimits")]

    def files_list(*args: object) -> object:
        if answers:
            raise answers.pop()
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(drive, "files_list", files_list)
    assert store.find(PERIOD) == []
    assert fake.count(op="files.list") == 2 and sleeps.calls == [0.5]
    answers.append(drive_error(403, "The user does not have sufficient permissions",
                               "insufficientFilePermissions"))
    with pytest.raises(BackendError, match="403"):
        store.find(PERIOD)
    assert fake.count(op="files.list") == 3


@pytest.mark.parametrize("kind", ["timeout", "timeout_after_apply"])
def test_a_copy_whose_answer_is_lost_is_never_made_twice(fake: FakeGoogle, kind: str) -> None:
    store = make_store(fake, folder_id=fake.create_folder("Kinerja", owner=PEP))
    template = store.create("Templat", Tags(Role.template, PERIOD),
                            WorkbookPatch([SheetPatch("A", values={(1, 1): 1})]))
    tags = Tags(Role.section, PERIOD, "umum")
    fake.fail_next(1, kind=kind)
    ref = store.copy(template, "Kertas Kerja Umum", tags)
    sections = fake.find_files(sheets_sync_role="section")
    assert [f.id for f in sections] == [ref.id]
    assert store.read(ref, ["A"]) == {"A": [[1]]}
