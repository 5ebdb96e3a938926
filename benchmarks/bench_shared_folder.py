"""Stress: the local backend on a shared folder (issue 8; figures in docs/reliability.md).

    python benchmarks/bench_shared_folder.py [--rounds 5] [--runs 6] [--seed 8]

Each round starts a fresh workspace (3 sections x 4 indicators), damages one section's
workbook (cut in half, as a half-finished save leaves it), then runs two `sync` processes at
once, each looping `validate` and `recap` (`--runs` commands each), while a third party, the
section, opens its workbook, checks that every value it saved before is still there, types
a new value and saves (as Excel saves: a new file renamed into place) every ~20 ms until both
are done. A last `recap` then checks the Audit sheet for duplicate rows. Prints one line per
round and the totals.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stress_shared import stress  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=6, help="commands per sync process")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    totals: Counter[str] = Counter()
    codes: Counter[int] = Counter()
    for n in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="sheets-sync-stress-") as folder:
            f = stress(Path(folder), runs=args.runs, seed=args.seed + n)
        print(json.dumps({"round": n + 1, **f.as_dict()}), file=sys.stderr)
        totals.update({"command runs": sum(f.runs.values()), "section saves": f.saves,
                       "values lost": f.values_lost, "audit rows": f.audit_rows,
                       "duplicates": f.duplicates,
                       "damaged file untouched (rounds)": int(f.damaged_untouched),
                       "damaged file reported (runs)": f.damaged_reported,
                       "section open retries": f.section_retries})
        codes.update(f.exit_codes)
    print(json.dumps({"rounds": args.rounds, **totals,
                      "exit codes": dict(sorted(codes.items()))}, indent=2))


if __name__ == "__main__":
    main()
