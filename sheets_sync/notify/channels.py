"""The two channels a reminder goes out on: e-mail over SMTP and a generic webhook.

Secrets (the SMTP password, the webhook token) are read from an environment variable or a
file outside the config, at send time; they are never part of a message, an error or a log
line (`scrub` masks them in anything a channel reports).
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sheets_sync.domain.os_words import why
from sheets_sync.domain.reminders import Reminder
from sheets_sync.notify.templates import email_message, webhook_text
from sheets_sync.settings.notify import EmailSettings, WebhookSettings


class SendError(Exception):
    """A reminder could not be sent (the server refused, is unreachable ...). The message
    says what to check, and never holds a secret."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_secret(env: str, file: str | None, base_dir: Path, what: str) -> str | None:
    """A secret from its file (relative to the config's folder) or environment variable."""
    if file:
        path = (base_dir / file).resolve()
        try:
            return path.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise SendError(f"berkas {what} {path} tidak dapat dibaca "
                            f"({why(exc)}).") from None
    return os.environ.get(env) or None


def scrub(text: str, *secrets: str | None) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class EmailChannel:
    name = "email"

    def __init__(self, settings: EmailSettings, base_dir: Path) -> None:
        self.settings = settings
        self.base_dir = base_dir

    def _context(self) -> ssl.SSLContext:
        ca = self.settings.ca_file
        return ssl.create_default_context(cafile=str(self.base_dir / ca) if ca else None)

    def message(self, reminder: Reminder) -> EmailMessage:
        text = email_message(reminder)
        msg = EmailMessage()
        msg["Subject"] = text.subject
        msg["From"] = self.settings.sender
        msg["To"] = ", ".join(reminder.recipients)
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain="sheets-sync")
        msg["X-Sheets-Sync-Key"] = reminder.key
        msg.set_content(text.body, charset="utf-8")
        return msg

    def send(self, reminder: Reminder) -> str:
        """Sends the reminder; returns who it went to. Raises SendError."""
        s = self.settings
        if not reminder.recipients:
            raise SendError("tidak ada alamat e-mail penerima di konfigurasi.")
        password = read_secret(s.password_env, s.password_file, self.base_dir, "sandi SMTP")
        where = f"server SMTP {s.host}:{s.port}"
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds,
                                                      context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            with smtp:
                if s.security == "starttls":
                    smtp.starttls(context=self._context())
                if s.username:
                    if not password:
                        raise SendError(f"sandi SMTP untuk {s.username} tidak ada: isi variabel "
                                        f"lingkungan {s.password_env} (atau notify.email."
                                        "password_file).")
                    smtp.login(s.username, password)
                smtp.send_message(self.message(reminder))
        except smtplib.SMTPAuthenticationError:
            raise SendError(f"{where} menolak login {s.username}: periksa nama pengguna dan "
                            f"sandinya (untuk Gmail: sandi aplikasi) di {s.password_env}.") from None
        except smtplib.SMTPNotSupportedError:
            raise SendError(f"{where} tidak mendukung STARTTLS/login: coba security: ssl "
                            "(port 465).") from None
        except (smtplib.SMTPException, OSError) as exc:
            reason = scrub(str(exc) or type(exc).__name__, password)
            raise SendError(f"{where}: {reason}. Pengingat dicoba lagi nanti.") from None
        return ", ".join(reminder.recipients)


class WebhookChannel:
    name = "webhook"

    def __init__(self, settings: WebhookSettings, base_dir: Path,
                 contacts: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.base_dir = base_dir
        self.contacts = contacts or {}

    def body(self, reminder: Reminder) -> dict[str, object]:
        subject = email_message(reminder).subject
        return {**self.settings.fields, "jenis": reminder.kind.value, "judul": subject,
                self.settings.message_field: webhook_text(reminder), "tautan": reminder.link,
                "kepada": [self.contacts.get(e, e) for e in reminder.recipients],
                "bagian": reminder.section, "periode": reminder.facts.get("periode", ""),
                "kunci": reminder.key}

    def send(self, reminder: Reminder) -> str:
        s = self.settings
        token = read_secret(s.token_env, s.token_file, self.base_dir, "token webhook")
        if "{token}" in s.url and not token:
            raise SendError(f"alamat webhook butuh token: isi variabel lingkungan {s.token_env} "
                            "(atau notify.webhook.token_file).")
        url = s.url.replace("{token}", token or "")
        host = urllib.parse.urlparse(s.url).netloc  # shown in errors; the url may hold a token
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "User-Agent": "sheets-sync"}
        if token and s.header:
            headers[s.header] = f"Bearer {token}"
        data = json.dumps(self.body(reminder), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=s.timeout_seconds) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            hint = " (periksa token)" if exc.code in (401, 403) else ""
            raise SendError(f"webhook {host} menjawab HTTP {exc.code}{hint}.") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise SendError(f"webhook {host} tidak dapat dihubungi: "
                            f"{scrub(str(reason), token)}. Pengingat dicoba lagi nanti.") from None
        return ", ".join(self.body(reminder)["kepada"]) or host  # type: ignore[arg-type]
