"""The `notify:` config section: which reminders go out, over which channel.

Pure pydantic, like the rest of the config (outside the domain: docs/design.md §4). Secrets
are never written here: the config names the environment variable (or a file outside the
config) that holds them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sheets_sync.settings.strict import Strict


class ReminderKind(StrEnum):
    """One name per reminder, used in the config, the sent-log and the CLI."""

    before_deadline = "sebelum_batas"  # sections: a working day before the fill deadline
    late = "terlambat"  # sections: the morning after the deadline, still not in
    confirm = "perlu_konfirmasi"  # sections: validation set Perlu Konfirmasi
    all_in = "semua_masuk"  # PEP: every section has handed in
    check_deadline = "batas_periksa"  # PEP: the checking deadline (SOP step 4) is near
    recap_complete = "rekap_lengkap"  # leadership: every section Valid or approved


class Channel(StrEnum):
    email = "email"
    webhook = "webhook"


class EmailSettings(Strict):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    # the password: from this environment variable, or this file (outside the config)
    password_env: str = "SHEETS_SYNC_SMTP_PASSWORD"
    password_file: str | None = None
    sender: str = Field(description="e.g. 'Subbagian PEP <pep@setwan.example>'")
    # the CA that signed the mail server's certificate, when it is the office's own
    ca_file: str | None = None
    timeout_seconds: float = Field(default=30, gt=0)


class WebhookSettings(Strict):
    url: str = Field(description="may hold {token}, e.g. a Telegram bot address")
    token_env: str = "SHEETS_SYNC_WEBHOOK_TOKEN"
    token_file: str | None = None
    # the token also goes in this header as "Bearer <token>" ("" = only in the url)
    header: str = "Authorization"
    # the key holding the chat message ("text" for a Telegram bot's sendMessage)
    message_field: str = "pesan"
    fields: dict[str, str | int | bool] = Field(
        default_factory=dict, description="fixed fields added to every JSON body (chat_id ...)")
    timeout_seconds: float = Field(default=30, gt=0)

    @field_validator("url")
    @classmethod
    def _http(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"url webhook '{v}' harus diawali https:// (atau http://)")
        return v


def _all_channels() -> list[Channel]:
    return [Channel.email, Channel.webhook]


class NotifySettings(Strict):
    enabled: bool = False
    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None
    # kind -> channels; a kind left out goes over every configured channel, [] switches it off
    kinds: dict[ReminderKind, list[Channel]] = Field(default_factory=dict)
    # webhook recipients (phone numbers, chat ids) per e-mail address; default the address
    contacts: dict[str, str] = Field(default_factory=dict)
    # how near the checking deadline counts as "near" (working days before it)
    check_deadline_days: int = Field(default=1, ge=0, le=5)

    @model_validator(mode="after")
    def _channels_configured(self) -> NotifySettings:
        if not self.enabled:
            return self
        if self.email is None and self.webhook is None:
            raise ValueError("notify.enabled: true butuh 'email' atau 'webhook' (atau keduanya)")
        for kind, channels in self.kinds.items():
            for ch in channels:
                if getattr(self, ch.value) is None:
                    raise ValueError(f"notify.kinds.{kind.value} memakai saluran '{ch.value}' "
                                     f"yang belum diatur di notify.{ch.value}")
        return self

    def channels_for(self, kind: ReminderKind) -> list[Channel]:
        if not self.enabled:
            return []
        configured = [c for c in _all_channels() if getattr(self, c.value) is not None]
        return [c for c in self.kinds.get(kind, configured) if c in configured]
