"""Issue 21, point 6: the loose ends noted in the project's own notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.backends import LocalEnv
from tests.conftest import small_config_data

LINK = "https://drive.example/bukti.pdf"


@pytest.mark.parametrize("absurd", [1e308, "1e308", 1e20, "1.000.000.000.000.000.000"])
def test_an_absurd_number_is_refused_and_every_export_still_works(tmp_path: Path, absurd):
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": absurd, "bukti": LINK},
                               "B1-02": {"realisasi": 10, "budget_real": absurd,
                                         "bukti": LINK}}, status="Selesai")
    issues = json.loads(env.run("validate", "--format", "json", code=1).stdout)["issues"]
    found = {i["column"]: i for i in issues if i["severity"] == "error"}
    assert {"Realisasi", "Realisasi Anggaran (Rp)"} <= set(found) or len(found) >= 2, issues
    for i in issues:
        assert len(i["message"]) < 400, i["message"]  # never 309 digits
    rows = {r["indicator"]: r for r in json.loads(env.run("recap", "--format", "json",
                                                          code=None).stdout)["rows"]}
    assert rows["B1-01"]["capaian"] is None and rows["B1-01"]["counts"] is False
    for report in ("pengukuran", "renja", "rekap"):
        for suffix in ("pdf", "xlsx", "csv"):
            out = env.run("export", report, "--output", str(tmp_path / f"{report}.{suffix}"),
                          code=None)
            assert out.exit_code == 0 and "Traceback" not in out.output, out.output


def test_an_absurd_target_in_the_config_is_refused_plainly(tmp_path: Path):
    data = small_config_data(sections=1, indicators=1)
    data["indicators"][0]["target"] = 1e308
    env = LocalEnv(tmp_path, data)
    out = env.run("status", code=2).output
    assert "terlalu besar" in out and "target" in out


def test_the_login_times_doctor_shows_are_on_the_office_clock():
    from datetime import datetime, timedelta, timezone
    from pathlib import Path as P
    from types import SimpleNamespace

    from sheets_sync.adapters.google.doctor import token_checks

    loaded = SimpleNamespace(credentials=SimpleNamespace(scopes=None), account=None,
                             kind="oauth", source=P("x.json"),
                             issued_at="2026-10-01T02:00:00+00:00")
    wit = timezone(timedelta(hours=9))  # Asia/Jayapura
    lines = [c.detail for c in token_checks(loaded, datetime(2026, 10, 3, tzinfo=wit), wit)
             if c.label.startswith("Login dibuat")]
    assert lines and "01-10-2026 11:00" in lines[0] and "08-10-2026 11:00" in lines[0]
