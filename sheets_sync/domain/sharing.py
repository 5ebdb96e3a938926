"""The sharing policy: who gets which role on which file of a period. One home, asked by
`distribute`, `recap` and the access check on both backends (docs/design.md §5).

- a section's worksheet: the section's editors write; PEP get `sharing.pep_role`;
- the recap (and a consolidated recap): PEP get `sharing.pep_role`, leadership
  `sharing.leadership_role`, every unit's viewers read it;
- a unit's viewers (`units[].viewers`) read the worksheets of the sections below the unit;
- the template, or a worksheet of a section no longer in the config: PEP only.
The owner (the service's account) is never listed: it always keeps its access. Nobody else is
ever granted anything, and never "anyone with the link".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sheets_sync.domain.models import Config, Section

FileKind = Literal["template", "section", "recap", "consolidated"]  # `ports.Role` values


@dataclass(frozen=True)
class Grant:
    email: str
    role: str  # "writer" | "reader" | "commenter"


def pep_grants(config: Config) -> list[Grant]:
    role = config.backend.google.sharing.pep_role
    return [Grant(e, role) for e in config.office.pep_accounts]


def section_grants(config: Config, section: Section) -> list[Grant]:
    grants = {e: Grant(e, "writer") for e in section.editors}
    for grant in pep_grants(config):
        grants.setdefault(grant.email, grant)
    for e in unit_viewers(config, section.unit):
        grants.setdefault(e, Grant(e, "reader"))
    return list(grants.values())


def unit_viewers(config: Config, unit_id: str | None) -> list[str]:
    """The viewers of `unit_id` and of every unit above it (a Kepala Bagian reads the
    worksheets of all the Subbagian below the Bagian)."""
    parents = {u.id: u for u in config.units}
    out: list[str] = []
    while unit_id is not None and unit_id in parents:
        out += [e for e in parents[unit_id].viewers if e not in out]
        unit_id = parents[unit_id].parent
    return out


def recap_grants(config: Config) -> list[Grant]:
    role = config.backend.google.sharing.leadership_role
    grants = {g.email: g for g in pep_grants(config)}
    for e in config.office.leadership_accounts:
        grants.setdefault(e, Grant(e, role))
    for unit in config.units:
        for e in unit.viewers:
            grants.setdefault(e, Grant(e, "reader"))
    return list(grants.values())


def file_grants(config: Config, kind: str, section_id: str | None) -> list[Grant]:
    """What the config grants on one file of the period, by its kind (a `ports.Role` value)
    and, for a worksheet, its section."""
    if kind in ("recap", "consolidated"):
        return recap_grants(config)
    section = next((s for s in config.sections if s.id == section_id), None)
    if kind == "section" and section is not None:
        return section_grants(config, section)
    return pep_grants(config)
