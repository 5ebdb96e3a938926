"""Figures: whole flows on the Google fake, with faults and crashes, against the fault-free run.

    python benchmarks/google_faults.py            # the table of docs/reliability.md, "Google"
    python benchmarks/google_faults.py --runs 5   # fewer runs per row

A run is the SOP on 3 sections: distribute -> sections type -> validate -> recap -> a section
corrects a value -> validate -> recap. PEP re-runs a command that ended in an error (what its
message says to do), as often as needed. At the end the full state of the fake (files, their
tags, every cell and note, protections, charts, permissions, sharing e-mails sent) is compared
with the fault-free run's; Google's own ids and clock times are left out of the comparison.

Rows: random faults (429, 500, 503, timeouts before and after Google applied the request) at
10, 20 and 30 %, each with a fixed seed per run; and a kill (the process dies between two
calls) at every call boundary of distribute, validate and recap, then the command run again.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gspread  # noqa: E402

from sheets_sync.domain.models import Config  # noqa: E402
from sheets_sync.domain.worksheet import locate  # noqa: E402
from sheets_sync.flows.distribute import distribute  # noqa: E402
from sheets_sync.flows.memory import SHEET_MEMORY  # noqa: E402
from sheets_sync.flows.recap import recap  # noqa: E402
from sheets_sync.flows.validate import validate  # noqa: E402
from sheets_sync.ports import BackendError  # noqa: E402
from tests.conftest import small_config_data  # noqa: E402
from tests.fakegoogle import FakeGoogle  # noqa: E402
from tests.fakegoogle.crash import Killed, fork, kill_at, revive  # noqa: E402
from tests.google.test_google_support import make_store  # noqa: E402

PEP = "pep@setwan.example"
NOW = datetime(2026, 10, 7, 10, 0)
FAULTS = ("429", "500", "503", "timeout", "timeout_after_apply")
STEPS = ("distribute", "validate", "recap")
_TIME = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def config() -> Config:
    data = small_config_data(3, 4)
    data["backend"] = {"kind": "google"}
    return Config.model_validate(data)


# ---------------------------------------------------------------------- the scenario


def _type(fake: FakeGoogle, cfg: Config, section: str, values: dict[str, dict[str, Any]],
          status: str | None = None) -> None:
    """A section typing in its browser, as its own account (no fault: not our calls)."""
    store = make_store(fake, PEP)
    (ref,) = [r for r in store.find(cfg.period.code) if r.tags.section == section]
    who = cfg.section(section).editors[0]
    client = gspread.Client(None, session=fake.session(who))  # type: ignore[arg-type]
    ws = client.open_by_key(ref.id).worksheet(cfg.labels.sheet_worksheet)
    layout = locate(ws.get_all_values(), cfg.labels)
    codes = ws.col_values(layout.columns["code"])
    updates = []
    for code, cells in values.items():
        for key, value in cells.items():
            updates.append({"range": gspread.utils.rowcol_to_a1(codes.index(code) + 1,
                                                                 layout.columns[key]),
                            "values": [[value]]})
    if status:
        updates.append({"range": gspread.utils.rowcol_to_a1(*layout.header_cells["status"]),
                        "values": [[status]]})
    ws.batch_update(updates, value_input_option=gspread.utils.ValueInputOption.user_entered)
    fake.advance(60)


def typing(fake: FakeGoogle, cfg: Config, round_: int) -> None:
    if round_ == 1:
        for s in cfg.sections:
            _type(fake, cfg, s.id, {i.code: {"realisasi": i.target, "keterangan": "=1+1 teks"}
                                    for i in cfg.indicators_of(s.id)}, status="Selesai")
    else:
        _type(fake, cfg, "bagian-2", {"B2-01": {"realisasi": 55}})


def run_step(step: str, fake: FakeGoogle, cfg: Config) -> None:
    """One command, as a new process; PEP runs it again after an error (at most 8 times)."""
    for _ in range(8):
        store = make_store(fake, PEP)
        try:
            if step == "distribute":
                distribute(cfg, store, NOW)
            elif step == "validate":
                validate(cfg, store)
            else:
                recap(cfg, store, NOW)
            return
        except BackendError:
            continue
    raise RuntimeError(f"{step} still failing after 8 runs")


SCRIPT: list[tuple[str, int]] = [("distribute", 0), ("type", 1), ("validate", 0),
                                 ("recap", 0), ("type", 2), ("validate", 0), ("recap", 0)]


def scenario(fake: FakeGoogle, cfg: Config, *, faults: float = 0.0, seed: int = 0,
             kill: tuple[int, int] | None = None, start: int = 0,
             stop: int | None = None) -> None:
    """The SOP script (its steps `start` to `stop`). `faults`: the rate of random faults on
    the service's calls. `kill`: (index in SCRIPT, n): the process dies before its n-th call
    of that step, then the step is run again."""
    for index, (step, round_) in enumerate(SCRIPT[start:stop], start=start):
        if step == "type":
            fake.clear_faults()
            typing(fake, cfg, round_)
            continue
        if faults:
            fake.inject_faults(rate=faults, kinds=FAULTS, seed=seed * 100 + index)
        if kill and kill[0] == index:
            kill_at(fake, kill[1])
            with contextlib.suppress(Killed):  # the process died there
                run_step(step, fake, cfg)
            revive(fake)
        run_step(step, fake, cfg)
    fake.clear_faults()


# ---------------------------------------------------------------------- the state


def _unversioned(value: Any) -> Any:
    """A section's last result in the service's memory without the file version it was read
    at: like a clock time, the version depends on how many writes (retries included) a file
    took, not on anything a person sees (flows/memory.py). So does the state the last recap
    was made from (its files' versions), kept as a digest starting "r:"."""
    if isinstance(value, str) and value.startswith("r:"):
        return "<keadaan>"
    if isinstance(value, str) and value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return value
        if isinstance(data, dict):
            data.pop("v", None)
            return json.dumps(data, sort_keys=True)
    return value


def snapshot(fake: FakeGoogle) -> dict[str, Any]:
    """Everything a person could see in Drive and Sheets, without ids and clock times."""
    names = {f.id: f.name for f in fake.files.values()}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            if _TIME.match(value):
                return "<waktu>"
            for fid, name in names.items():
                value = value.replace(fid, f"<{name}>")
        return value

    files: dict[str, Any] = {}
    for f in sorted(fake.files.values(), key=lambda f: (f.name, f.created_time)):
        if f.trashed or not f.mime_type.endswith("spreadsheet"):
            continue
        ss = fake.spreadsheets.get(f.id)
        sheets: dict[str, Any] = {}
        for sheet in ss.sheets if ss else []:
            titles = {s.id: s.props.get("title") for s in ss.sheets} if ss else {}
            cells = {(r, c): plain(_shown(cell)) for r, row in sheet.cells.items()
                     for c, cell in row.items() if _shown(cell) is not None}
            protections = sorted(
                (titles.get(p.get("range", {}).get("sheetId")),
                 len(p.get("unprotectedRanges", [])),
                 tuple(sorted(p.get("editors", {}).get("users", []))))
                for p in sheet.protected)
            if sheet.props.get("title") == SHEET_MEMORY:
                cells = {pos: _unversioned(v) for pos, v in cells.items()}
            sheets[str(sheet.props.get("title"))] = {
                "hidden": bool(sheet.props.get("hidden")), "cells": cells,
                "protections": protections, "charts": len(sheet.charts)}
        key = f.name
        while key in files:
            key += " (lagi)"  # a duplicate shows as a second entry
        files[key] = {
            "tags": dict(sorted(f.app_properties.items())),
            "writers_can_share": f.writers_can_share,
            "permissions": sorted((p.type, p.email_address or p.domain, p.role)
                                  for p in f.permissions),
            "sheets": sheets,
        }
    mails = sorted(Counter((n.to, n.file_name) for n in fake.notifications).items())
    return {"files": files, "mails": mails}


def _shown(cell: dict[str, Any]) -> Any:
    entered = cell.get("userEnteredValue")
    note = cell.get("note")
    if entered is None and not note:
        return None
    value = next(iter(entered.values())) if entered else None
    return (value, note) if note else value


@dataclass
class Outcome:
    identical: bool
    values_lost: int
    duplicates: int
    orphans: int
    duplicate_mails: int


def judge(run: dict[str, Any], clean: dict[str, Any]) -> Outcome:
    files = run["files"]
    tagged = [f for f in files.values() if "sheets_sync_role" in f["tags"]]
    kinds = Counter((f["tags"].get("sheets_sync_role"), f["tags"].get("sheets_sync_section"))
                    for f in tagged)
    lost = 0
    for name, want in clean["files"].items():
        have = files.get(name, {}).get("sheets", {})
        for title, sheet in want["sheets"].items():
            got = have.get(title, {}).get("cells", {})
            lost += sum(1 for pos, v in sheet["cells"].items() if got.get(pos) != v)
    return Outcome(
        identical=run == clean,
        values_lost=lost,
        duplicates=sum(n - 1 for n in kinds.values()),
        orphans=len(files) - len(tagged),
        duplicate_mails=sum(n - 1 for _, n in run["mails"]),
    )


def clean_state(cfg: Config) -> dict[str, Any]:
    fake = FakeGoogle(seed=3)
    scenario(fake, cfg)
    return snapshot(fake)


def fault_runs(cfg: Config, rate: float, runs: int,
               clean: dict[str, Any]) -> list[Outcome]:
    out = []
    for seed in range(runs):
        fake = FakeGoogle(seed=3)
        scenario(fake, cfg, faults=rate, seed=seed + 1)
        out.append(judge(snapshot(fake), clean))
    return out


def kill_runs(cfg: Config, step: str, limit: int | None = None) -> list[Outcome]:
    """A kill at every call boundary of the first `step` of the script (the first `limit`
    boundaries), the step then run again; judged against the same step without a kill."""
    index = next(i for i, (s, _) in enumerate(SCRIPT) if s == step)
    before = FakeGoogle(seed=3)
    scenario(before, cfg, stop=index)
    calm = fork(before)
    scenario(calm, cfg, start=index, stop=index + 1)
    calls = len(calm.requests)  # a fork starts with an empty request log
    clean = snapshot(calm)
    out = []
    for n in range(1, min(calls, limit or calls) + 1):
        fake = fork(before)
        scenario(fake, cfg, kill=(index, n), start=index, stop=index + 1)
        out.append(judge(snapshot(fake), clean))
    return out


def table(runs: int = 20, progress: Callable[[str], None] = print) -> list[list[Any]]:
    cfg = config()
    clean = clean_state(cfg)
    rows: list[list[Any]] = []

    def row(label: str, outcomes: list[Outcome]) -> None:
        rows.append([label, len(outcomes), sum(o.identical for o in outcomes),
                     sum(o.values_lost for o in outcomes), sum(o.duplicates for o in outcomes),
                     sum(o.orphans for o in outcomes),
                     sum(o.duplicate_mails for o in outcomes)])
        progress(" | ".join(str(x) for x in rows[-1]))

    for rate in (0.1, 0.2, 0.3):
        row(f"gangguan acak {int(rate * 100)} % (termasuk jawaban hilang)",
            fault_runs(cfg, rate, runs, clean))
    for step in STEPS:
        row(f"proses mati di setiap batas panggilan: {step}", kill_runs(cfg, step))
    return rows


def main(argv: list[str]) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 20
    print("| kasus | runs | identical | values lost | duplicates | orphans | duplicate e-mails |")
    print("|---|---|---|---|---|---|---|")
    for r in table(runs, progress=lambda _: None):
        print("| " + " | ".join(str(x) for x in r) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
