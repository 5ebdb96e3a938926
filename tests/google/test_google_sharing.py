"""Sharing stays exactly as configured (issue 9, items 6): access beyond the config is
reported by status and validate, withdrawn only by `distribute --revoke-extra`; an optional
`office.allowed_domains` refuses any account outside them."""

from __future__ import annotations

from pathlib import Path

from gspread.utils import rowcol_to_a1

from tests.backends import GoogleEnv
from tests.conftest import small_config_data

OUTSIDER = "teman.lama@gmail.com"


def _env(tmp_path: Path) -> GoogleEnv:
    env = GoogleEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.run("recap")
    return env


def _who(env: GoogleEnv, file_id: str) -> set[str]:
    return {p.email_address or p.domain or p.type for p in env.fake.file(file_id).permissions}


def test_access_beyond_the_config_is_reported_not_withdrawn(tmp_path: Path) -> None:
    env = _env(tmp_path)
    ref = env.section_ref("bagian-2")
    env.fake.share(ref.id, OUTSIDER, "writer")
    env.fake.share(ref.id, "anyone", "reader", kind="anyone")
    answer = env.fake.session("pep@setwan.example").post(  # a domain, shared in Drive's UI
        f"https://www.googleapis.com/drive/v3/files/{ref.id}/permissions",
        json={"type": "domain", "role": "reader", "domain": "contoh.go.id"})
    assert answer.status_code == 200
    before = _who(env, ref.id)
    for command in (("status",), ("validate",), ("distribute",)):
        out = " ".join(env.run(*command, code=None).output.split())  # rich wraps lines
        assert OUTSIDER in out, command
        assert "anyone" in out and "domain:contoh.go.id" in out, command
        assert "--revoke-extra" in out, command
        assert _who(env, ref.id) == before, command  # reported only
    env.run("distribute", "--revoke-extra")
    assert OUTSIDER not in _who(env, ref.id) and "anyone" not in _who(env, ref.id)
    assert "contoh.go.id" not in _who(env, ref.id)
    assert env.config.section("bagian-2").editors[0] in _who(env, ref.id)
    assert OUTSIDER not in env.run("status").output


def test_revoke_extra_covers_the_recap_too(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (recap,) = [f for f in env.fake.files.values()
                if f.app_properties.get("sheets_sync_role") == "recap"]
    env.fake.share(recap.id, "anyone", "reader", kind="anyone")
    assert "Rekapitulasi" in env.run("status").output
    env.run("distribute", "--revoke-extra")
    assert "anyone" not in _who(env, recap.id)
    assert "sekretaris@setwan.example" in _who(env, recap.id)  # leadership stays


def test_an_account_outside_the_allowed_domains_is_refused(tmp_path: Path) -> None:
    data = small_config_data()
    data["office"]["allowed_domains"] = ["setwan.example"]
    data["sections"][1]["editors"] = ["bagian2@setwan.example", "kasie.pribadi@gmail.com"]
    env = GoogleEnv(tmp_path, data)
    out = " ".join(env.run("distribute", code=2).output.split())
    assert "kasie.pribadi@gmail.com" in out and "allowed_domains" in out
    assert env.fake.notifications == [] and not env.fake.files


def test_section_text_stays_text_in_the_recap_and_audit(tmp_path: Path) -> None:
    """Text a section typed that a spreadsheet would run as a formula (=, +, -, @, a
    leading tab) reaches the recap and the Audit as text (stringValue), never a formula."""
    env = _env(tmp_path)
    ref = env.section_ref("bagian-1")
    sheet = env.config.labels.sheet_worksheet
    grid = env.grid(ref, sheet)
    row = next(i for i, r in enumerate(grid, start=1) if "B1-01" in r)
    col = next(r for r in grid if "Keterangan" in r).index("Keterangan") + 1
    evil = ['=IMPORTXML("http://x.example","//a")', "\t=1+1", "@SUM(A1)"]
    for text in evil:
        answer = env.fake.write_as(env.config.section("bagian-1").editors[0], ref.id,
                                   f"'{sheet}'!{rowcol_to_a1(row, col)}", [[text]],
                                   value_input_option="RAW")
        assert answer.status_code == 200
        env.fake.advance(60)
        env.run("recap")
    (recap,) = [f for f in env.fake.files.values()
                if f.app_properties.get("sheets_sync_role") == "recap"]
    cells = [cell.get("userEnteredValue", {}) for s in env.fake.spreadsheet(recap.id).sheets
             for r in s.cells.values() for cell in r.values()]
    assert not [c for c in cells if "formulaValue" in c]
    texts = {c.get("stringValue") for c in cells}
    assert {t.strip() for t in evil} <= {t.strip() for t in texts if t}
