"""Who may open the service's files: exactly what the config grants.

Access beyond it (an outside account, a whole domain, "anyone with the link"), given by hand
in Drive, is reported by `status`, `validate` and `doctor`, and withdrawn only by
`sync distribute --revoke-extra` (someone may have shared on purpose: PEP decides).
"""

from __future__ import annotations

from collections.abc import Callable

from sheets_sync.domain.models import Config
from sheets_sync.domain.sharing import file_grants
from sheets_sync.ports import FileRef, Grant, WorkbookStore

REVOKE_HINT = "Cabut dengan 'sync distribute --revoke-extra' bila tidak disengaja."


def wanted(config: Config) -> Callable[[FileRef], list[Grant]]:
    """What the config grants on a file of the period (the owner aside): the domain's
    sharing policy, asked by the file's tags."""

    def of(ref: FileRef) -> list[Grant]:
        return file_grants(config, ref.tags.role.value, ref.tags.section)

    return of


def extra_access(config: Config, store: WorkbookStore) -> list[tuple[FileRef, list[str]]]:
    return store.extra_access(config.period.code, wanted(config))


def extra_access_lines(config: Config, store: WorkbookStore) -> list[str]:
    """One plain line per file with access beyond the config (for status, validate, doctor)."""
    return [f"Akses di luar konfigurasi pada '{ref.name}': {', '.join(who)}."
            for ref, who in extra_access(config, store)]
