"""Benchmark: the local recap's read and writes, the fast way against the plain openpyxl way.

    python benchmarks/bench_local_recap_write.py [--sections 80] [--indicators 80]

For S sections x I indicators, every row filled: the recap's patch (`recap_patch`), then in a
temp workspace, each way in turn: create the recap (`LocalStore.create`), read it as the
recap flow does before an update (`LocalStore.read` of Rekap Indikator, _audit, _triwulan),
and update it (`LocalStore.apply`, with 200 audit lines and the watcher's `_watch` sheet).
Fast: cleared sheets not parsed, large cleared sheets' cells written as XML, cells found by
pattern (the front door's `xlsx.SHORTCUTS`, all on). Plain: openpyxl for everything, the
XML parser for the read. Before printing, it checks both ways read back the same grids.
Times are wall and CPU seconds of this process (no pool is used).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_recap_render import _filled  # noqa: E402
from sheets_sync.adapters.local import LocalStore, xlsx  # noqa: E402
from sheets_sync.domain.calendar import fill_deadline, sop_schedule  # noqa: E402
from sheets_sync.domain.models import Config  # noqa: E402
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch  # noqa: E402
from sheets_sync.domain.quarters import attach  # noqa: E402
from sheets_sync.domain.recap import build_recap  # noqa: E402
from sheets_sync.domain.recap_layout import recap_patch  # noqa: E402
from sheets_sync.domain.rules.history import History  # noqa: E402
from sheets_sync.ports import ALL_SHEETS, Role, Tags  # noqa: E402
from tests.conftest import small_config_data  # noqa: E402

NOW = datetime(2026, 10, 7, 10, 0)
READ = ["Rekap Indikator", "_audit", "_triwulan"]


@contextmanager
def plain() -> Iterator[None]:
    """openpyxl loads, renders and saves everything; the XML parser reads."""
    saved = xlsx.SHORTCUTS
    xlsx.SHORTCUTS = xlsx.Shortcuts(skip_cleared=False, bulk_from=10**9, scan=False)
    try:
        yield
    finally:
        xlsx.SHORTCUTS = saved


def patches(sections: int, indicators: int) -> tuple[WorkbookPatch, WorkbookPatch]:
    config = Config.model_validate(small_config_data(sections, indicators))
    sheets = {sec.id: _filled(config, sec.id) for sec in config.sections}
    data = build_recap(config, sheets, [], fill_deadline(config), NOW)
    attach(config, data.rows, History())  # TW I-IV and the year to date, as the flow does
    schedule = sop_schedule(config)
    create = recap_patch(config, data, schedule, NOW, [], with_audit_header=True, audited={})
    lines: list[list[Any]] = [[NOW.isoformat(), "bagian-1", f"B1-{n:02d}", "Realisasi", "Budi",
                               n, n + 1] for n in range(200)]
    update = recap_patch(config, data, schedule, NOW, lines, with_audit_header=False,
                         audited={})
    watch = SheetPatch("_watch", clear=True, hidden=True)
    watch.put_table(1, 1, [["file", f"f{n}", NOW.isoformat()] for n in range(sections)])
    update.sheets.append(watch)
    return create, update


def timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = step()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def run(folder: Path, create: WorkbookPatch, update: WorkbookPatch) -> tuple[list[Any], Any]:
    store = LocalStore(folder, processes=1)
    made = timed(lambda: store.create("Rekap", Tags(Role.recap, "2026-TW3"), create))
    ref = made[2]
    read = timed(lambda: store.read(ref, READ))
    applied = timed(lambda: store.apply(ref, update))
    return [made[:2], read[:2], applied[:2]], xlsx.read(Path(ref.id), (ALL_SHEETS,))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=80)
    parser.add_argument("--indicators", type=int, default=80)
    args = parser.parse_args()
    create, update = patches(args.sections, args.indicators)
    cells = sum(len(sp.values) for sp in create.sheets)
    with tempfile.TemporaryDirectory() as tmp:
        with plain():
            slow, slow_grids = run(Path(tmp) / "plain", create, update)
        fast, fast_grids = run(Path(tmp) / "fast", create, update)
    assert fast_grids == slow_grids, "both ways must read back the same recap"
    rows = len(fast_grids["Rekap Indikator"]) - 1
    assert rows == args.sections * args.indicators, rows
    print(f"checked: the same recap both ways, {rows} indicator rows, {cells} cells written")
    print("| step | plain wall (s) | plain CPU (s) | fast wall (s) | fast CPU (s) |")
    print("|---|---:|---:|---:|---:|")
    for label, (sw, sc), (fw, fc) in zip(("create", "read before update", "update"), slow, fast,
                                         strict=True):
        print(f"| {label} | {sw:.2f} | {sc:.2f} | {fw:.2f} | {fc:.2f} |")


if __name__ == "__main__":
    main()
