"""Issue 21: one table of exit codes (README, *Kode keluar*), the same for every command.

0 done; 1 findings that need a person; 2 usage or config mistake (including a step that does
not fit the section's state); 3 backend unreachable, no access, or the period locked;
4 a workbook could not be used (damaged, open elsewhere, read-only, ...), named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends import LocalEnv
from tests.conftest import small_config_data

LINK = "https://drive.example/bukti.pdf"
# every command that reads the config, with arguments that are otherwise right
COMMANDS = [
    ("status",), ("validate",), ("recap",), ("distribute",), ("template",),
    ("approve", "bagian-1"), ("reopen", "bagian-1", "--reason", "revisi"),
    ("confirm", "bagian-1", "kewajaran:B1-01", "--note", "ok"),
    ("export", "rekap", "--format", "csv", "--output", "rekap.csv"),
    ("restore", "bagian-1", "--list"), ("remind", "--dry-run"), ("watch", "--once"),
]
SECTION_COMMANDS = [c for c in COMMANDS if len(c) > 1 and c[1] == "bagian-1"]


@pytest.fixture
def env(tmp_path: Path) -> LocalEnv:
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=2))
    env.run("distribute")
    return env


@pytest.mark.parametrize("args", COMMANDS, ids=lambda c: c[0])
def test_a_config_mistake_is_2_for_every_command(env: LocalEnv, args: tuple[str, ...]):
    path = env.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("period: 2026-TW3",
                                                             "period: 2026-TW9"),
                    encoding="utf-8")
    out = env.run(*args, code=2).output
    assert "Traceback" not in out and "period" in out


@pytest.mark.parametrize("args", COMMANDS, ids=lambda c: c[0])
def test_an_unknown_option_is_2_for_every_command(env: LocalEnv, args: tuple[str, ...]):
    out = env.run(*args, "--tidak-ada", code=2).output
    assert "Kesalahan:" in out and "--tidak-ada" in out


@pytest.mark.parametrize("args", SECTION_COMMANDS, ids=lambda c: c[0])
def test_an_unknown_section_is_2(env: LocalEnv, args: tuple[str, ...]):
    out = env.run(args[0], "bagian-9", *args[2:], code=2).output
    assert "bagian-9" in out


@pytest.mark.parametrize("args", [*[c for c in SECTION_COMMANDS if c[0] != "restore"],
                                  ("validate",), ("recap",), ("status",)],
                         ids=lambda c: c[0])
def test_a_damaged_workbook_is_4_for_every_command(env: LocalEnv, args: tuple[str, ...]):
    path = Path(env.section_ref("bagian-1").id)
    path.write_bytes(path.read_bytes()[:2000])
    out = env.run(*args, code=4).output
    assert "rusak" in out and "Traceback" not in out


def test_approve_and_reopen_agree_on_a_step_that_does_not_fit_the_state(env: LocalEnv):
    # still being filled, with blanks that are errors: the reason is the hand-in, not them
    env.type_into("bagian-1", {"B1-01": {"realisasi": "abc"}})
    out = env.run("approve", "bagian-1", code=2).output
    assert "belum menyerahkan" in out and "temuan terbuka" not in out
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90, "bukti": LINK}}, status="Selesai")
    out = env.run("reopen", "bagian-1", "--reason", "revisi", code=2).output
    assert "belum disetujui" in out
    # open findings need a person: 1; then approve and reopen both succeed
    env.type_into("bagian-1", {"B1-01": {"realisasi": "abc"}}, status="Selesai")
    assert "temuan terbuka" in env.run("approve", "bagian-1", code=1).output
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100, "bukti": LINK},
                               "B1-02": {"realisasi": 10, "bukti": LINK}}, status="Selesai")
    env.run("validate", code=None)
    env.run("approve", "bagian-1", code=0)
    env.run("approve", "bagian-1", code=0)  # already so: nothing to do
    env.run("reopen", "bagian-1", "--reason", "revisi", code=0)
    env.run("reopen", "bagian-1", "--reason", "revisi", code=0)  # open already


def test_validate_findings_are_1(env: LocalEnv):
    env.type_into("bagian-1", {"B1-01": {"realisasi": -5}}, status="Selesai")
    env.run("validate", code=1)


@pytest.mark.parametrize("args", [("approve", "bagian-1"), ("restore", "bagian-1"),
                                  ("reopen", "bagian-1", "--reason", "revisi"), ("validate",)],
                         ids=lambda c: c[0])
def test_a_workbook_open_in_another_program_is_4_for_every_command(env: LocalEnv, args):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100, "bukti": LINK},
                               "B1-02": {"realisasi": 10, "bukti": LINK}}, status="Selesai")
    env.run("validate", code=None)
    if args[0] == "reopen":
        env.run("approve", "bagian-1")
    if args[0] == "restore":  # a backup to restore from
        env.type_into("bagian-1", {"B1-01": {"realisasi": 99}}, status="Selesai")
        env.run("validate", code=None)
    if args[0] == "validate":  # new feedback to write (a warning: no exit 1)
        env.type_into("bagian-1", {"B1-01": {"realisasi": 50}}, status="Selesai")
    path = Path(env.section_ref("bagian-1").id)
    (path.parent / f"~${path.name}").write_bytes(b"\x04Budi" + b" " * 49)
    out = env.run(*args, code=4).output
    assert "sedang dibuka" in out and "Traceback" not in out
