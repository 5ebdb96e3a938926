"""The call budgets of DESIGN.md section 6, counted on the fake's recorded requests, for whole
flows run through the CLI on the Google backend. Each is checked at 5 and at 80 indicators per
section: the counts must not grow with the number of indicators."""

from __future__ import annotations

import pytest

from tests.backends import GoogleEnv
from tests.conftest import small_config_data

SECTIONS = 4
ACCOUNTS = 2  # each section's own account + the PEP account
# One writer per period: a writing command takes the period's lock on Drive (look, create,
# look again, trash). A constant per command, whatever the number of sections or indicators;
# the idle watch cycle takes none.
LOCK = 4


@pytest.fixture(params=[5, 80], ids=["5-indicators", "80-indicators"])
def env(request: pytest.FixtureRequest, tmp_path) -> GoogleEnv:
    return GoogleEnv(tmp_path, small_config_data(sections=SECTIONS, indicators=request.param))


def calls(env: GoogleEnv) -> int:
    return env.fake.count()


def test_distribute_fresh_is_at_most_3_plus_a_per_section(env):
    env.run("template")  # the template exists once per period; not a per-section cost
    env.fake.reset_counts()
    env.run("distribute")
    # listing + template read, then per section: copy, prefill, sharing check, A shares
    assert calls(env) <= LOCK + 2 + SECTIONS * (3 + ACCOUNTS)
    assert env.fake.count(path_contains="/copy") == SECTIONS


def test_distribute_again_copies_nothing(env):
    env.run("distribute")
    env.fake.reset_counts()
    env.run("distribute")
    assert env.fake.count(path_contains="/copy") == 0
    assert env.fake.count(method="POST", path_contains="permissions") == 0
    assert calls(env) <= LOCK + 2 + 2 * SECTIONS  # listing, template, per section: meta, sharing


def test_validate_all_is_s_plus_1_once_feedback_is_written(env):
    env.run("distribute")
    env.run("validate", code=None)  # first run writes every section's feedback
    env.fake.reset_counts()
    env.run("validate", code=None)
    assert calls(env) == LOCK + SECTIONS + 1  # one listing, one read per section, nothing to write


def test_validate_writes_only_where_feedback_changed(env):
    env.run("distribute")
    env.run("validate", code=None)
    env.type_into("bagian-2", {"B2-01": {"realisasi": "abc"}}, status="Selesai")
    env.fake.reset_counts()
    env.run("validate", code=None)
    assert calls(env) == LOCK + SECTIONS + 1 + 1
    assert env.fake.count(path_contains=":batchUpdate") == 1


def test_watch_cycle_with_nothing_changed_is_one_call(env):
    env.run("distribute")
    from sheets_sync.flows.watch import Watcher

    watcher = Watcher(env.config, env.store())
    from datetime import datetime

    watcher.cycle(datetime(2026, 10, 5, 10))
    watcher.cycle(datetime(2026, 10, 5, 10))  # re-reads what its own writes moved, once
    env.fake.reset_counts()
    watcher.cycle(datetime(2026, 10, 5, 10, 1))
    assert calls(env) == 1
    assert env.fake.count(method="GET", path_contains="/drive/v3/files") == 1


def test_recap_write_is_at_most_3(env):
    env.run("distribute")
    env.run("recap")  # creates it
    env.fake.reset_counts()
    env.run("recap")
    # listing + one read per section, then the recap itself: read, one write, sharing check
    assert calls(env) <= LOCK + 1 + SECTIONS + 3
    assert env.fake.count(path_contains=":batchUpdate") == 1


def test_reads_are_unformatted_and_section_text_is_written_raw(env):
    env.run("distribute")
    env.run("recap")
    ref = env.section_ref("bagian-1")
    # a section types text that starts with '=' (Sheets keeps it text: typed with a quote)
    env.fake.write_as(env.editor("bagian-1"), ref.id, "'Kertas Kerja'!I10",
                      [['=IMPORTRANGE("x","A1")']], value_input_option="RAW")
    env.run("validate", code=None)
    env.run("recap")
    # every read asks for the unformatted value (effectiveValue) and the number format type
    reads = [r for r in env.fake.requests if r.op == "spreadsheets.get"
             and "rowData" in str(r.params.get("fields"))]
    assert reads and all("effectiveValue" in str(r.params["fields"])
                         and "numberFormat(type)" in str(r.params["fields"]) for r in reads)
    grid = env.recap_grid("Rekap Indikator")
    # read back as the text: had the recap written it as a formula, its value would show
    assert any('=IMPORTRANGE("x","A1")' in row for row in grid)
