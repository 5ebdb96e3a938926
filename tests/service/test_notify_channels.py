"""The channels against real servers on 127.0.0.1: what arrives is what a section reads,
Indonesian text and links intact; secrets never show in anything printed or logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sheets_sync.domain.reminders import Reminder
from sheets_sync.notify.channels import EmailChannel, SendError, WebhookChannel
from sheets_sync.settings.notify import EmailSettings, ReminderKind, WebhookSettings
from tests.localservers import self_signed, server_context, smtp_server, webhook_server

LINK = "https://docs.google.com/spreadsheets/d/1AbC-dEf_ghIJ/edit#gid=0&range=G10"
CONFIRM = Reminder(
    key="2026-TW3|perlu_konfirmasi|keuangan|abc", kind=ReminderKind.confirm, audience="bagian",
    recipients=("keuangan@setwan.example", "bendahara@setwan.example"), section="keuangan",
    link=LINK,
    facts={"instansi": "Sekretariat DPRD Provinsi Jambi", "periode": "Triwulan III 2026",
           "bagian": "Subbagian Penatausahaan Keuangan", "kepala": "Ibu Sri Rahayu — Kasubbag",
           "tautan": LINK, "jumlah": "2", "batas_isi": "Selasa, 6 Oktober 2026 pukul 16.00"},
    items=("G10 (KEU-01): Realisasi «1.500» untuk satuan % meragukan; tulis 1,5 atau 1500",
           "I11 (KEU-02): Keterangan wajib bila capaian di bawah 100 %"),
)
PASSWORD, TOKEN = "rahasia-smtp-123", "tok-987-rahasia"


def email_settings(port: int, **extra: object) -> EmailSettings:
    return EmailSettings(**{"host": "127.0.0.1", "port": port, "security": "none",
                            "sender": "Subbagian PEP <pep@setwan.example>", **extra})


def test_email_arrives_in_indonesian_with_the_issues_and_the_link(tmp_path):
    with smtp_server() as (box, port):
        to = EmailChannel(email_settings(port), tmp_path).send(CONFIRM)
    assert to == "keuangan@setwan.example, bendahara@setwan.example"
    (msg,) = box.messages
    assert box.envelopes[0][1] == ["keuangan@setwan.example", "bendahara@setwan.example"]
    assert msg["Subject"] == ("Perlu konfirmasi: kertas kerja data kinerja Triwulan III 2026 "
                              "(Subbagian Penatausahaan Keuangan)")
    body = box.body()
    assert body.startswith("Yth. Ibu Sri Rahayu — Kasubbag,")
    assert "- G10 (KEU-01): Realisasi «1.500» untuk satuan % meragukan" in body
    assert f"\n{LINK}\n" in body  # the link on its own line, unbroken
    assert "Sekretariat DPRD Provinsi Jambi" in body


def test_starttls_with_login_password_from_the_environment(tmp_path, monkeypatch, caplog):
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SMTP_PASS_SETWAN", PASSWORD)
    settings = email_settings(1, security="starttls", username="pep@setwan.example",
                              password_env="SMTP_PASS_SETWAN", ca_file=str(cert))
    caplog.set_level(logging.DEBUG)
    with smtp_server(starttls=server_context(cert, key)) as (box, port):
        EmailChannel(settings.model_copy(update={"port": port}), tmp_path).send(CONFIRM)
    assert box.logins == [("pep@setwan.example", PASSWORD)] and len(box.messages) == 1
    assert PASSWORD not in caplog.text


def test_ssl_with_the_password_from_a_file_outside_the_config(tmp_path):
    cert, key = self_signed(tmp_path)
    secret = tmp_path / "rahasia" / "smtp.txt"
    secret.parent.mkdir()
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    settings = email_settings(1, security="ssl", username="pep@setwan.example",
                              password_file=str(secret), ca_file=str(cert))
    with smtp_server(implicit=server_context(cert, key)) as (box, port):
        EmailChannel(settings.model_copy(update={"port": port}), tmp_path).send(CONFIRM)
    assert box.logins == [("pep@setwan.example", PASSWORD)]
    assert "Realisasi «1.500»" in box.body()


def test_a_wrong_password_or_a_missing_one_is_explained_without_the_secret(tmp_path, monkeypatch):
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SMTP_PASS_SETWAN", "salah-sandi-555")
    settings = email_settings(1, security="starttls", username="pep@setwan.example",
                              password_env="SMTP_PASS_SETWAN", ca_file=str(cert))
    with smtp_server(starttls=server_context(cert, key)) as (box, port):
        channel = EmailChannel(settings.model_copy(update={"port": port}), tmp_path)
        with pytest.raises(SendError) as wrong:
            channel.send(CONFIRM)
        monkeypatch.delenv("SMTP_PASS_SETWAN")
        with pytest.raises(SendError) as missing:
            channel.send(CONFIRM)
    assert "menolak login" in wrong.value.message and "salah-sandi-555" not in wrong.value.message
    assert "SMTP_PASS_SETWAN" in missing.value.message
    assert box.messages == []


def test_an_unreachable_mail_server_is_a_send_error(tmp_path):
    from tests.localservers import free_port

    with pytest.raises(SendError) as err:
        EmailChannel(email_settings(free_port(), timeout_seconds=2), tmp_path).send(CONFIRM)
    assert "127.0.0.1" in err.value.message and "dicoba lagi" in err.value.message


def test_webhook_posts_json_with_its_own_text_and_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_WEBHOOK_TOKEN", TOKEN)
    with webhook_server() as (hook, port):
        settings = WebhookSettings(url=f"http://127.0.0.1:{port}/bot{{token}}/kirim",
                                   fields={"chat_id": -100123}, message_field="text")
        WebhookChannel(settings, tmp_path, {"keuangan@setwan.example": "+62811000111"}).send(CONFIRM)
    ((path, headers, body),) = hook.requests
    assert path == f"/bot{TOKEN}/kirim" and headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert body["chat_id"] == -100123 and body["jenis"] == "perlu_konfirmasi"
    assert body["kepada"] == ["+62811000111", "bendahara@setwan.example"]
    assert body["tautan"] == LINK and body["kunci"] == CONFIRM.key
    assert body["text"].startswith("*Perlu konfirmasi: data kinerja Triwulan III 2026*")
    assert "- G10 (KEU-01): Realisasi «1.500»" in body["text"] and LINK in body["text"]


def test_webhook_refusal_is_explained_without_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_WEBHOOK_TOKEN", TOKEN)
    with webhook_server(status=401) as (_hook, port):
        settings = WebhookSettings(url=f"http://127.0.0.1:{port}/bot{{token}}/kirim")
        with pytest.raises(SendError) as err:
            WebhookChannel(settings, tmp_path).send(CONFIRM)
    assert "HTTP 401" in err.value.message and "token" in err.value.message
    assert TOKEN not in err.value.message


def test_every_kind_has_both_templates():
    from sheets_sync.notify.templates import EMAIL, WEBHOOK, email_message, webhook_text

    assert set(EMAIL) == set(WEBHOOK) == set(ReminderKind)
    for kind in ReminderKind:
        r = Reminder("k", kind, "pep", (), facts={"periode": "Triwulan III 2026"})
        assert "Triwulan III 2026" in email_message(r).subject + webhook_text(r)
        assert "{" not in email_message(r).body + webhook_text(r)  # every placeholder filled


def test_secret_file_missing_is_a_clear_error(tmp_path):
    settings = email_settings(25, username="pep@setwan.example", password_file="tidak-ada.txt")
    with pytest.raises(SendError) as err:
        EmailChannel(settings, Path(tmp_path)).send(CONFIRM)
    assert "tidak-ada.txt" in err.value.message
