"""Who may open the service's files: exactly what the config grants.

Access beyond it (an outside account, a whole domain, "anyone with the link"), given by hand
in Drive, is reported by `status`, `validate` and `doctor`, and withdrawn only by
`sync distribute --revoke-extra` (someone may have shared on purpose: PEP decides).
"""

from __future__ import annotations

from collections.abc import Callable

from sheets_sync.domain.models import Config
from sheets_sync.flows.distribute import grants_for
from sheets_sync.flows.recap import recap_grants
from sheets_sync.ports import FileRef, Grant, Role, WorkbookStore

REVOKE_HINT = "Cabut dengan 'sync distribute --revoke-extra' bila tidak disengaja."


def wanted(config: Config) -> Callable[[FileRef], list[Grant]]:
    """What the config grants on a file of the period (the owner aside)."""
    sections = {s.id: s for s in config.sections}

    def of(ref: FileRef) -> list[Grant]:
        if ref.tags.role is Role.recap:
            return recap_grants(config)
        section = sections.get(ref.tags.section or "")
        if ref.tags.role is Role.section and section is not None:
            return grants_for(config, section)
        # the template, or a workbook of a section no longer configured: PEP only
        role = config.backend.google.sharing.pep_role
        return [Grant(e, role) for e in config.office.pep_accounts]

    return of


def extra_access(config: Config, store: WorkbookStore) -> list[tuple[FileRef, list[str]]]:
    return store.extra_access(config.period.code, wanted(config))


def extra_access_lines(config: Config, store: WorkbookStore) -> list[str]:
    """One plain line per file with access beyond the config (for status, validate, doctor)."""
    return [f"Akses di luar konfigurasi pada '{ref.name}': {', '.join(who)}."
            for ref, who in extra_access(config, store)]
