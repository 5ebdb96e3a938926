"""Which reminders are due when: the SOP clock in working days and office hours (pure).

The small config's fill deadline is Tuesday 6 October 2026 16:00, the checking deadline
Thursday 8 October 16:00; the office is open 08:00-16:00.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.domain.calendar import fill_deadline, sop_schedule
from sheets_sync.domain.errors import ConfigError
from sheets_sync.domain.models import Config
from sheets_sync.domain.reminders import SectionState, due_reminders, may_send
from sheets_sync.settings.notify import ReminderKind
from tests.conftest import small_config_data, write_config

NOTIFY = {"enabled": True,
          "email": {"host": "127.0.0.1", "port": 2525, "security": "none",
                    "sender": "PEP <pep@setwan.example>"},
          "webhook": {"url": "http://127.0.0.1:9/kirim"}}


def make_config(tmp_path: Path, **notify: object) -> Config:
    return load_config(write_config(tmp_path, small_config_data(notify={**NOTIFY, **notify})))


def states(**status: str | None) -> dict[str, SectionState]:
    return {sid.replace("_", "-"): SectionState(sid.replace("_", "-"), st, f"https://x/{sid}")
            for sid, st in status.items()}


def kinds(reminders: list) -> list[tuple[str, str | None]]:
    return [(r.kind.value, r.section) for r in reminders]


ALL_EMPTY = dict(bagian_1="Belum Diisi", bagian_2="Sedang Diisi", bagian_3=None)


def test_the_sop_clock_of_the_fixture(tmp_path):
    config = make_config(tmp_path)
    assert fill_deadline(config) == datetime(2026, 10, 6, 16, 0)
    assert sop_schedule(config)[3].due == datetime(2026, 10, 8, 16, 0)


def test_before_the_deadline_from_the_morning_of_the_working_day_before(tmp_path):
    config = make_config(tmp_path)
    assert due_reminders(config, datetime(2026, 10, 2, 10), states(**ALL_EMPTY), None) == []
    due = due_reminders(config, datetime(2026, 10, 5, 8, 0), states(**ALL_EMPTY), None)
    assert kinds(due) == [("sebelum_batas", "bagian-1"), ("sebelum_batas", "bagian-2"),
                          ("sebelum_batas", "bagian-3")]
    assert due[0].recipients == ("bagian1@setwan.example",) and due[0].link == "https://x/bagian_1"
    assert due[0].facts["batas_isi"] == "Selasa, 6 Oktober 2026 pukul 16.00"
    # a section that marked its sheet Selesai is not reminded
    done = states(**{**ALL_EMPTY, "bagian_2": "Selesai"})
    assert ("sebelum_batas", "bagian-2") not in kinds(
        due_reminders(config, datetime(2026, 10, 6, 9), done, None))


@pytest.mark.parametrize("when", [
    datetime(2026, 10, 5, 7, 59),  # before the office opens
    datetime(2026, 10, 5, 16, 0),  # closed
    datetime(2026, 10, 5, 22, 0),  # night
    datetime(2026, 10, 4, 10, 0),  # Sunday
    datetime(2026, 10, 3, 10, 0),  # Saturday
])
def test_never_at_night_on_a_weekend(tmp_path, when):
    config = make_config(tmp_path)
    assert not may_send(config, when)
    assert due_reminders(config, when, states(**ALL_EMPTY), None) == []


def test_never_on_a_holiday_national_or_local(tmp_path):
    config = make_config(tmp_path)
    assert not may_send(config, datetime(2026, 8, 17, 10))  # Hari Kemerdekaan, a Monday
    local = load_config(write_config(tmp_path, small_config_data(
        notify=NOTIFY, sop={"extra_holidays": ["2026-10-05"]})))
    assert due_reminders(local, datetime(2026, 10, 5, 10), states(**ALL_EMPTY), None) == []
    # a Sunday stays off even when the office wrongly lists it as a working day
    sunday = load_config(write_config(tmp_path, small_config_data(
        notify=NOTIFY, sop={"extra_working_days": ["2026-10-04"]})))
    assert not may_send(sunday, datetime(2026, 10, 4, 10))


def test_late_from_the_morning_after_the_deadline(tmp_path):
    config = make_config(tmp_path)
    mixed = states(bagian_1="Selesai", bagian_2="Sedang Diisi", bagian_3="Valid")
    assert [k for k in kinds(due_reminders(config, datetime(2026, 10, 6, 15, 59), mixed, None))
            if k[0] == "terlambat"] == []
    late = due_reminders(config, datetime(2026, 10, 7, 8, 0), mixed, None)
    assert [k for k in kinds(late) if k[0] in ("terlambat", "sebelum_batas")] == [
        ("terlambat", "bagian-2")]


def test_confirmation_lists_the_open_issues_and_changes_key_with_them(tmp_path):
    config = make_config(tmp_path)
    issue = SectionState("bagian-1", "Perlu Konfirmasi", "https://x/1",
                         ("G10 (B1-01): Realisasi bukan angka",), ("angka:B1-01",))
    due = due_reminders(config, datetime(2026, 10, 7, 9),
                        {**states(bagian_2="Selesai", bagian_3="Selesai"), "bagian-1": issue},
                        None)
    (confirm,) = [r for r in due if r.kind is ReminderKind.confirm]
    assert confirm.items == ("G10 (B1-01): Realisasi bukan angka",)
    other = SectionState("bagian-1", "Perlu Konfirmasi", "https://x/1", ("x",), ("batas:B1-02",))
    (again,) = [r for r in due_reminders(config, datetime(2026, 10, 7, 9),
                                         {"bagian-1": other}, None)
                if r.kind is ReminderKind.confirm]
    assert again.key != confirm.key


def test_pep_and_leadership(tmp_path):
    config = make_config(tmp_path)
    handed = states(bagian_1="Selesai", bagian_2="Perlu Konfirmasi", bagian_3="Valid")
    due = due_reminders(config, datetime(2026, 10, 7, 9), handed, "https://rekap")
    assert ("semua_masuk", None) in kinds(due)
    (near,) = [r for r in due if r.kind is ReminderKind.check_deadline]
    assert near.recipients == ("pep@setwan.example",)
    assert near.items == ("Subbagian 1", "Subbagian 2")
    assert ("rekap_lengkap", None) not in kinds(due)
    valid = states(bagian_1="Valid", bagian_2="Disetujui", bagian_3="Valid")
    due = due_reminders(config, datetime(2026, 10, 9, 9), valid, "https://rekap")
    (done,) = [r for r in due if r.kind is ReminderKind.recap_complete]
    assert done.recipients == ("sekretaris@setwan.example",) and done.link == "https://rekap"
    # the checking deadline is not "near" the week before, nor once everything is valid
    assert ReminderKind.check_deadline not in [r.kind for r in due]
    assert ReminderKind.check_deadline not in [r.kind for r in due_reminders(
        config, datetime(2026, 10, 6, 9), handed, "https://rekap")]


def test_kinds_switched_off_per_kind_and_channel(tmp_path):
    config = make_config(tmp_path, kinds={"terlambat": [], "sebelum_batas": ["webhook"]})
    assert config.notify.channels_for(ReminderKind.before_deadline) == ["webhook"]
    assert config.notify.channels_for(ReminderKind.confirm) == ["email", "webhook"]
    due = due_reminders(config, datetime(2026, 10, 7, 9), states(**ALL_EMPTY), None)
    assert [r for r in due if r.section] == []  # late reminders are off
    assert len(due_reminders(config, datetime(2026, 10, 5, 9), states(**ALL_EMPTY), None)) == 3


def test_disabled_by_default(tmp_path):
    config = load_config(write_config(tmp_path, small_config_data()))
    assert not config.notify.enabled
    assert due_reminders(config, datetime(2026, 10, 5, 9), states(**ALL_EMPTY), None) == []


@pytest.mark.parametrize(("notify", "words"), [
    ({"enabled": True}, "butuh 'email' atau 'webhook'"),
    ({"enabled": True, "email": NOTIFY["email"], "kinds": {"terlambat": ["webhook"]}},
     "notify.webhook"),
    ({"enabled": True, "webhook": {"url": "ftp://x"}}, "https://"),
    ({"enabled": True, "email": NOTIFY["email"], "kinds": {"telat": ["email"]}}, "telat"),
])
def test_config_mistakes_are_explained(tmp_path, notify, words):
    with pytest.raises(ConfigError) as err:
        load_config(write_config(tmp_path, small_config_data(notify=notify)))
    assert words in err.value.message and "notify" in err.value.message
