"""What a user reads in the CLI's CSV and in the recap's reasons: spreadsheet values in
Indonesian, not Python's lists and booleans nor the English "error"."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sheets_sync.cli.render import csv_text
from tests.backends import LocalEnv
from tests.conftest import small_config_data


def test_csv_flattens_lists_and_says_ya_tidak() -> None:
    text = csv_text([{"missing": ["TW I", "TW II"], "counts": True, "capped": False,
                      "n": 3, "empty": None}])
    (row,) = csv.DictReader(io.StringIO(text))
    assert row == {"missing": "TW I; TW II", "counts": "Ya", "capped": "Tidak", "n": "3",
                   "empty": ""}


def test_recap_csv_and_alasan_read_as_a_user_expects(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data(sections=1, indicators=2))
    env.run("distribute")
    (first, second) = env.config.indicators_of("bagian-1")
    # a negative realisasi is an open error: the value is shown, not counted
    env.type_into("bagian-1", {first.code: {"realisasi": -2},
                               second.code: {"realisasi": 5}}, status="Selesai")
    out = env.run("recap", "--format", "csv", code=None).output
    rows = list(csv.DictReader(io.StringIO(out[out.index("section"):])))
    values = {v for r in rows for v in r.values()}
    assert not values & {"True", "False"}
    assert {"Ya", "Tidak"} <= values
    reasons = [r["not_counted_reason"] for r in rows if r["not_counted_reason"]]
    assert reasons and all("kesalahan terbuka" in r for r in reasons)
    assert not any("error" in r for r in reasons)
