"""The organisation tree's shape, checked on plain ids (no models: the Config model asks it).

Units form a tree by `parent`; each section names its unit. Mistakes are refused naming the
key to fix: a unit id written twice, an unknown parent, a cycle, a section without a unit or
with an unknown one once `units:` is given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def check_tree(units: Iterable[tuple[str, str | None]],
               sections: Iterable[tuple[str, str | None]]) -> None:
    """Raise ValueError (Indonesian, naming the key) when the tree is not a tree."""
    units = list(units)
    ids = [u for u, _ in units]
    twice = sorted(u for u, n in Counter(ids).items() if n > 1)
    if twice:
        raise ValueError(f"id unit ganda di 'units': {', '.join(twice)}; setiap unit butuh id "
                         "sendiri")
    known = set(ids)
    parents = dict(units)
    for unit, parent in units:
        if parent is not None and parent not in known:
            raise ValueError(f"units[{unit}].parent: unit induk '{parent}' tidak ada di 'units' "
                             f"(yang ada: {', '.join(sorted(known))}). Periksa ejaannya.")
    for unit in ids:
        seen = [unit]
        up = parents[unit]
        while up is not None:
            if up in seen:
                loop = " -> ".join([*seen[seen.index(up):], up])
                raise ValueError(f"units[{unit}].parent: unit-unit saling menjadi induk ({loop}); "
                                 "setiap rantai 'parent' harus berakhir di unit tanpa induk.")
            seen.append(up)
            up = parents[up]
    for section, unit in sections:
        if unit is None:
            if known:
                raise ValueError(f"sections[{section}].unit belum diisi; bila 'units' dipakai, "
                                 "setiap bagian menyebut unitnya (contoh: unit: bagian-umum)")
        elif unit not in known:
            raise ValueError(f"sections[{section}].unit: unit '{unit}' tidak ada di 'units' "
                             f"(yang ada: {', '.join(sorted(known)) or 'belum ada'}).")


def empty_units(units: Iterable[tuple[str, str | None]],
                sections: Iterable[tuple[str, str | None]]) -> list[str]:
    """Units with no section anywhere below them (loads, but is most likely a mistake)."""
    units = list(units)
    has: set[str] = set()
    parents = dict(units)
    for _section, unit in sections:
        while unit is not None and unit not in has:
            has.add(unit)
            unit = parents.get(unit)
    return [u for u, _ in units if u not in has]
