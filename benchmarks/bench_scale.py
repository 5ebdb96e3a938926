"""Benchmark: a province-wide office on the fake, at Google's default quota.

    python benchmarks/bench_scale.py [--sections 80 100 200 400] [--indicators 80]
                                     [--naive-at 80 400] [--latency 0.15]

Each size runs in a fresh process (so its peak RSS is its own): every job of jobs.py by our
design, and by the naive script at the sizes of `--naive-at`, with the limiter on at the
default quota (backend.google.quota: 50 Sheets reads, 50 Sheets writes, 100 Drive calls a
minute) and 150 ms per call, on virtual time: the minutes are what the quota and the
latency make each job take. Peak RSS is the whole process's, the fake's spreadsheets
included. Calls per section at each size show that nothing grows faster than S.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.jobs import JOBS, run_jobs  # noqa: E402
from sheets_sync.settings.backend import GoogleQuota  # noqa: E402


def one(sections: int, indicators: int, latency: float, naive: bool) -> dict[str, list[float]]:
    quota = GoogleQuota().model_dump()
    started = time.perf_counter()
    pairs = run_jobs(sections, indicators, latency=latency, quota=quota, naive=naive)
    out = {job: [p.ours.calls, p.ours.seconds, p.ours.peak_mb, p.naive.calls, p.naive.seconds]
           for job, p in pairs.items()}
    out["_real_seconds"] = [time.perf_counter() - started]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, nargs="+", default=[80, 100, 200, 400])
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--naive-at", type=int, nargs="*", default=[80, 400])
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args()
    i = args.indicators
    if args.one is not None:
        print(json.dumps(one(args.one, i, args.latency, args.one in args.naive_at)))
        return
    results = {}
    for s in args.sections:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(s), "--indicators", str(i),
             "--latency", str(args.latency), "--naive-at", *map(str, args.naive_at)],
            capture_output=True, text=True)
        if child.returncode:
            print(f"S={s} failed:\n{child.stderr[-3000:]}", file=sys.stderr, flush=True)
            continue
        results[s] = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"S={s} done in {results[s]['_real_seconds'][0]:.0f} s", file=sys.stderr,
              flush=True)
    print(f"I = {i}; default quota; {args.latency * 1000:.0f} ms per call; minutes on "
          "virtual time; peak RSS of the whole process (fake included) after the job")
    print("| job | S | calls: ours | calls per section | minutes: ours | peak RSS (MB) | "
          "calls: naive | minutes: naive | ratio (minutes) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s, res in results.items():
        for job in JOBS:
            calls, secs, peak, ncalls, nsecs = res[job]
            naive = (f"{ncalls:.0f} | {nsecs / 60:.1f} | {nsecs / secs:.1f}x" if ncalls
                     else "- | - | -")
            print(f"| {job} | {s} | {calls:.0f} | {calls / s:.2f} | {secs / 60:.1f} | "
                  f"{peak:.0f} | {naive} |")


if __name__ == "__main__":
    main()
