"""Benchmark: `sync validate` and `sync recap` on the local backend, S sections x I indicators.

    python benchmarks/bench_local_validate.py [--sections 80] [--indicators 80] [--runs 3]

Sets up a workspace (distribute, then every section fills every row, one in 37 with text
where a number belongs, and sets `Selesai`), then times each command in a fresh process
(`validate` first run: feedback written into every workbook; `validate` re-run: nothing
changed; `recap`, rewritten with `--force` and with nothing changed). Before printing
anything it checks that it measured what it says: every section was found filled, the
rows read are S x I, the issues found are exactly the values it typed wrong, feedback was
written into every workbook, the recap holds S x I rows.
Reports the median wall time of `--runs` runs and the peak RSS: the first validate and the
first recap on `--runs` copies of the filled workspace (they happen once per workspace), the
re-runs and recap updates `--runs` times on the last copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sheets_sync.adapters.local import LocalStore  # noqa: E402
from sheets_sync.config import load_config  # noqa: E402
from sheets_sync.domain.worksheet import locate  # noqa: E402
from sheets_sync.ports import Role  # noqa: E402
from tests.conftest import small_config_data, write_config  # noqa: E402

NOW = "2026-10-07T10:00"
WRONG_EVERY = 37  # one row in 37 gets text where a number belongs
CPU: list[float] = []  # CPU seconds of each timed run, its worker processes included


def setup(folder: Path, sections: int, indicators: int) -> tuple[Path, int]:
    """The workspace, filled; returns the config path and how many values were typed wrong."""
    cfg = write_config(folder, small_config_data(sections, indicators))
    env = {**os.environ, "SHEETS_SYNC_NOW": NOW}
    subprocess.run([sys.executable, "-m", "sheets_sync", "--config", str(cfg), "distribute"],
                   check=True, env=env, capture_output=True)
    config = load_config(cfg)
    labels = config.labels
    targets = {i.code: i.target for i in config.indicators}
    # Ask the store where the workbooks are (the benchmark once guessed a folder and
    # measured 80 empty workbooks).
    store = LocalStore(cfg.parent / config.backend.local.workspace)
    refs = sorted(store.find(config.period.code, Role.section), key=lambda r: r.tags.section)
    assert len(refs) == sections, f"{len(refs)} workbooks found, {sections} distributed"
    wrong = 0
    for n, ref in enumerate(refs):
        wb = load_workbook(ref.id)
        ws = wb[labels.sheet_worksheet]
        layout = locate([list(r) for r in ws.iter_rows(values_only=True)], labels)
        cols = layout.columns
        filled = 0
        for row in range(layout.first_row, ws.max_row + 1):
            code = ws.cell(row, cols["code"]).value
            if code not in targets:
                continue
            if (row + n) % WRONG_EVERY == 0:
                ws.cell(row, cols["realisasi"]).value = "salah"
                wrong += 1
            else:
                ws.cell(row, cols["realisasi"]).value = targets[code] * 0.95
            ws.cell(row, cols["keterangan"]).value = "Sesuai rencana"
            ws.cell(row, cols["bukti"]).value = "https://drive.example/bukti.pdf"
            filled += 1
        assert filled == indicators, f"{ref.tags.section}: {filled} rows filled"
        ws.cell(*layout.header_cells["status"]).value = labels.status_done
        wb.save(ref.id)
    return cfg, wrong


def command_env() -> dict[str, str]:
    """As on an office PC, where the installed package has its compiled bytecode: a machine
    set to PYTHONDONTWRITEBYTECODE would compile every module on every command."""
    env = {**os.environ, "SHEETS_SYNC_NOW": NOW}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cfg: Path, command: str, fmt: str = "json") -> tuple[float, float, float, Any]:
    """Wall time, peak RSS of the main process and of the largest worker (MB), and the
    output (JSON parsed; `fmt="table"`: the text)."""
    env = command_env()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c",
         "import resource, sys; from sheets_sync.cli import main\n"
         "try:\n    main(['--config', sys.argv[1], *sys.argv[2].split(), '--format',"
         " sys.argv[3]])\n"
         "except SystemExit:\n    pass\n"
         "me, kids = (resource.getrusage(w) for w in"
         " (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
         "print(me.ru_maxrss, kids.ru_maxrss,"
         " me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, file=sys.stderr)",
         str(cfg), command, fmt], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    main_kb, worker_kb, cpu = proc.stderr.strip().splitlines()[-1].split()
    CPU.append(float(cpu))
    out = json.loads(proc.stdout) if fmt == "json" else proc.stdout
    return elapsed, int(main_kb) / 1024, int(worker_kb) / 1024, out


def check_validate(out: Any, sections: int, wrong: int) -> None:
    summary = out["summary"]
    assert summary["sections"] == sections, summary
    typed_wrong = [i for i in out["issues"] if i.get("column") == "Realisasi"
                   and i["severity"] == "error"]
    assert len(typed_wrong) == wrong, (len(typed_wrong), wrong)


def check_feedback(cfg: Path, wrong: int) -> None:
    """Every workbook's Validasi sheet lists its section's issues: feedback really written."""
    config = load_config(cfg)
    store = LocalStore(cfg.parent / config.backend.local.workspace)
    listed = 0
    for ref in store.find(config.period.code, Role.section):
        grid = store.read(ref, [config.labels.sheet_validation])[config.labels.sheet_validation]
        listed += sum(1 for row in grid if any(v == "salah" for v in row if v is not None)
                      or any(isinstance(v, str) and "salah" in v for v in row))
    assert listed >= wrong, f"feedback lists {listed} wrong values of {wrong}"


def check_recap(out: Any, sections: int, indicators: int, wrong: int) -> None:
    assert len(out["sections"]) == sections, len(out["sections"])
    rows = out["rows"]
    assert len(rows) == sections * indicators, len(rows)
    counted = sum(1 for row in rows if row["capaian"] is not None)
    assert counted == sections * indicators - wrong, (counted, sections * indicators - wrong)


Row = tuple[str, list[float], list[float], float, float]  # label, times, CPU, RSS main, worker


def measure(label: str, runs: list[tuple[float, float, float]], cpu: list[float]) -> Row:
    times = [t for t, _, _ in runs]
    return (label, times, cpu, max(m for _, m, _ in runs), max(w for _, _, w in runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=80)
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    s, i = args.sections, args.indicators
    workers = min(4, os.cpu_count() or 1)
    samples: dict[str, list[tuple[float, float, float]]] = {}
    cpus: dict[str, list[float]] = {}

    def run(key: str, cfg: Path, command: str, fmt: str = "json") -> Any:
        elapsed, main_mb, worker_mb, out = timed(cfg, command, fmt)
        samples.setdefault(key, []).append((elapsed, main_mb, worker_mb))
        cpus.setdefault(key, []).append(CPU[-1])
        return out

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        base = Path(tmp) / "filled"
        base.mkdir()
        cfg, wrong = setup(base, s, i)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sheets_sync")],
                       check=True, env=command_env())
        print(f"setup ({s} x {i}, {s} sections filled, {wrong} values typed wrong): "
              f"{time.perf_counter() - t0:.1f} s")
        # A first validate and a first recap happen once per workspace: each run gets its
        # own copy of the filled workspace.
        for n in range(args.runs):
            copy = Path(tmp) / f"run-{n}"
            shutil.copytree(base, copy, symlinks=True)
            run_cfg = copy / cfg.relative_to(base)
            check_validate(run("first", run_cfg, "validate"), s, wrong)
            check_feedback(run_cfg, wrong)
            check_recap(run("recap-first", run_cfg, "recap"), s, i, wrong)
        for _ in range(args.runs):
            check_validate(run("again", run_cfg, "validate"), s, wrong)
        for _ in range(args.runs):  # --force: rewritten although nothing changed
            check_recap(run("recap-again", run_cfg, "recap --force"), s, i, wrong)
        for _ in range(args.runs):  # as PEP runs it: nothing changed, nothing read
            out = run("recap-idle", run_cfg, "recap", "table")
            assert "Rekap sudah terbaru" in out, out
    rows = [measure(label, samples[key], cpus[key]) for key, label in (
        ("first", "validate, first run (feedback written)"),
        ("again", "validate, re-run (nothing changed)"),
        ("recap-first", "recap, first (recap workbook created)"),
        ("recap-again", "recap, update (recap workbook rewritten, --force)"),
        ("recap-idle", "recap, nothing changed (nothing read or written)"))]
    print(f"checked: {s * i} rows read, {wrong} wrong values found and written back as "
          f"feedback in {s} workbooks, recap of {s * i} rows ({s * i - wrong} counted)")
    for label, times, cpu, peak, worker in rows:
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label}: median {statistics.median(times):.2f} s (runs: {runs}); CPU median "
              f"{statistics.median(cpu):.2f} s; peak RSS "
              f"{peak:.0f} MB main process, {worker:.0f} MB largest of up to {workers} workers "
              f"(at most {peak + workers * worker:.0f} MB together)")


if __name__ == "__main__":
    main()
