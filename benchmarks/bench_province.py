"""Benchmark: a province (issue 22 point 5): quota follows change, at 1,000 sections.

    python benchmarks/bench_province.py [--sections 1000] [--indicators 5] [--sources 5]

One world on the fake (benchmarks/harness.py) at Google's default quota (50 Sheets reads,
50 Sheets writes, 100 Drive calls a minute, bursts of 5) and 150 ms per call, on virtual
time. In the order a round goes: distribute; every section types and hands in (not
counted); validate (first); recap (first: created); validate with nothing changed; 10 % of
the sections change a value; validate; validate again (our own feedback writes moved those
files: read once more); validate with nothing changed; recap again (nothing changed); then
`sync consolidate` of `--sources` offices' recaps (this recap, as each source).

Per job: Google calls (asserted against what the job must have read and written before a
figure is printed), minutes on virtual time (what quota and latency make it take), the
project's own CPU time (the process's CPU time less the fake's handling of the requests,
measured around it) and the process's peak RSS so far (the fake's 1,000 spreadsheets
included: an upper bound for the service).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness import NOW, Measured, World  # noqa: E402
from sheets_sync.adapters.sources import SourceUnreadable, read_source  # noqa: E402
from sheets_sync.domain.models import Config  # noqa: E402
from sheets_sync.flows.consolidate import consolidate  # noqa: E402
from sheets_sync.flows.distribute import distribute  # noqa: E402
from sheets_sync.flows.recap import recap  # noqa: E402
from sheets_sync.flows.validate import validate  # noqa: E402
from sheets_sync.ports import Role  # noqa: E402
from sheets_sync.settings.backend import GoogleQuota  # noqa: E402
from tests.conftest import small_config_data  # noqa: E402
from tests.fakegoogle.transport import FakeAdapter  # noqa: E402


class FakeTime:
    """CPU time the fake spends handling requests (all threads), to leave it out."""

    def __init__(self) -> None:
        self.total = 0.0
        self._lock = threading.Lock()
        real = FakeAdapter._handle

        def timed(adapter: Any, request: Any, parts: Any) -> Any:
            start = time.thread_time()
            try:
                return real(adapter, request, parts)
            finally:
                with self._lock:
                    self.total += time.thread_time() - start

        FakeAdapter._handle = timed  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=5)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.15)
    args = parser.parse_args()
    s, i = args.sections, args.indicators
    fake_time = FakeTime()
    world = World(s, i, latency=args.latency, quota=GoogleQuota().model_dump())
    config = world.config
    rows: list[tuple[str, Measured, float]] = []

    def job(label: str, action: Any) -> Measured:
        cpu, fake = time.process_time(), fake_time.total
        m = world.measure(action)
        own = (time.process_time() - cpu) - (fake_time.total - fake)
        rows.append((label, m, own))
        print(f"{label}: {m.calls} calls", file=sys.stderr, flush=True)
        return m

    def reads(m: Measured) -> int:
        return (m.by_kind or {}).get("spreadsheets.get", 0)

    def writes(m: Measured) -> int:
        return (m.by_kind or {}).get("spreadsheets.batchUpdate", 0)

    world.template_id()
    m = job("distribute", lambda: distribute(config, world.store(), NOW, workers=4))
    assert len(m.result.outcomes) == s and (m.by_kind or {}).get("files.copy") == s
    ids = world.section_ids()
    assert len(ids) == s
    wrong = world.type_values(ids)

    def check(m: Measured, read: int, written: int) -> None:
        report = m.result
        assert len(report.sections) == s, len(report.sections)
        assert sum(x.rule == "angka-realisasi" for x in report.issues) >= wrong
        assert len(report.written) == written, (len(report.written), written)
        # the sections read (plus the recap's memory where a recap exists)
        assert reads(m) - (1 if recap_made else 0) == read, (reads(m), read)

    recap_made = False
    m = job("validate, first (feedback written)", lambda: validate(config, world.store(), now=NOW))
    check(m, s, s)
    m = job("recap, first (created)", lambda: recap(config, world.store(), NOW))
    assert m.result.created and len(m.result.recap.rows) == s * i
    recap_made = True
    # the listing: 1 call per 1,000 files (Drive's largest page), here S + template + recap
    pages = (s + 2 + 999) // 1000
    m = job("validate, nothing changed", lambda: validate(config, world.store(), now=NOW))
    check(m, 0, 0)
    assert m.calls == pages + 1 and (m.by_kind or {}).get("files.list") == pages, m.by_kind
    tenth = [sec.id for sec in config.sections[: max(1, s // 10)]]
    for section in tenth:
        world.type_values(ids, only=section, value=0.5)
    m = job("validate, 10 % changed", lambda: validate(config, world.store(), now=NOW))
    check(m, len(tenth), len(tenth))
    m = job("validate, after its own writes", lambda: validate(config, world.store(), now=NOW))
    check(m, len(tenth), 0)
    m = job("validate, nothing changed again",
            lambda: validate(config, world.store(), now=NOW))
    check(m, 0, 0)
    assert m.calls == pages + 1, m.by_kind
    m = job("recap, after the validates", lambda: recap(config, world.store(), NOW))
    assert not m.result.created and len(m.result.recap.rows) == s * i
    assert reads(m) == s + 1 and writes(m) == 1, m.by_kind
    # as `sync recap` does it: nothing changed since that write, nothing read or written
    m = job("recap, again (nothing changed)",
            lambda: recap(config, world.store(), NOW, need_data=False))
    assert m.result.recap is None and m.result.unchanged is not None
    assert reads(m) == 1 and writes(m) == 0 and m.calls == pages + 2, m.by_kind

    (ref,) = world.store().find(config.period.code, Role.recap)
    data = small_config_data(sections=0, consolidate={"sources": [
        {"name": f"OPD {k}", "recap": ref.id} for k in range(1, args.sources + 1)]})
    data["backend"] = {"kind": "google", "google": {"workers": 4}}
    province = Config.model_validate(data)
    store = world.store()

    def run_consolidate() -> Any:
        return consolidate(province, store,
                           lambda src, sheets: read_source(province, ROOT, store, src, sheets),
                           SourceUnreadable)

    m = job(f"consolidate, {args.sources} sources (created)", run_consolidate)
    assert not m.result.unreadable and len(m.result.sources) == args.sources
    assert reads(m) == args.sources, m.by_kind
    assert all(f.sections == s for f in m.result.sources), [f.sections for f in m.result.sources]

    print(f"S = {s}, I = {i}; default quota; {args.latency * 1000:.0f} ms per call; minutes "
          "on virtual time; own CPU = the process's CPU time less the fake's; peak RSS of the "
          "whole process so far (the fake's spreadsheets included)")
    print("| job | calls | Sheets reads | Sheets writes | minutes at the quota | "
          "own CPU (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, m, own in rows:
        print(f"| {label} | {m.calls} | {reads(m)} | {writes(m)} | {m.seconds / 60:.1f} | "
              f"{own:.1f} | {m.peak_mb:.0f} |")


if __name__ == "__main__":
    main()
