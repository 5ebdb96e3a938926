"""A report limited to one organisation unit (`sync export REPORT --unit ID`). Pure.

The unit's subtree (the sections at any depth below it, `domain.units.subtree_sections`)
is all the report shows: the recap's rows and section summaries are kept for those sections
only, so every figure, mean and predikat is the unit's own. The report names the unit under
the office and is signed by the unit's head (`units[].head` as the position; `head_name`
and `head_nip` when the config gives them, else left for signing by hand), at the place of
`reports.signatory`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config, Signatory, Unit
from sheets_sync.domain.recap import Recap
from sheets_sync.domain.units import UnitFigures, roll_up, subtree_sections


@dataclass(frozen=True)
class Scope:
    """What a report covers: the whole office (unit None) or one unit's subtree."""

    unit: Unit | None = None
    sections: frozenset[str] = frozenset()

    def covers(self, section: str) -> bool:
        return self.unit is None or section in self.sections


OFFICE = Scope()


def scope_of(config: Config, unit_id: str | None) -> Scope:
    """The scope `--unit` asks for; an unknown id (or no `units:`) is a usage mistake."""
    if unit_id is None:
        return OFFICE
    if not config.units:
        raise UsageProblem(f"--unit {unit_id}: konfigurasi ini tidak punya 'units:' (pohon "
                           "organisasi); tambahkan 'units:' dan 'unit:' pada tiap bagian, "
                           "atau buat laporan tanpa --unit.")
    unit = next((u for u in config.units if u.id == unit_id), None)
    if unit is None:
        known = ", ".join(u.id for u in config.units)
        raise UsageProblem(f"--unit {unit_id}: unit itu tidak ada di 'units'. Unit yang ada: "
                           f"{known}.")
    return Scope(unit, frozenset(subtree_sections(config, unit_id)))


def limit(recap: Recap, scope: Scope) -> Recap:
    """The recap with only the scope's sections (the office's own when no unit)."""
    if scope.unit is None:
        return recap
    return replace(recap, rows=[r for r in recap.rows if scope.covers(r.section)],
                   summaries=[s for s in recap.summaries if scope.covers(s.section)],
                   issues=[i for i in recap.issues if scope.covers(i.section)],
                   units=[])


def signatory(config: Config, scope: Scope) -> Signatory:
    """The office's signatory, or for a unit its head (place and date as the office's)."""
    office = config.reports.signatory
    if scope.unit is None:
        return office
    u = scope.unit
    return Signatory(place=office.place, position=u.head or f"Kepala {u.name}",
                     name=u.head_name, nip=u.head_nip)


def unit_figures(config: Config, recap: Recap, scope: Scope) -> list[UnitFigures]:
    """The roll-up of the units the report covers, in tree order (depth counted from the
    scope's unit); empty without `units:`. `recap` is already limited to the scope."""
    figures = roll_up(config, recap)
    if scope.unit is None:
        return figures
    top = next(f for f in figures if f.id == scope.unit.id)
    inside = {scope.unit.id}
    out = []
    for f in figures:  # tree order: a parent comes before its children
        if f.id == top.id or f.parent in inside:
            inside.add(f.id)
            out.append(replace(f, depth=f.depth - top.depth))
    return out
