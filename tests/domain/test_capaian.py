"""Capaian per polarity and rating bands, as docs/design.md §7 states them."""

import pytest

from sheets_sync.domain.capaian import NOT_COMPUTABLE, compute, rate
from sheets_sync.domain.models import Polarity, RatingBand, RatingScheme

P, N, R = Polarity.positive, Polarity.negative, Polarity.range


@pytest.mark.parametrize(
    ("polarity", "realisasi", "target", "lo", "hi", "expected"),
    [
        (P, 80, 100, None, None, 80.0),
        (P, 120, 100, None, None, 120.0),
        (P, "87,5", 100, None, None, 87.5),  # typed Indonesian decimal
        (P, "Rp 1.500.000", 2_000_000, None, None, 75.0),
        (P, 0, 50, None, None, 0.0),
        (N, 2, 2, None, None, 100.0),  # lower is better: on target
        (N, 1, 2, None, None, 150.0),  # better than target
        (N, 3, 2, None, None, 50.0),
        (N, 5, 2, None, None, 0.0),  # (2T - R)/T < 0 is floored at 0
        (R, 97, None, 95, 100, 100.0),  # inside the band
        (R, 95, None, 95, 100, 100.0),  # on the lower bound
        (R, 76, None, 80, 100, 95.0),  # below: positive against the lower bound
        (R, 110, None, 80, 100, 90.0),  # above: negative against the upper bound
        (R, 250, None, 80, 100, 0.0),
    ],
)
def test_capaian_by_polarity(polarity, realisasi, target, lo, hi, expected):
    assert compute(polarity, realisasi, target, lo, hi).value == expected


@pytest.mark.parametrize(
    ("polarity", "realisasi", "target", "why"),
    [
        (P, 10, 0, "target 0"),
        (N, 10, 0, "target 0"),
        (P, None, 100, "realisasi kosong"),
        (P, "", 100, "realisasi kosong"),
        (P, "sembilan puluh", 100, "bukan angka"),
        (P, "1,234.5", 100, "format Inggris"),
        (P, 10, None, "target kosong"),
        (P, float("nan"), 100, "bukan angka"),
        (P, True, 100, "bukan angka"),
    ],
)
def test_not_computable_never_raises(polarity, realisasi, target, why):
    result = compute(polarity, realisasi, target)
    assert result.value is None
    assert result.reason.startswith(NOT_COMPUTABLE)
    assert why in result.reason
    assert result.text == NOT_COMPUTABLE


def test_range_with_zero_bound_is_not_computable_below_it():
    assert compute(R, -1, None, 0, 10).value is None
    assert compute(R, 5, None, 0, 10).value == 100.0


@pytest.mark.parametrize(
    ("value", "label"),
    [(100, "Sangat Tinggi"), (91, "Sangat Tinggi"), (90.99, "Tinggi"), (76, "Tinggi"),
     (75.5, "Sedang"), (66, "Sedang"), (65, "Rendah"), (51, "Rendah"), (50.5, "Sangat Rendah"),
     (50, "Sangat Rendah"), (0, "Sangat Rendah"), (-5, "Sangat Rendah"), (None, "")],
)
def test_default_renja_bands(value, label):
    assert rate(value, RatingScheme()) == label


def test_bands_are_data_highest_first():
    scheme = RatingScheme(bands=[RatingBand(min=100, label="Baik"),
                                 RatingBand(min=80, label="Cukup"), RatingBand(label="Kurang")])
    assert [rate(v, scheme) for v in (120, 100, 99, 80, 79)] == [
        "Baik", "Baik", "Cukup", "Cukup", "Kurang"]
    # another order is a config mistake (issue 7), refused rather than guessed
    with pytest.raises(ValueError, match="tertinggi"):
        RatingScheme(bands=[RatingBand(label="Kurang"), RatingBand(min=100, label="Baik"),
                            RatingBand(min=80, label="Cukup")])
