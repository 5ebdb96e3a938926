"""Issue 12: on Google, Sheets reads and Sheets writes are paced in separate quota buckets, so
the first `sync validate` sends a batch's feedback while it still reads the next sections
(docs/performance.md: "What pacing per bucket buys"). Counts and order of the fake's recorded
requests, not times: the same calls as one after the other, the same report, the same sheets.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import gspread
import pytest

from sheets_sync.flows import validate as validate_flow
from sheets_sync.flows.collect import index_files
from sheets_sync.ports import FileRef, Grant, Role, Tags
from tests.backends import PEP, GoogleEnv
from tests.conftest import small_config_data

SECTIONS = 7
BATCH = 3  # read 3 + 3 + 1: the first batch's feedback can go out before the last reads
LOCK = 4  # the period's lock on Drive (look, create, look again, trash)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_flow, "STREAM_BATCH", BATCH)


def handed_in(tmp_path: Path) -> GoogleEnv:
    """Seven sections distributed, then: six hand in (every other one with a value typed
    wrong), one does not; one section's workbook has a second copy a person made, with a
    value typed into it; one renamed its worksheet; and an eighth section was added to the
    config after distributing."""
    data = small_config_data(sections=SECTIONS, indicators=3)
    env = GoogleEnv(tmp_path, data)
    env.run("distribute")
    config = env.config
    for n, section in enumerate(config.sections[:-1]):
        values: dict[str, dict[str, Any]] = {
            i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
            for i in config.indicators_of(section.id)}
        if n % 2:
            values[next(iter(values))]["realisasi"] = "salah"
        env.type_into(section.id, values, status="Selesai")
    store = env.store()
    original = env.section_ref("bagian-2")
    copy = store.copy(original, f"{original.name} - Copy",
                      Tags(Role.section, config.period.code, "bagian-2"))
    store.share(copy, [Grant(env.editor("bagian-2"), "writer")])
    answer = env.fake.write_as(env.editor("bagian-2"), copy.id, "'Kertas Kerja'!G10", [[55]],
                               value_input_option="RAW")
    assert answer.status_code == 200
    client = gspread.Client(None, session=env.fake.session(PEP))  # type: ignore[arg-type]
    client.open_by_key(env.section_ref("bagian-4").id).worksheet("Kertas Kerja").update_title(
        "Data Kami")
    extra = small_config_data(sections=SECTIONS + 1, indicators=3)
    env.rewrite({**data, "sections": extra["sections"], "indicators": extra["indicators"]})
    env.fake.reset_counts()
    return env


def section_files(env: GoogleEnv) -> dict[str, FileRef]:
    """The workbook each section uses (the first made, where a section has two)."""
    return index_files(env.config, env.store().find(env.config.period.code)).refs


def sheets_by_section(env: GoogleEnv) -> dict[str, dict[str, Any]]:
    labels = env.config.labels
    names = [labels.sheet_worksheet, "Data Kami", labels.sheet_meta, labels.sheet_validation]
    return {s: env.store().read(ref, names) for s, ref in section_files(env).items()}


def by_name(env: GoogleEnv, text: str) -> str:
    """`text` with the period's file ids (which differ between two fakes) as file names."""
    for ref in env.store().find(env.config.period.code):
        text = text.replace(ref.id, ref.name)
    return text


def ops(env: GoogleEnv) -> Counter[str]:
    return Counter(r.op for r in env.fake.requests if r.api in ("sheets", "drive"))


def test_the_first_validate_writes_feedback_while_it_still_reads(tmp_path, monkeypatch):
    env = handed_in(tmp_path)
    store = env.store()
    # Reads of the last batch wait (at most 10 s) until a write has been sent, so the order
    # does not depend on how threads happen to be scheduled: reading everything before
    # writing anything, as validate did before, fails here.
    wrote = threading.Event()
    reads = itertools.count(1)
    real_read, real_apply = store.read, store.apply

    def read(ref: FileRef, sheets: Any) -> Any:
        if next(reads) > 2 * BATCH:
            wrote.wait(timeout=10)
        return real_read(ref, sheets)

    def apply(ref: FileRef, patch: Any) -> None:
        real_apply(ref, patch)
        wrote.set()

    monkeypatch.setattr(store, "read", read)
    monkeypatch.setattr(store, "apply", apply)
    monkeypatch.setattr(env, "store", lambda: store)
    result = env.run("validate", "--format", "json", code=1)  # errors found (and a skip)
    assert json.loads(result.stdout)["summary"]["sections"] == SECTIONS - 1

    requests = [r for r in env.fake.requests if r.api in ("sheets", "drive")]
    kinds = [r.op for r in requests]
    reads_at = [n for n, k in enumerate(kinds) if k == "spreadsheets.get"]
    writes_at = [n for n, k in enumerate(kinds) if k == "spreadsheets.batchUpdate"]
    assert writes_at[0] < reads_at[-1]  # feedback went out before the last sections were read
    # ... and only into workbooks already read
    read_ids = [requests[n].path for n in reads_at]
    for n in writes_at:
        file_id = requests[n].path.split("/")[-1].split(":")[0]
        assert any(file_id in p for p in read_ids[:sum(r < n for r in reads_at)])
    # the budget of docs/design.md §6: the listing, one read per section (and one of the
    # copy, to compare), one write per section whose feedback changed (not the renamed one,
    # nor the one nobody has touched: it is left as distributed)
    assert ops(env) == Counter({"files.list": 1 + 2, "files.create": 1, "files.update": 1,
                                "spreadsheets.get": SECTIONS + 1,
                                "spreadsheets.batchUpdate": SECTIONS - 2})
    assert env.fake.count() == LOCK + 1 + (SECTIONS + 1) + (SECTIONS - 2)


@pytest.mark.parametrize("args", [[], ["--section", "bagian-1", "--section", "bagian-5",
                                       "--section", "bagian-6", "--section", "bagian-7",
                                       "--section", "bagian-8"]],
                         ids=["all", "some"])
def test_the_report_calls_and_sheets_are_those_of_reading_first(tmp_path, monkeypatch, args):
    """Two identical offices: one validated in batches overlapped with their writes, one
    reading every section first (as on a store that does not pace per bucket)."""
    streamed = handed_in(tmp_path / "streamed")
    flat = handed_in(tmp_path / "flat")
    outputs = []
    for env, overlap in ((streamed, True), (flat, False)):
        monkeypatch.setattr(validate_flow, "paces_by_bucket", lambda store, o=overlap: o)
        first = env.run("validate", "--format", "json", *args, code=None)
        calls = ops(env)
        env.fake.reset_counts()
        again = env.run("validate", *args, code=None)  # nothing new: nothing written
        outputs.append((first.exit_code, json.loads(first.stdout), by_name(env, first.stderr), calls,
                        again.exit_code, by_name(env, again.output), ops(env), sheets_by_section(env)))
    assert outputs[0] == outputs[1]
    first_calls, second_calls, sheets = outputs[0][3], outputs[0][6], outputs[0][7]
    assert first_calls["spreadsheets.batchUpdate"] > 0
    assert "spreadsheets.batchUpdate" not in second_calls
    feedback = sheets["bagian-6"][streamed.config.labels.sheet_validation]
    assert any("bukan angka" in str(cell) for row in feedback for cell in row)
