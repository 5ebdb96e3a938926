"""Benchmark: Google API calls per operation, counted on the in-process fake, at several sizes.

    python benchmarks/bench_google_calls.py

The budgets of docs/design.md §6 say the counts must not grow with the number of
indicators (I), and the watch cycle not with the number of sections (S) either.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sheets_sync.domain.models import Config  # noqa: E402
from sheets_sync.flows.distribute import distribute  # noqa: E402
from sheets_sync.flows.recap import recap  # noqa: E402
from sheets_sync.flows.validate import validate  # noqa: E402
from sheets_sync.flows.watch import Watcher  # noqa: E402
from tests.conftest import small_config_data  # noqa: E402
from tests.fakegoogle import FakeGoogle  # noqa: E402
from tests.google.test_google_support import make_store  # noqa: E402

PEP = "pep@setwan.example"
NOW = datetime(2026, 10, 5, 10, 0)


def measure(sections: int, indicators: int) -> dict[str, int]:
    fake = FakeGoogle(seed=1)
    data = small_config_data(sections, indicators)
    data["backend"] = {"kind": "google"}
    config = Config.model_validate(data)
    out: dict[str, int] = {}

    def count(label: str, action) -> None:  # type: ignore[no-untyped-def]
        fake.reset_counts()
        action(make_store(fake, PEP))  # a fresh store: as a new process would have
        out[label] = fake.count()

    count("distribute (fresh)", lambda s: distribute(config, s, NOW, workers=4))
    shares = fake.count(op="permissions.create")
    # A = the accounts actually shared per section (the PEP account owns the copies)
    accounts = {len(s.editors) for s in config.sections}
    assert shares == sum(len(s.editors) for s in config.sections) and len(accounts) == 1, shares
    out["A"] = accounts.pop()
    count("distribute (again)", lambda s: distribute(config, s, NOW, workers=4))
    count("validate (first: feedback written)", lambda s: validate(config, s))
    count("validate (again: nothing new)", lambda s: validate(config, s))
    count("recap (create)", lambda s: recap(config, s, NOW))
    count("recap (update)", lambda s: recap(config, s, NOW))
    store = make_store(fake, PEP)
    watcher = Watcher(config, store)
    watcher.cycle(NOW)
    fake.reset_counts()
    watcher.cycle(NOW)
    out["watch cycle, nothing changed"] = fake.count()
    return out


def main() -> None:
    sizes = [(5, 5), (5, 80), (40, 80)]
    started = time.perf_counter()
    results = {size: measure(*size) for size in sizes}
    accounts = {r.pop("A") for r in results.values()}
    labels = list(next(iter(results.values())))
    head = "operation".ljust(38) + "".join(f"S={s:>3} I={i:>3}".rjust(14) for s, i in sizes)
    print(head)
    for label in labels:
        print(label.ljust(38) + "".join(str(results[size][label]).rjust(14) for size in sizes))
    print(f"(accounts shared per section A = {', '.join(map(str, sorted(accounts)))}, counted; "
          f"{time.perf_counter() - started:.1f} s in all)")


if __name__ == "__main__":
    main()
