"""A shared folder under load: two sync commands in their own processes, looping, while a
section saves its workbook again and again (as Excel saves: a whole new file, renamed into
place), and another section's workbook is damaged. Used by the suite (small, bounded) and by
`benchmarks/bench_shared_folder.py` (the figures in docs/reliability.md).

What is counted:
- values lost: a value the section saved that is not in the file when the section (or the
  final check) opens it again;
- duplicates: Audit rows of the recap that appear more than once;
- the damaged workbook: never written, reported every run, and no command crashed on it.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.conftest import small_config_data, write_config

NOW = "2026-10-07T10:00"
SECTION, DAMAGED = "bagian-1", "bagian-3"
FIRST_ROW, ROWS = 10, 4
REALISASI, KETERANGAN = "G", "I"


@dataclass
class Figures:
    runs: Counter[str] = field(default_factory=Counter)  # command -> runs
    exit_codes: Counter[int] = field(default_factory=Counter)
    saves: int = 0
    section_retries: int = 0  # the section's open failed for an instant (file being swapped)
    values_lost: int = 0
    duplicates: int = 0
    audit_rows: int = 0  # the Audit rows written (duplicates are counted among them)
    damaged_untouched: bool = False
    damaged_reported: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"runs": dict(self.runs), "exit_codes": dict(sorted(self.exit_codes.items())),
                "section_saves": self.saves, "section_retries": self.section_retries,
                "values_lost": self.values_lost, "audit_rows": self.audit_rows,
                "duplicates": self.duplicates,
                "damaged_untouched": self.damaged_untouched,
                "damaged_reported": self.damaged_reported, "seconds": round(self.seconds, 1)}


def _cli(config: Path, *args: str) -> int:
    """One command as a separate run would do it (a fresh App and store); its exit code."""
    from sheets_sync.cli import main

    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            rv = main.main(["--config", str(config), *args], standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return rv if isinstance(rv, int) else 0


def _worker(config: Path, commands: list[str], runs: int, out: Any) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.environ["SHEETS_SYNC_NOW"] = NOW
    from sheets_sync.adapters.local import period_lock

    period_lock.DEFAULT_WAIT = 120.0  # queue behind the other command, as a person would wait
    codes = []
    for n in range(runs):
        command = commands[n % len(commands)]
        codes.append((command, _cli(config, command)))
    out.put(codes)


def _open(path: Path, figures: Figures) -> Any:
    for _ in range(200):
        try:
            return load_workbook(path)
        except Exception:  # an instant where the service swaps the file in: open again
            figures.section_retries += 1
            time.sleep(0.005)
    raise AssertionError(f"{path} could not be opened")


def _section_saves(path: Path, expected: dict[int, int], figures: Figures, n: int) -> None:
    wb = _open(path, figures)
    ws = wb["Kertas Kerja"]
    for row, value in expected.items():
        if ws[f"{REALISASI}{row}"].value != value:
            figures.values_lost += 1
    row = FIRST_ROW + n % ROWS
    value = n + 1
    ws[f"{REALISASI}{row}"] = value
    ws[f"{KETERANGAN}{row}"] = f"simpan ke-{value}"
    for r in range(FIRST_ROW, FIRST_ROW + ROWS):  # what this save holds: our latest values
        expected[r] = ws[f"{REALISASI}{r}"].value if r != row else value
    tmp = path.with_name(f"~tmp{n}.xlsx.part")  # Excel writes beside, then renames
    wb.properties.lastModifiedBy = "Budi"
    wb.save(tmp)
    os.replace(tmp, path)
    figures.saves += 1


def stress(folder: Path, *, runs: int = 3, min_saves: int = 20, max_saves: int = 2000,
           pause: float = 0.02, seed: int = 8) -> Figures:
    """Run the scenario in `folder`; the figures say what happened."""
    from sheets_sync.adapters.local import LocalStore
    from sheets_sync.ports import Role

    rng = random.Random(seed)
    config = write_config(folder, small_config_data(sections=3, indicators=ROWS))
    os.environ["SHEETS_SYNC_NOW"] = NOW
    assert _cli(config, "distribute") == 0
    store = LocalStore(folder / "config" / "workspace")
    refs = {r.tags.section: Path(r.id) for r in store.find("2026-TW3", Role.section)}
    path, damaged = refs[SECTION], refs[DAMAGED]
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # half-saved
    damaged_bytes = damaged.read_bytes()

    figures = Figures()
    started = time.monotonic()
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(config, ["validate", "recap"], runs, out)),
               ctx.Process(target=_worker, args=(config, ["recap", "validate"], runs, out))]
    for w in workers:
        w.start()
    expected: dict[int, int] = {}
    n = 0
    while n < max_saves and (n < min_saves or any(w.is_alive() for w in workers)):
        _section_saves(path, expected, figures, n)
        n += 1
        time.sleep(pause * rng.uniform(0.5, 1.5))
    results = [out.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    for codes in results:
        for command, code in codes:
            figures.runs[command] += 1
            figures.exit_codes[code] += 1

    # The final state, as a fresh run sees it.
    final = _open(path, figures)["Kertas Kerja"]
    figures.values_lost += sum(final[f"{REALISASI}{r}"].value != v for r, v in expected.items())
    code = _cli(config, "recap")
    figures.runs["recap"] += 1
    figures.exit_codes[code] += 1
    (recap,) = store.find("2026-TW3", Role.recap)
    audit = [tuple(r) for r in store.read(recap, ["Audit"]).get("Audit", [])[1:] if any(r)]
    figures.audit_rows = len(audit)
    figures.duplicates = sum(c - 1 for c in Counter(audit).values() if c > 1)
    figures.damaged_untouched = damaged.read_bytes() == damaged_bytes
    figures.damaged_reported = figures.exit_codes[4]
    figures.seconds = time.monotonic() - started
    return figures
