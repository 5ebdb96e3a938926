"""`sync status` as PEP reads it in a terminal: each section's own last change, and who made
it (the README promises both; before, the name was only in --format json)."""

from __future__ import annotations

from tests.backends import LocalEnv
from tests.conftest import small_config_data


def test_status_names_who_made_the_last_change(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 5}}, who="Siti Rahma")
    out = env.run("status").output
    assert "oleh Siti Rahma" in " ".join(out.split())
    untouched = next(row for row in out.splitlines() if "Subbagian 2" in row)
    assert "oleh" not in untouched  # nobody has touched it: no name, no time


def test_validate_says_how_many_of_the_checked_are_untouched_by_name(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(sections=3, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 5}, "B1-02": {"realisasi": 5}},
                  status="Selesai")
    out = " ".join(env.run("validate", code=None).output.split())
    assert "3 bagian diperiksa (2 di antaranya belum diisi)" in out
    assert "Belum diisi (lembarnya dibiarkan seperti saat dikirim): Subbagian 2 (bagian-2)" in out
