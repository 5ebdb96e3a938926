"""The reminder texts, in Indonesian: one template per kind and channel.

E-mail gets a subject and a plain-text body (a letter); the webhook gets one short message
(WhatsApp and Telegram show it in a chat, `*bold*` as WhatsApp writes it). Placeholders are
the reminder's facts: {instansi} {periode} {bagian} {kepala} {tautan} {batas_isi}
{batas_periksa} {jumlah}; {daftar} is the reminder's list, one line per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.domain.reminders import Reminder
from sheets_sync.settings.notify import ReminderKind

SIGNATURE = "Hormat kami,\nSubbagian Perencanaan, Evaluasi dan Pelaporan (PEP)\n{instansi}"

EMAIL: dict[ReminderKind, tuple[str, str]] = {
    ReminderKind.before_deadline: (
        "Pengingat: kertas kerja data kinerja {periode} paling lambat {batas_isi}",
        "Yth. {kepala},\n\nKertas kerja data kinerja {bagian} untuk {periode} belum ditandai "
        "Selesai. Batas waktu pengisian: {batas_isi}.\n\nMohon isi Realisasi, Keterangan dan "
        "Bukti Dukung, lalu ubah Status menjadi \"Selesai\":\n{tautan}\n\nTerima kasih.\n\n"
        + SIGNATURE),
    ReminderKind.late: (
        "Terlambat: kertas kerja data kinerja {periode} belum diserahkan",
        "Yth. {kepala},\n\nBatas waktu pengisian kertas kerja data kinerja {periode} telah "
        "lewat ({batas_isi}), dan kertas kerja {bagian} belum ditandai Selesai.\n\nMohon "
        "segera dilengkapi dan Status diubah menjadi \"Selesai\":\n{tautan}\n\nTerima kasih.\n\n"
        + SIGNATURE),
    ReminderKind.confirm: (
        "Perlu konfirmasi: kertas kerja data kinerja {periode} ({bagian})",
        "Yth. {kepala},\n\nKertas kerja {bagian} untuk {periode} telah diperiksa. Ada {jumlah} "
        "hal yang perlu diperbaiki atau dikonfirmasi:\n\n{daftar}\n\nRinciannya ada di lembar "
        "\"Validasi\" pada kertas kerja Bapak/Ibu:\n{tautan}\n\nTerima kasih.\n\n" + SIGNATURE),
    ReminderKind.all_in: (
        "Semua bagian telah menyerahkan kertas kerja {periode}",
        "Yth. Kasubbag PEP,\n\nSeluruh {jumlah} bagian telah menyerahkan kertas kerja data "
        "kinerja {periode}. Pemeriksaan (SOP langkah 4) paling lambat {batas_periksa}.\n\n"
        "Rekapitulasi: {tautan}\n\n-- sheets-sync"),
    ReminderKind.check_deadline: (
        "Batas pemeriksaan data kinerja {periode}: {batas_periksa}",
        "Yth. Kasubbag PEP,\n\nBatas waktu pemeriksaan kertas kerja {periode} adalah "
        "{batas_periksa}. Masih {jumlah} bagian belum Valid atau Disetujui:\n\n{daftar}\n\n"
        "Rekapitulasi: {tautan}\n\n-- sheets-sync"),
    ReminderKind.recap_complete: (
        "Rekapitulasi Data Kinerja {periode} telah lengkap",
        "Yth. Bapak/Ibu Pimpinan,\n\nData kinerja seluruh {jumlah} bagian untuk {periode} telah "
        "diperiksa dan dinyatakan valid. Rekapitulasi Data Kinerja dapat dilihat di:\n{tautan}"
        "\n\n" + SIGNATURE),
}

WEBHOOK: dict[ReminderKind, str] = {
    ReminderKind.before_deadline: (
        "*Pengingat data kinerja {periode}*\n{bagian}: kertas kerja belum Selesai. Batas "
        "waktu {batas_isi}.\n{tautan}"),
    ReminderKind.late: (
        "*Terlambat: data kinerja {periode}*\n{bagian}: batas waktu {batas_isi} telah lewat, "
        "kertas kerja belum Selesai. Mohon segera dilengkapi.\n{tautan}"),
    ReminderKind.confirm: (
        "*Perlu konfirmasi: data kinerja {periode}*\n{bagian}, {jumlah} hal perlu diperbaiki "
        "atau dikonfirmasi:\n{daftar}\n{tautan}"),
    ReminderKind.all_in: (
        "*Data kinerja {periode}*: semua {jumlah} bagian sudah menyerahkan. Batas pemeriksaan "
        "{batas_periksa}.\n{tautan}"),
    ReminderKind.check_deadline: (
        "*Batas pemeriksaan {periode}: {batas_periksa}*\n{jumlah} bagian belum Valid:\n"
        "{daftar}\n{tautan}"),
    ReminderKind.recap_complete: (
        "*Rekapitulasi Data Kinerja {periode} lengkap*\nSemua {jumlah} bagian valid.\n{tautan}"),
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:  # a fact a kind does not have reads as "-"
        return "-"


def _facts(reminder: Reminder) -> _Facts:
    items = "\n".join(f"- {line}" for line in reminder.items) or "-"
    return _Facts({**reminder.facts, "daftar": items})


def email_message(reminder: Reminder) -> Message:
    subject, body = EMAIL[reminder.kind]
    facts = _facts(reminder)
    return Message(subject.format_map(facts), body.format_map(facts))


def webhook_text(reminder: Reminder) -> str:
    return WEBHOOK[reminder.kind].format_map(_facts(reminder))
