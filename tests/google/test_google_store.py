"""GoogleStore through real gspread + requests against the in-process fake of Google."""

from __future__ import annotations

import gspread
import pytest

from sheets_sync.domain.patch import (
    CellRange,
    Chart,
    Formula,
    Protection,
    SheetPatch,
    WorkbookPatch,
)
from sheets_sync.domain.worksheet import parse_section
from sheets_sync.ports import BackendError, Grant, Role, Tags
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_support import (
    KASIE,
    PEP,
    PERIOD,
    STAFF,
    distribute_one,
    make_config,
    make_store,
    new_template,
)

SHEETS = ["Kertas Kerja", "Validasi", "Petunjuk", "_meta"]  # Petunjuk: issue 19


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=3)


@pytest.fixture
def folder(fake: FakeGoogle) -> str:
    return fake.create_folder("Data Kinerja 2026", owner=PEP)


def test_create_builds_the_template_in_at_most_4_calls(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    config = make_config()
    ref = new_template(store, config)
    # a look for a half-made one (a crash before tagging), create, one batch, the tags
    assert fake.count() <= 4
    ss = fake.spreadsheet(ref.id)
    assert [s.title for s in ss.sheets] == SHEETS
    assert ss.by_title("_meta").props.get("hidden") is True
    assert ss.by_title("Kertas Kerja").props["gridProperties"].get("frozenRowCount") == 9
    f = fake.file(ref.id)
    assert f.parents == [folder]
    assert f.app_properties == {"sheets_sync_role": "template", "sheets_sync_period": PERIOD}
    assert ref.tags == Tags(Role.template, PERIOD) and ref.url.startswith("https://")


@pytest.mark.parametrize("indicators", [5, 80])
def test_distribute_one_section_costs_2_plus_accounts(fake: FakeGoogle, folder: str,
                                                       indicators: int) -> None:
    store = make_store(fake, folder_id=folder)
    config = make_config(indicators)
    template = new_template(store, config)
    fake.reset_counts()
    ref = distribute_one(store, config, template)
    accounts = len(config.section("umum").editors)
    # copy + batchUpdate + permissions.list + one create per account, whatever I is
    assert fake.count() == 3 + accounts
    assert fake.count(op="spreadsheets.batchUpdate") == 1
    assert store.stats()["drive.files.copy"] == 1
    fake.reset_counts()
    grids = store.read(ref, SHEETS)
    assert fake.count() == 1 and fake.count(op="spreadsheets.get") == 1
    sheet = parse_section("umum", grids, config.labels)
    assert sheet.layout.problems == []
    assert sheet.status == "Belum Diisi"
    assert [r.code for r in sheet.rows] == [i.code for i in config.indicators_of("umum")]
    assert sheet.rows[0].cells["target"] == 91  # a number, read unformatted
    assert sheet.rows[-1].cells["target"] == "80 - 90"
    assert sheet.meta.distributed and len(sheet.meta.snapshot) == indicators + 1
    assert sheet.header["unit"] == "Subbagian Umum"


def test_template_from_another_run_is_read_once(fake: FakeGoogle, folder: str) -> None:
    config = make_config()
    template = new_template(make_store(fake, folder_id=folder), config)
    store = make_store(fake, folder_id=folder)  # a new process: knows nothing of the template
    fake.reset_counts()
    distribute_one(store, config, template)
    assert fake.count(op="spreadsheets.get") == 1  # the template's sheet ids, once
    distribute_one(store, config, template, "keuangan")
    assert fake.count(op="spreadsheets.get") == 1


def test_section_editor_may_type_realisasi_but_not_target(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    config = make_config()
    ref = distribute_one(store, config, new_template(store, config))
    kasie = gspread.Client(None, session=fake.session(KASIE))  # type: ignore[arg-type]
    book = kasie.open_by_key(ref.id)
    ws = book.worksheet("Kertas Kerja")
    ws.update([[87.5]], "G10")  # Realisasi of the first indicator
    ws.update([["Selesai"]], "B7")  # the status cell
    with pytest.raises(gspread.exceptions.APIError) as refused:
        ws.update([[1]], "F10")  # Target
    assert "protected" in str(refused.value)
    with pytest.raises(gspread.exceptions.APIError):
        book.worksheet("_meta").update([["x"]], "B2")
    sheet = parse_section("umum", store.read(ref, SHEETS), config.labels)
    assert sheet.status == "Selesai" and sheet.rows[0].cells["realisasi"] == 87.5


def test_text_starting_with_equals_stays_text_and_formulas_compute(fake: FakeGoogle) -> None:
    store = make_store(fake)
    sp = SheetPatch("Data")
    sp.values[(1, 1)] = '=HYPERLINK("http://evil.example","klik")'
    sp.values[(1, 2)] = 4
    sp.values[(1, 3)] = Formula("=B1*2")
    sp.values[(1, 4)] = True
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([sp]))
    grid = store.read(ref, ["Data"])["Data"]
    assert grid == [['=HYPERLINK("http://evil.example","klik")', 4, 8, True]]
    cell = fake.spreadsheet(ref.id).by_title("Data").cell(0, 0)
    assert cell["userEnteredValue"] == {"stringValue": '=HYPERLINK("http://evil.example","klik")'}


def test_apply_never_touches_cells_outside_the_patch(fake: FakeGoogle) -> None:
    store = make_store(fake)
    sp = SheetPatch("S")
    sp.put_table(1, 1, [[1, 2, 3], [4, 5, 6]])
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([sp]))
    patch = WorkbookPatch([SheetPatch("S", values={(1, 1): "a", (1, 3): "c", (2, 2): None})])
    store.apply(ref, patch)
    assert store.read(ref, ["S"])["S"] == [["a", 2, "c"], [4, None, 6]]


