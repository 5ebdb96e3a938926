"""The call budgets of docs/design.md §6, counted on the fake's recorded requests, for whole
flows run through the CLI on the Google backend. Each is checked at 5 and at 80 indicators per
section: the counts must not grow with the number of indicators."""

from __future__ import annotations

import json

import pytest

from tests.backends import GoogleEnv
from tests.conftest import small_config_data

SECTIONS = 4
ACCOUNTS = 1  # shares per section: its own account (the PEP account owns the copies)
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
    # listing + template read + the 4 earlier periods' recaps (history, once a run), then
    # per section: copy, prefill, sharing check, A shares
    assert calls(env) <= LOCK + 2 + 4 + SECTIONS * (3 + ACCOUNTS)
    assert env.fake.count(path_contains="/copy") == SECTIONS


def test_distribute_shares_each_section_with_exactly_its_accounts(env):
    env.run("distribute")
    shares = [r for r in env.fake.requests if r.op == "permissions.create"]
    assert len(shares) == SECTIONS * ACCOUNTS
    assert sorted(r.json["emailAddress"] for r in shares) == sorted(
        e for s in env.config.sections for e in s.editors)


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
    env.run("recap", "--force")  # written again although nothing changed
    # listing + one read per section, then the recap itself: read, one write, sharing check
    assert calls(env) <= LOCK + 1 + SECTIONS + 3
    assert env.fake.count(path_contains=":batchUpdate") == 1
    env.fake.reset_counts()
    env.run("recap")  # nothing changed: listing, the recap's read, its sharing check
    assert calls(env) == LOCK + 1 + 1 + 1
    assert env.fake.count(path_contains=":batchUpdate") == 0


# The recap's creation, beyond the one read and write of an existing recap: look before
# creating, create, the batch write, the tag, the sharing check, the share; and (a quarterly
# period) one listing per earlier quarter of the year for TW I-IV, and one listing of the
# earlier periods' recaps for the Tren sheet (whatever their number), both kept in the recap.
CREATE = 6
EARLIER_QUARTERS = 2  # the small config's period is 2026-TW3
TRENDS = 1


def handed_in_at(env: GoogleEnv) -> dict[str, str | None]:
    report = json.loads(env.run("status", "--format", "json").stdout)
    return {s["section"]: s["handed_in_at"] for s in report["sections"]}


@pytest.mark.parametrize("sections", [8, 16, 80])
def test_first_recap_after_hand_ins_costs_no_call_per_section_beyond_its_read(tmp_path, sections):
    env = GoogleEnv(tmp_path, small_config_data(sections=sections, indicators=5))
    env.run("distribute")
    ids = [s.id for s in env.config.sections]
    for section in ids[: sections // 2]:
        env.type_into(section, {}, status="Selesai")
    env.fake.reset_counts()
    env.run("recap")  # creates the recap; half the sections have handed in
    # listing, one read per section, the creation; the hand-ins ride in the recap's write
    assert calls(env) == LOCK + 1 + sections + EARLIER_QUARTERS + TRENDS + CREATE
    assert env.fake.count(path_contains=":batchUpdate") == 1
    for section in ids[sections // 2:]:
        env.type_into(section, {}, status="Selesai")
    env.fake.reset_counts()
    env.run("recap")  # the recap exists; the other half has handed in since
    # listing, one read per section, then the recap: read, one write, sharing check
    assert calls(env) == LOCK + sections + 4
    assert env.fake.count(path_contains=":batchUpdate") == 1
    # the records are found by a later run: the hand-in times stay those first seen
    first = handed_in_at(env)
    for section in ids:
        env.type_into(section, {}, status="Selesai")  # typed again later: not a new hand-in
    env.run("recap")
    assert handed_in_at(env) == first
    assert all(first.values())


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


def test_benchmark_jobs_meet_the_budgets_and_the_naive_script_does_not():
    # The jobs of benchmarks/ (they assert what they measured: copies, shares, rows, issues,
    # feedback, recap rows) at a small size, without latency: our counts within docs/design.md
    # §6, the naive gspread script's growing with I and S.
    from benchmarks.jobs import run_jobs

    s = 2
    small, large = run_jobs(s, 4, latency=0), run_jobs(s, 12, latency=0)
    for pairs in (small, large):
        assert pairs["distribute"].ours.calls <= 2 + 4 + s * (3 + ACCOUNTS)
        assert pairs["validate, all changed"].ours.calls == 1 + 2 * s
        assert pairs["validate, one changed"].ours.calls == 1 + s + 1
        assert pairs["validate, none changed"].ours.calls == 1 + s
        assert pairs["watch cycle, idle"].ours.calls == 1
        assert pairs["recap"].ours.calls <= 1 + s + 3
    for job in small:  # ours does not grow with I
        assert small[job].ours.calls == large[job].ours.calls, job
    assert large["distribute"].naive.calls > small["distribute"].naive.calls  # a write per row
    assert large["watch cycle, idle"].naive.calls >= 3 * s  # polls every sheet
    for job, pair in large.items():
        assert pair.naive.calls > pair.ours.calls, job
