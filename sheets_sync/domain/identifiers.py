"""The shapes of ids and e-mail addresses in the config, checked in one place."""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_emails(values: list[str]) -> list[str]:
    for v in values:
        if not EMAIL_RE.match(v):
            raise ValueError(f"'{v}' bukan alamat e-mail yang sah (contoh: nama@jambiprov.go.id)")
    return [v.lower() for v in values]


def one_or_many(value: object) -> object:
    """A list of e-mails may be written as one address: `editors: tu@jambiprov.go.id` is the
    list of that one address, as a person means it."""
    return [value] if isinstance(value, str) else value