def test_reapplying_protection_and_charts_replaces_them(fake: FakeGoogle) -> None:
    store = make_store(fake)
    sp = SheetPatch("S", values={(1, 1): "x", (1, 2): "n", (2, 1): "a", (2, 2): 3})
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([sp]))

    def patch() -> WorkbookPatch:
        p = SheetPatch("S", protection=Protection((CellRange.cell(2, 2),), (KASIE,), "kunci"))
        p.charts.append(Chart("Capaian", CellRange(1, 1, 2, 1), CellRange(1, 2, 2, 2), (4, 1)))
        return WorkbookPatch([p])

    store.apply(ref, patch())
    store.apply(ref, patch())
    other = make_store(fake)  # a new process: reads the protections before replacing them
    other.apply(ref, patch())
    sheet = fake.spreadsheet(ref.id).by_title("S")
    assert len(sheet.protected) == 1 and len(sheet.charts) == 1
    assert sorted(sheet.protected[0]["editors"]["users"]) == sorted([KASIE, PEP])


def test_clear_notes_append_and_hidden(fake: FakeGoogle) -> None:
    store = make_store(fake)
    sp = SheetPatch("Audit", values={(1, 1): "waktu", (1, 2): "aksi"})
    sp.notes[(1, 1)] = "catatan"
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([sp, SheetPatch("Lain")]))
    store.apply(ref, WorkbookPatch([SheetPatch("Audit", append_rows=[["t1", "=1+1"]])]))
    store.apply(ref, WorkbookPatch([SheetPatch("Audit", append_rows=[["t2", "b"]])]))
    assert store.read(ref, ["Audit"])["Audit"] == [["waktu", "aksi"], ["t1", "=1+1"], ["t2", "b"]]
    assert fake.spreadsheet(ref.id).by_title("Audit").cell(0, 0)["note"] == "catatan"
    store.apply(ref, WorkbookPatch([SheetPatch("Audit", clear=True, values={(1, 1): "baru"}),
                                    SheetPatch("Lain", hidden=True)]))
    assert store.read(ref, ["Audit"])["Audit"] == [["baru"]]
    assert not (fake.spreadsheet(ref.id).by_title("Audit").cell(0, 0) or {}).get("note")
    assert fake.spreadsheet(ref.id).by_title("Lain").props.get("hidden") is True


