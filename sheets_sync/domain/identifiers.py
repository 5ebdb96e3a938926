"""The shapes of ids and e-mail addresses in the config, checked in one place."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

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


# Every list of accounts in the config (PEP, leadership, a section's editors, a unit's
# viewers): one address or a list, each checked and lower-cased
Emails = Annotated[list[str], BeforeValidator(one_or_many), AfterValidator(check_emails)]
