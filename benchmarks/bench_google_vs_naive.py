"""Benchmark: our design against a naive gspread script (naive.py), on the same fake and
the same data, with per-call latency: calls and time side by side, with the ratio.

    python benchmarks/bench_google_vs_naive.py [--sections 5 20 80] [--indicators 5 20 80]
                                               [--latency 0.15]

Time is virtual (virtual.py): the network latency and pacing waits on each job's critical
path, as a real network would make them; the computing time of the fake is left out. Our
design runs its I/O on 4 threads where the flows do; the naive script is sequential. No
pacing here (see bench_scale.py for the minutes at the default quota). Every job asserts
what it measured (sections copied, accounts shared, rows checked, issues found, feedback
written, recap rows) before a figure is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.jobs import JOBS, run_jobs  # noqa: E402


def ratio(naive: float, ours: float) -> str:
    if not ours:
        return "-"
    r = naive / ours
    return f"{r:.1f}x" if r < 10 else f"{r:.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, nargs="+", default=[5, 20, 80])
    parser.add_argument("--indicators", type=int, nargs="+", default=[5, 20, 80])
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per call")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"latency {args.latency * 1000:.0f} ms per call; time = latency on the critical path")
    print("| job | S | I | calls: ours | naive | ratio | time (s): ours | naive | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in args.sections:
        for i in args.indicators:
            pairs = run_jobs(s, i, latency=args.latency)
            for job in JOBS:
                p = pairs[job]
                print(f"| {job} | {s} | {i} | {p.ours.calls} | {p.naive.calls} | "
                      f"{ratio(p.naive.calls, p.ours.calls)} | {p.ours.seconds:.1f} | "
                      f"{p.naive.seconds:.1f} | {ratio(p.naive.seconds, p.ours.seconds)} |",
                      flush=True)
    print(f"({time.perf_counter() - started:.0f} s of real time in all)")


if __name__ == "__main__":
    main()