def test_find_and_changed_since_cost_one_call(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    config = make_config()
    template = new_template(store, config)
    section = distribute_one(store, config, template)
    fake.reset_counts()
    found = store.find(PERIOD)
    assert fake.count() == 1 and fake.count(op="files.list") == 1
    assert {(r.tags.role, r.tags.section) for r in found} == {
        (Role.template, None), (Role.section, "umum")}
    assert [r.id for r in store.find(PERIOD, Role.section)] == [section.id]
    assert store.find("2026-TW4") == []
    since = max(r.modified for r in found if r.modified)
    fake.advance(60)
    fake.reset_counts()
    assert store.changed_since(PERIOD, since) == []
    assert fake.count() == 1
    kasie = gspread.Client(None, session=fake.session(KASIE))  # type: ignore[arg-type]
    kasie.open_by_key(section.id).worksheet("Kertas Kerja").update([[50]], "G10")
    changed = store.changed_since(PERIOD, since)
    assert [r.id for r in changed] == [section.id] and changed[0].modified_by == KASIE
    assert len(store.changed_since(PERIOD, None)) == 2


def test_read_of_an_unknown_file_is_one_call_and_missing_sheets_are_absent(
        fake: FakeGoogle) -> None:
    ref = make_store(fake).create("t", Tags(Role.recap, PERIOD),
                                  WorkbookPatch([SheetPatch("A", values={(1, 1): 1}),
                                                 SheetPatch("B")]))
    store = make_store(fake)  # knows nothing of the file
    fake.reset_counts()
    assert store.read(ref, ["A", "Nope"]) == {"A": [[1]]}
    assert fake.count() == 1 and fake.count(op="spreadsheets.get") == 1
    store.apply(ref, WorkbookPatch([SheetPatch("A", values={(1, 2): 2})]))
    assert fake.count() == 2  # the read taught the store the sheet ids
    assert store.read(ref, ["A", "Nope"]) == {"A": [[1, 2]]}
    assert fake.count(op="spreadsheets.get") == 2  # the named sheet only (ranges)
    assert store.read(ref, ["Nope"]) == {}
    # a sheet removed by hand since: the batch fails once, then a fresh read
    gc = gspread.Client(None, session=fake.session(PEP))  # type: ignore[arg-type]
    book = gc.open_by_key(ref.id)
    book.del_worksheet(book.worksheet("B"))
    fake.reset_counts()
    assert store.read(ref, ["A", "B"]) == {"A": [[1, 2]]}
    assert fake.count() == 2


def test_both_read_paths_give_the_same_grids(fake: FakeGoogle, folder: str) -> None:
    store = make_store(fake, folder_id=folder)
    config = make_config()
    ref = distribute_one(store, config, new_template(store, config))
    kasie = gspread.Client(None, session=fake.session(KASIE))  # type: ignore[arg-type]
    ws = kasie.open_by_key(ref.id).worksheet("Kertas Kerja")
    ws.update([["87,5"]], "G10")
    ws.update([[0]], "G11", raw=False)
    ws.update([["=HYPERLINK(\"http://x\")"]], "J10")
    ws.update([["1/10/2026"]], "I12", raw=False)
    cached = store.read(ref, SHEETS)  # spreadsheets.get, the named sheets only
    fresh = make_store(fake).read(ref, SHEETS)  # spreadsheets.get with grid data
    assert fresh == cached
    assert cached["Kertas Kerja"][9][6] == "87,5"


def test_read_many_reads_each_file_once_concurrently(fake: FakeGoogle) -> None:
    store = make_store(fake, workers=4)
    refs = [store.create(f"f{i}", Tags(Role.section, PERIOD, f"s{i}"),
                         WorkbookPatch([SheetPatch("A", values={(1, 1): i})])) for i in range(6)]
    fake.reset_counts()
    out = store.read_many(refs, ["A"])
    assert fake.count() == 6
    assert {k: v["A"] for k, v in out.items()} == {r.id: [[i]] for i, r in enumerate(refs)}


def test_share_gives_the_grants_and_reports_access_beyond_them(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = store.create("t", Tags(Role.section, PERIOD, "umum"), WorkbookPatch([SheetPatch("A")]))
    fake.share(ref.id, "mantan@setwan.example.go.id", "writer")
    fake.share(ref.id, STAFF, "reader")
    fake.share(ref.id, "anyone", "reader", kind="anyone")
    fake.reset_counts()
    grants = [Grant(KASIE, "writer"), Grant(STAFF, "writer"), Grant(PEP, "writer")]
    result = store.share(ref, grants, notify=True, message="Mohon diisi")
    assert sorted(result.added, key=lambda g: g.email) == [Grant(KASIE, "writer"),
                                                           Grant(STAFF, "writer")]
    # reported, not withdrawn: someone may have shared on purpose
    assert result.removed == []
    assert sorted(result.extra) == ["mantan@setwan.example.go.id",
                                    "siapa saja yang memiliki tautan (anyone)"]
    assert len(fake.file(ref.id).permissions) == 5
    assert fake.count() == 1 + 2  # list + create + update
    assert [(n.to, n.message) for n in fake.notifications] == [(KASIE, "Mohon diisi")]
    fake.reset_counts()
    assert [(r.id, sorted(x)) for r, x in store.extra_access(PERIOD, lambda r: grants)] == [
        (ref.id, sorted(result.extra))]
    assert fake.count() == 1  # the period's listing brings the permissions along
    fake.reset_counts()
    store.extra_access(PERIOD, lambda r: grants)
    assert fake.count() == 0  # after a find: no call at all
    fake.reset_counts()
    revoked = store.share(ref, grants, revoke_extra=True)
    assert sorted(revoked.removed) == sorted(result.extra) and revoked.added == []
    perms = {(p.type, p.email_address, p.role) for p in fake.file(ref.id).permissions}
    assert perms == {("user", PEP, "owner"), ("user", KASIE, "writer"),
                     ("user", STAFF, "writer")}
    assert fake.count() == 1 + 2  # list + 2 deletes
    fake.reset_counts()
    again = store.share(ref, [Grant(KASIE, "writer"), Grant(STAFF, "writer")])
    assert again.added == again.removed == again.extra == [] and fake.count() == 1


def test_delete_trashes_and_find_forgets(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([SheetPatch("A")]))
    store.delete(ref)
    assert fake.file(ref.id).trashed
    assert store.find(PERIOD) == []


def test_errors_name_the_file_and_the_account(fake: FakeGoogle, folder: str) -> None:
    config = make_config()
    template = new_template(make_store(fake, folder_id=folder), config)
    stranger = "orang.lain@example.com"
    store = make_store(fake, stranger, template_id=template.id)
    with pytest.raises(BackendError) as err:
        store.copy(template, "x", Tags(Role.section, PERIOD, "umum"))
    assert template.id in err.value.message and "template_id" in err.value.message
    assert stranger in err.value.hint
    fake.share(template.id, stranger, "reader")
    with pytest.raises(BackendError) as err:
        store.apply(template, WorkbookPatch([SheetPatch("Kertas Kerja", values={(1, 1): 1})]))
    assert "403" in err.value.message and stranger in err.value.message


def test_uncached_apply_reads_sheet_ids_once(fake: FakeGoogle) -> None:
    ref = make_store(fake).create("t", Tags(Role.recap, PERIOD), WorkbookPatch([SheetPatch("A")]))
    store = make_store(fake)
    fake.reset_counts()
    store.apply(ref, WorkbookPatch([SheetPatch("A", values={(1, 1): 1}), SheetPatch("B")]))
    store.apply(ref, WorkbookPatch([SheetPatch("B", values={(1, 1): 2})]))
    assert fake.count(op="spreadsheets.get") == 1
    assert fake.count(op="spreadsheets.batchUpdate") == 2
    assert store.read(ref, ["A", "B"]) == {"A": [[1]], "B": [[2]]}


def test_stale_cache_recovers_when_a_sheet_was_removed_by_hand(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = store.create("t", Tags(Role.recap, PERIOD),
                       WorkbookPatch([SheetPatch("A"), SheetPatch("B")]))
    gc = gspread.Client(None, session=fake.session(PEP))  # type: ignore[arg-type]
    book = gc.open_by_key(ref.id)
    book.del_worksheet(book.worksheet("B"))
    store.apply(ref, WorkbookPatch([SheetPatch("B", values={(1, 1): "lagi"})]))
    assert store.read(ref, ["B"]) == {"B": [["lagi"]]}
