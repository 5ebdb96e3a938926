"""Issue 22 point 5: quota follows change. A `validate` with nothing changed costs the
listing and one read of the recap's memory (flows/memory.py), whatever the number of
sections; a section that changed is read again, and only it; a change of the config, or a
memory that is missing or damaged, reads every section. Counted on the fake through the CLI
(S = 40), and the report always equals the one of reading everything."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sheets_sync.flows.memory import SHEET_MEMORY
from sheets_sync.ports import Role
from tests.backends import GoogleEnv, LocalEnv
from tests.conftest import small_config_data

S = 40
LOCK = 4  # a writing command takes the period's lock: a constant (tests/google/test_google_budgets.py)
LISTING, MEMORY_READ = 1, 1


def section_reads(env: GoogleEnv) -> dict[str, int]:
    """Reads of each section's spreadsheet since the last reset, by section (the listing it
    makes to know them is not counted: it comes after)."""
    requests = list(env.fake.requests)
    ids = {r.id: r.tags.section for r in env.store().find(env.config.period.code, Role.section)}
    out: dict[str, int] = {}
    for r in requests:
        if r.api == "sheets" and r.method == "GET":
            for fid, section in ids.items():
                if fid in r.path:
                    out[section] = out.get(section, 0) + 1
    return out


def report(env: GoogleEnv, code: int | None = None) -> dict[str, Any]:
    return json.loads(env.run("validate", "--format", "json", code=code).output)


def damage_memory(env: GoogleEnv, how: str) -> None:
    import gspread

    (ref,) = env.store().find(env.config.period.code, Role.recap)
    client = gspread.Client(None, session=env.fake.session("pep@setwan.example"))  # type: ignore[arg-type]
    ws = client.open_by_key(ref.id).worksheet(SHEET_MEMORY)
    if how == "cleared":
        ws.clear()
    else:  # every judged result garbled, as a hand edit would leave it
        rows = ws.get_all_values()
        ws.update([[r[0], r[1], "{rusak" if r[0] == "judged" else r[2]] for r in rows],
                  "A1", raw=True)


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory: pytest.TempPathFactory) -> GoogleEnv:
    """S sections handed in (two with a value that is not a number), validated once, the
    recap made: the steady state of a collection round."""
    env = GoogleEnv(tmp_path_factory.mktemp("quota"), small_config_data(sections=S,
                                                                        indicators=3))
    env.run("distribute")
    for n, section in enumerate(env.config.sections):
        value = "abc" if n in (3, 17) else 95
        env.type_into(section.id, {f"B{n + 1}-{i:02d}": {"realisasi": value if i == 1 else 9}
                                   for i in (1, 2, 3)}, status="Selesai")
    env.run("validate", code=None)  # writes every section's feedback
    env.run("recap")  # reads every section once more and remembers each one's result
    return env


def test_validate_with_nothing_changed_costs_the_listing_and_the_memory(handed_in):
    env = handed_in
    env.fake.reset_counts()
    cached = report(env, code=None)
    assert env.fake.count() == LOCK + LISTING + MEMORY_READ
    assert section_reads(env) == {}
    # the same report as reading every section: the memory gone, all read again
    damage_memory(env, "cleared")
    env.fake.reset_counts()
    full = report(env, code=None)
    assert sum(section_reads(env).values()) == S
    assert cached == full
    assert full["summary"]["errors"] == 2 and full["summary"]["sections"] == S
    # ... and then remembered again: one write into the recap, after which it is cheap again
    env.fake.reset_counts()
    assert report(env, code=None) == full
    assert env.fake.count() == LOCK + LISTING + MEMORY_READ


def test_changing_one_section_reads_exactly_that_one(handed_in):
    env = handed_in
    report(env, code=None)
    env.type_into("bagian-5", {"B5-02": {"realisasi": "xyz"}})
    env.fake.reset_counts()
    after = report(env, code=None)
    # the memory and that section read; its feedback and the memory written back
    assert env.fake.count() == LOCK + LISTING + MEMORY_READ + 1 + 1 + 1
    assert env.fake.count(op="spreadsheets.batchUpdate") == 2
    assert section_reads(env) == {"bagian-5": 1}
    assert any(i["section"] == "bagian-5" and i["indicator"] == "B5-02"
               for i in after["issues"])
    # our own feedback write moved its version: read once more to be sure nobody typed in
    # between, then nothing
    env.fake.reset_counts()
    assert report(env, code=None) == after
    assert section_reads(env) == {"bagian-5": 1}
    env.fake.reset_counts()
    assert report(env, code=None) == after
    assert env.fake.count() == LOCK + LISTING + MEMORY_READ
    assert section_reads(env) == {}


def test_a_damaged_memory_reads_everything_and_hides_nothing(handed_in):
    env = handed_in
    before = report(env, code=None)
    damage_memory(env, "garbled")
    env.fake.reset_counts()
    assert report(env, code=None) == before
    assert sum(section_reads(env).values()) == S


def test_a_change_of_the_config_reads_every_section(handed_in):
    env = handed_in
    report(env, code=None)
    data = json.loads(json.dumps(env.data))
    for ind in data["indicators"]:
        if ind["code"] == "B9-01":
            ind["target"] = 200  # the same value now reaches half the target
    env.rewrite(data)
    env.fake.reset_counts()
    changed = report(env, code=None)
    assert sum(section_reads(env).values()) == S
    assert changed["summary"]["sections"] == S
    report(env, code=None)  # where feedback was written, read once more (our own write)
    env.fake.reset_counts()
    assert report(env, code=None) == changed
    assert section_reads(env) == {}


def test_local_a_section_typing_after_the_memory_is_never_hidden(tmp_path):
    """The local backend keys the memory by the file's mtime and size."""
    env = LocalEnv(tmp_path, small_config_data(sections=4, indicators=3))
    env.run("distribute")
    for n, section in enumerate(env.config.sections):
        env.type_into(section.id, {f"B{n + 1}-{i:02d}": {"realisasi": 95 if i == 1 else 9}
                                   for i in (1, 2, 3)}, status="Selesai")
    env.run("validate")
    env.run("recap")
    quiet = report(env, code=0)
    assert quiet["summary"]["errors"] == 0
    env.type_into("bagian-2", {"B2-01": {"realisasi": "abc"}})
    loud = report(env, code=None)
    assert [i["section"] for i in loud["issues"] if i["severity"] == "error"] == ["bagian-2"]
    assert report(env, code=None) == loud
