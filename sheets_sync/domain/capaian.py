"""Achievement (capaian) and rating (predikat), as practised in Indonesian performance reports.

- positif (higher is better): R / T x 100
- negatif (lower is better): (2T - R) / T x 100, floored at 0
- rentang [a, b]: 100 inside; below a measured as positif against a, above b as negatif
  against b
- T = 0, a missing R, or text where a number belongs: "tidak dapat dihitung", never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.domain.models import Indicator, Polarity, RatingScheme
from sheets_sync.domain.numbers import is_percent_unit, parse_number

NOT_COMPUTABLE = "tidak dapat dihitung"


@dataclass(frozen=True)
class Capaian:
    value: float | None  # percent, rounded to 2 decimals
    reason: str = ""  # why it could not be computed (Indonesian)

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        return NOT_COMPUTABLE if self.value is None else f"{self.value:g}"


def _positive(r: float, t: float) -> float:
    return r / t * 100


def _negative(r: float, t: float) -> float:
    return max(0.0, (2 * t - r) / t * 100)


def compute(
    polarity: Polarity,
    realisasi: object,
    target: float | None = None,
    target_min: float | None = None,
    target_max: float | None = None,
    *,
    percent_unit: bool = False,
) -> Capaian:
    """Capaian for one value. `realisasi` may be a raw cell value (text is parsed; text that
    is ambiguous for the unit is not computed, never guessed)."""
    parsed = parse_number(realisasi, percent_unit=percent_unit)
    if not parsed.ok:
        why = "realisasi kosong" if parsed.error == "kosong" else f"realisasi: {parsed.error}"
        return Capaian(None, f"{NOT_COMPUTABLE} ({why})")
    r = parsed.value
    assert r is not None

    if polarity is Polarity.range:
        if target_min is None or target_max is None:
            return Capaian(None, f"{NOT_COMPUTABLE} (rentang target tidak lengkap)")
        if target_min <= r <= target_max:
            value = 100.0
        elif r < target_min:
            if target_min == 0:
                return Capaian(None, f"{NOT_COMPUTABLE} (batas bawah target 0)")
            value = _positive(r, target_min)
        else:
            if target_max == 0:
                return Capaian(None, f"{NOT_COMPUTABLE} (batas atas target 0)")
            value = _negative(r, target_max)
    else:
        if target is None:
            return Capaian(None, f"{NOT_COMPUTABLE} (target kosong)")
        if target == 0:
            return Capaian(None, f"{NOT_COMPUTABLE} (target 0)")
        value = _positive(r, target) if polarity is Polarity.positive else _negative(r, target)
    return Capaian(round(value, 2))


def for_indicator(indicator: Indicator, realisasi: object) -> Capaian:
    return compute(
        indicator.polarity, realisasi, indicator.target, indicator.target_min,
        indicator.target_max, percent_unit=is_percent_unit(indicator.unit),
    )


def rate(value: float | None, scheme: RatingScheme) -> str:
    """The band label for a capaian; empty when there is no capaian."""
    if value is None:
        return ""
    for band in scheme.bands:  # sorted high to low
        if value >= band.min:
            return band.label
    return scheme.bands[-1].label
