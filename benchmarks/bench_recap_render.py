"""Benchmark: building and rendering the recap, per row, from 500 to 32,000 rows.

    python benchmarks/bench_recap_render.py [--rows 500 1000 2000 4000 8000 16000 32000]

For each size: a config of rows/80 sections x 80 indicators, the recap computed
(`build_recap`), its patch (`recap_patch`) and the Google batchUpdate requests (`render`, a
new spreadsheet and an update of an existing one). No I/O: this is the project's own code.
Linear work shows as a flat time per row. Asserts that the patch holds a row per indicator.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sheets_sync.adapters.google.render import Book, SheetInfo, render  # noqa: E402
from sheets_sync.domain.calendar import fill_deadline, sop_schedule  # noqa: E402
from sheets_sync.domain.models import Config  # noqa: E402
from sheets_sync.domain.recap import SHEET_INDICATORS, build_recap  # noqa: E402
from sheets_sync.domain.recap_layout import recap_patch  # noqa: E402
from sheets_sync.domain.worksheet import (  # noqa: E402
    TABLE_COLUMNS,
    SectionSheet,
    column_label,
    header_label,
    parse_section,
)
from tests.conftest import small_config_data  # noqa: E402

NOW = datetime(2026, 10, 7, 10, 0)


def _filled(config: Config, section_id: str) -> SectionSheet:
    """A section's worksheet as read back, every row filled (95 % of its target)."""
    labels = config.labels
    keys = [k for k in TABLE_COLUMNS]
    grid: list[list[object]] = [[header_label(labels, "status"), labels.status_done], [],
                                [column_label(labels, k) for k in keys]]
    for ind in config.indicators_of(section_id):
        row = {"code": ind.code, "indicator": ind.name, "unit": ind.unit,
               "target": ind.target, "realisasi": (ind.target or 0) * 0.95}
        grid.append([row.get(k) for k in keys])
    sheet = parse_section(section_id, {labels.sheet_worksheet: grid}, labels)
    assert len(sheet.rows) == len(config.indicators_of(section_id))
    return sheet


def one(rows: int) -> tuple[int, float, float, float]:
    indicators = 80 if rows >= 80 else rows
    config = Config.model_validate(small_config_data(max(1, rows // indicators), indicators))
    rows = len(config.indicators)  # a whole number of sections
    schedule = sop_schedule(config)
    sheets = {sec.id: _filled(config, sec.id) for sec in config.sections}
    start = time.perf_counter()
    data = build_recap(config, sheets, [], fill_deadline(config), NOW)
    patch = recap_patch(config, data, schedule, NOW, [], with_audit_header=True, audited={})
    built = time.perf_counter() - start
    sheet = next(sp for sp in patch.sheets if sp.title == SHEET_INDICATORS)
    assert max(r for r, _ in sheet.values) > rows, "a row per indicator"
    assert sum(1 for r in data.rows if r.capaian is not None) == rows, "every row counted"
    start = time.perf_counter()
    rendered = render(patch, Book({"": SheetInfo(0, "")}), new_file=True)
    created = time.perf_counter() - start
    book = rendered.book
    start = time.perf_counter()
    render(patch, book)
    updated = time.perf_counter() - start
    return rows, built, created, updated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+",
                        default=[500, 1000, 2000, 4000, 8000, 16000, 32000])
    args = parser.parse_args()
    print("| rows | build (s) | render, new (s) | render, update (s) | total per row (ms) |")
    print("|---:|---:|---:|---:|---:|")
    for rows in args.rows:
        rows, built, created, updated = one(rows)
        total = built + created + updated
        print(f"| {rows:,} | {built:.2f} | {created:.2f} | {updated:.2f} | "
              f"{total / rows * 1000:.3f} |", flush=True)


if __name__ == "__main__":
    main()
