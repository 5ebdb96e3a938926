"""Steps that must stay linear as an office grows (issue 12): the recap's rendering and the
per-section look-ups. Each check compares the time of one size with four times that size,
best of several runs: linear work takes about 4x (up to 8x where caches fill), the quadratic
code this replaced took 16x.
(Ratios, not absolute times, so a slow shared machine does not make them fail.)"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from sheets_sync.adapters.google.render import cell_runs, cell_value
from sheets_sync.domain.models import Config
from tests.conftest import small_config_data


def _best(fn: Callable[[], object], runs: int = 5) -> float:
    best = float("inf")
    gc.disable()  # a collection in one run only would skew a ratio of milliseconds
    try:
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def _growth(make: Callable[[int], Callable[[], object]], small: int) -> float:
    """Time at 4 x `small` over the time at `small`."""
    fast, slow = make(small), make(4 * small)
    return _best(slow) / _best(fast)


def test_recap_cell_runs_grow_linearly_with_the_rows() -> None:
    def make(rows: int) -> Callable[[], object]:
        cells = {(r, c): cell_value(r * c) for r in range(2, rows + 2) for c in range(1, 5)}
        return lambda: cell_runs(3, cells, "userEnteredValue")

    assert _growth(make, 3000) < 11


def test_indicators_of_every_section_scans_the_indicators_once() -> None:
    """Counted, not timed: asking every section for its indicators walks the config's list
    once in all (an index), not once per section (the quadratic code this replaced)."""
    walks = 0

    class Counted(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            nonlocal walks
            walks += 1
            return super().__iter__()

    for sections in (60, 240):
        config = Config.model_validate(small_config_data(sections, 10))
        config.indicators = Counted(config.indicators)
        walks = 0
        found = [config.indicators_of(s.id) for s in config.sections]
        assert sum(map(len, found)) == sections * 10  # every section got its indicators
        assert walks == 1, (sections, walks)
