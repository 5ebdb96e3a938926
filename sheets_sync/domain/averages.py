"""The one rule every mean of capaian follows, so that no summary can be lifted by a single
value. Pure.

A capaian enters a mean capped at `rekap.batas_capaian` (e.g. 120 %): one confirmed
over-achievement (10.000 %) must not hide every other indicator of its section, or the
office. The indicator's own capaian is never changed; only its weight in a mean is bounded.
Section means, the office mean and any later unit mean all ask `mean_of`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from sheets_sync.settings.strict import Strict

DEFAULT_CAP = 120.0


class RekapSettings(Strict):
    """`rekap:` in the config: how the recap summarises."""

    # The highest capaian (%) a value counts with in any mean; None = no cap.
    batas_capaian: float | None = Field(default=DEFAULT_CAP, gt=0)


@dataclass(frozen=True)
class Mean:
    value: float | None  # None: nothing to average
    count: int  # how many values it covers
    capped: int = 0  # how many of them were capped


def capped(value: float, cap: float | None) -> tuple[float, bool]:
    """The value a capaian counts with in a mean, and whether the cap applied."""
    if cap is not None and value > cap:
        return cap, True
    return value, False


def cap_note(cap: float) -> str:
    """Said next to an indicator whose capaian was capped in its section's mean."""
    shown = f"{cap:g}".replace(".", ",")
    return f"capaian dihitung {shown}% dalam rata-rata (batas rekap.batas_capaian)"


def mean_of(values: Iterable[float], cap: float | None) -> Mean:
    total, count, n_capped = 0.0, 0, 0
    for v in values:
        c, was = capped(v, cap)
        total += c
        count += 1
        n_capped += was
    if not count:
        return Mean(None, 0)
    return Mean(round(total / count, 2), count, n_capped)
