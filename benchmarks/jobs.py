"""The jobs compared, on two worlds of the same size and data (one for our design, one for
the naive script), each asserting what it measured before its figure is used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from benchmarks.harness import NOW, Measured, World
from sheets_sync.flows.distribute import distribute
from sheets_sync.flows.recap import recap
from sheets_sync.flows.validate import validate
from sheets_sync.flows.watch import Watcher
from sheets_sync.ports import Role

JOBS = ["distribute", "validate, all changed", "validate, one changed", "validate, none changed",
        "watch cycle, idle", "recap"]


@dataclass
class Pair:
    ours: Measured
    naive: Measured


def run_jobs(sections: int, indicators: int, *, latency: float = 0.15,
             quota: dict[str, int] | None = None,
             naive: bool = True) -> dict[str, Pair]:
    mine = World(sections, indicators, latency=latency, quota=quota)
    theirs = World(sections, indicators, latency=latency, quota=quota) if naive else None
    config = mine.config
    editors = sum(len(s.editors) for s in config.sections)
    out: dict[str, Pair] = {}
    skip = Measured(0, 0.0)

    # distribute: from an existing template (made beforehand, not counted)
    mine.template_id()
    ours = mine.measure(lambda: distribute(config, mine.store(), mine_now(), workers=4))
    assert len(ours.result.outcomes) == sections
    assert ours.by_kind.get("files.copy") == sections, ours.by_kind
    # accounts shared: each section's own editors (the PEP account owns the copies)
    assert ours.by_kind.get("permissions.create") == editors, (ours.by_kind, editors)
    theirs_m = skip
    if theirs:
        template = theirs.template_id()
        theirs_m = theirs.measure(lambda: theirs.naive.distribute(template))
        assert theirs_m.result == editors and theirs_m.by_kind.get("files.copy") == sections
    out["distribute"] = Pair(ours, theirs_m)

    ids = mine.section_ids()
    assert len(ids) == sections
    wrong = mine.type_values(ids)
    if theirs:
        assert theirs.type_values(theirs.naive.ids) == wrong

    def ours_validate(label: str, expect_written: int) -> None:
        m = mine.measure(lambda: validate(config, mine.store()))
        report = m.result
        assert len(report.sections) == sections
        typed = [i for i in report.issues if i.rule == "angka-realisasi"]
        assert len(typed) == wrong, (len(typed), wrong)
        assert len(report.written) == expect_written, (label, report.written)
        n = theirs.measure(theirs.naive.validate) if theirs else skip
        if theirs:
            rows, found = n.result
            assert rows == sections * indicators and found == len(report.issues), (rows, found)
        out[label] = Pair(m, n)

    ours_validate("validate, all changed", sections)
    one = config.sections[0].id
    mine.type_values(ids, only=one, value=0.9)
    if theirs:
        theirs.type_values(theirs.naive.ids, only=one, value=0.9)
    ours_validate("validate, one changed", 1)
    ours_validate("validate, none changed", 0)

    watcher = Watcher(config, mine.store())
    watcher.cycle(mine_now())  # first sight: reads everything
    watcher.cycle(mine_now())  # re-reads what its own writes moved, once
    ours = mine.measure(lambda: watcher.cycle(mine_now()))
    assert not ours.result.changed and not ours.result.recap_written
    theirs_m = skip
    if theirs:
        theirs.naive.watch_cycle()
        theirs_m = theirs.measure(theirs.naive.watch_cycle)
        assert theirs_m.result == 0
    out["watch cycle, idle"] = Pair(ours, theirs_m)

    recap(config, mine.store(), mine_now())  # creates it; the steady state is the update
    ours = mine.measure(lambda: recap(config, mine.store(), mine_now()))
    assert not ours.result.created and len(ours.result.recap.rows) == sections * indicators
    theirs_m = skip
    if theirs:
        recap(config, theirs.store(), mine_now())  # a recap spreadsheet for it to write into
        (ref,) = theirs.store().find(config.period.code, Role.recap)
        theirs_m = theirs.measure(lambda: theirs.naive.recap(ref.id))
        assert theirs_m.result == sections * indicators
    out["recap"] = Pair(ours, theirs_m)
    return out


def mine_now() -> datetime:
    return NOW
