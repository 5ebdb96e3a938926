"""Benchmark: `sync validate` on the local backend, 80 sections x 80 indicators.

    python benchmarks/bench_local_validate.py [--sections 80] [--indicators 80]

Sets up a workspace (distribute, then every section fills every row, a few wrong), then
times `sync validate` in a fresh process (first run: feedback written into every workbook;
second run: nothing changed, nothing written) and reports wall time and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import small_config_data, write_config  # noqa: E402


def setup(folder: Path, sections: int, indicators: int) -> Path:
    cfg = write_config(folder, small_config_data(sections, indicators))
    env = {**os.environ, "SHEETS_SYNC_NOW": "2026-10-07T10:00"}
    subprocess.run([sys.executable, "-m", "sheets_sync", "--config", str(cfg), "distribute"],
                   check=True, env=env, capture_output=True)
    data = yaml.safe_load(cfg.read_text())
    targets = {i["code"]: i["target"] for i in data["indicators"]}
    for n, path in enumerate(sorted((folder / "workspace" / "2026-TW3" / "kertas-kerja").glob("*.xlsx"))):
        wb = load_workbook(path)
        ws = wb["Kertas Kerja"]
        for row in range(10, 10 + indicators):
            code = ws.cell(row, 2).value
            ws.cell(row, 7).value = "salah" if (row + n) % 37 == 0 else targets[code] * 0.95
            ws.cell(row, 9).value = "Sesuai rencana"
            ws.cell(row, 10).value = "https://drive.example/bukti.pdf"
        ws["B7"] = "Selesai"
        wb.save(path)
    return cfg


def timed(cfg: Path) -> tuple[float, float, float]:
    env = {**os.environ, "SHEETS_SYNC_NOW": "2026-10-07T10:00"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c",
         "import resource, sys; from sheets_sync.cli import main\n"
         "try:\n    main(['--config', sys.argv[1], 'validate'])\n"
         "except SystemExit:\n    pass\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
         " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)",
         str(cfg)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    main_kb, worker_kb = map(int, proc.stderr.strip().splitlines()[-1].split())
    return elapsed, main_kb / 1024, worker_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=80)
    parser.add_argument("--indicators", type=int, default=80)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        cfg = setup(Path(tmp), args.sections, args.indicators)
        print(f"setup ({args.sections} x {args.indicators}): {time.perf_counter() - t0:.1f} s")
        for label in ("validate, first run (feedback written)", "validate, re-run (no change)"):
            elapsed, peak, worker = timed(cfg)
            workers = min(4, os.cpu_count() or 1)
            print(f"{label}: {elapsed:.2f} s; peak RSS {peak:.0f} MB main process, "
                  f"{worker:.0f} MB largest of {workers} worker processes "
                  f"(at most {peak + workers * worker:.0f} MB together)")


if __name__ == "__main__":
    main()
