"""Finding the service's files when Drive does not show them plainly: tags written by another
OAuth client (appProperties are private to it), a search that lags behind a new file, and
an incomplete all-drives search. Never a second workbook for a section."""

from __future__ import annotations

from typing import Any

import pytest

from sheets_sync.adapters.google.store import GoogleStore
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import BackendError, FileRef, Role, Tags
from tests.fakegoogle import SPREADSHEET_MIME, FakeGoogle
from tests.google.test_google_support import (
    PEP,
    PERIOD,
    FakeClock,
    Sleeps,
    distribute_one,
    make_config,
    make_store,
    new_template,
)

OTHER_CLIENT = "komputer-lain.apps.googleusercontent.com"
SECTION = Tags(Role.section, PERIOD, "umum")


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=7)


@pytest.fixture
def folder(fake: FakeGoogle) -> str:
    return fake.create_folder("Data Kinerja 2026", owner=PEP)


def _store_of_client(fake: FakeGoogle, folder: str, client: str) -> GoogleStore:
    from sheets_sync.adapters.google.http import RateLimiter
    from sheets_sync.settings.backend import GoogleBackend

    session = fake.session(PEP)
    session.headers["Authorization"] = "Bearer " + fake.office.token_for_client(PEP, client)
    clock = FakeClock()
    return GoogleStore.from_session(session, GoogleBackend(folder_id=folder), account=PEP,
                                    sleep=Sleeps(), rand=lambda: 0.5,
                                    limiter=RateLimiter(50, clock=clock, sleep=clock.sleep))


def _books(fake: FakeGoogle) -> list[Any]:
    return [f for f in fake.files.values() if f.mime_type == SPREADSHEET_MIME and not f.trashed]


def test_workbooks_tagged_by_another_client_are_adopted_not_duplicated(
        fake: FakeGoogle, folder: str) -> None:
    fake.office.private_app_properties = True
    config = make_config()
    first = make_store(fake, folder_id=folder)
    template = new_template(first, config)
    made = distribute_one(first, config, template)
    books = len(_books(fake))

    other = _store_of_client(fake, folder, OTHER_CLIENT)
    found = other.find(PERIOD, Role.section)
    assert [(r.id, r.tags) for r in found] == [(made.id, SECTION)]
    assert len(_books(fake)) == books  # nothing copied again
    fake.reset_counts()
    assert [r.id for r in other.find(PERIOD, Role.section)] == [made.id]
    assert fake.count(op="values.get") == 0  # re-tagged: found by its tags from now on
    assert [r.id for r in first.find(PERIOD, Role.section)] == [made.id]  # first still sees it


def test_a_workbook_of_another_period_is_not_adopted(fake: FakeGoogle, folder: str) -> None:
    fake.office.private_app_properties = True
    config = make_config()
    first = make_store(fake, folder_id=folder)
    distribute_one(first, config, new_template(first, config))
    other = _store_of_client(fake, folder, OTHER_CLIENT)
    assert other.find("2027-TW1", Role.section) == []


@pytest.mark.parametrize("lag", [1, 2])
def test_a_lost_copy_answer_is_found_despite_search_lag(
        fake: FakeGoogle, folder: str, lag: int) -> None:
    store = make_store(fake, folder_id=folder)
    template = store.create("Templat", Tags(Role.template, PERIOD),
                            WorkbookPatch([SheetPatch("A", values={(1, 1): 1})]))
    fake.office.search_lag = lag
    fake.fail_next(1, kind="timeout_after_apply")  # copied, answer lost
    ref = store.copy(template, "Kertas Kerja Umum", SECTION)
    copies = [f for f in _books(fake) if f.name == "Kertas Kerja Umum"]
    assert [f.id for f in copies] == [ref.id]
    assert fake.count(op="files.copy") == 1


def test_an_incomplete_search_never_leads_to_a_second_copy(fake: FakeGoogle) -> None:
    drive = fake.create_shared_drive("Kinerja", [PEP])
    shared_folder = fake.create_folder("2026", shared_drive=drive)
    store = make_store(fake)  # no folder_id: the look searches all drives
    template = fake.create_spreadsheet("Templat", parent=shared_folder)
    source = FileRef(id=template, name="Templat", tags=Tags(Role.template, PERIOD))
    fake.office.incomplete_search = True  # all-drives search leaves Shared Drives out
    fake.fail_next(1, kind="timeout_after_apply")
    ref = store.copy(source, "Kertas Kerja Umum", SECTION)
    assert [f.id for f in _books(fake) if f.name == "Kertas Kerja Umum"] == [ref.id]
    assert fake.count(op="files.copy") == 1


def test_an_incomplete_search_that_finds_nothing_is_not_believed(
        fake: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakegoogle import drive as drive_api

    store = make_store(fake)
    template = fake.create_spreadsheet("Templat", owner=PEP)
    source = FileRef(id=template, name="Templat", tags=Tags(Role.template, PERIOD))
    real = drive_api.files_list

    def incomplete_and_empty(*args: Any) -> Any:
        out = real(*args)
        return {**out, "files": [], "incompleteSearch": True}

    monkeypatch.setattr(drive_api, "files_list", incomplete_and_empty)
    fake.fail_next(1, kind="timeout_after_apply")
    with pytest.raises(BackendError) as err:
        store.copy(source, "Kertas Kerja Umum", SECTION)
    assert "incompleteSearch" in err.value.message and "lagi" in err.value.hint
    assert len([f for f in _books(fake) if f.name == "Kertas Kerja Umum"]) == 1
