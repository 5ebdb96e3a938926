"""`sync consolidate`: a province-level recap from other offices' recaps, read-only.

Each source's recap is read once (its summary, indicators, units and trend record in one
read); a source that cannot be read is named, and the others still count. The consolidated
recap is this workspace's own file (role `consolidated`), written in one patch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sheets_sync.domain.consolidate import (
    SOURCE_SHEETS,
    SourceFigures,
    province_sheets,
    read_source,
)
from sheets_sync.domain.models import Config, ConsolidateSource
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import FileRef, Grid, Role, Tags, WorkbookStore

SourceReader = Callable[[ConsolidateSource, list[str]], tuple[dict[str, Grid], str]]


@dataclass
class ConsolidateResult:
    ref: FileRef
    sources: list[SourceFigures]
    created: bool

    @property
    def unreadable(self) -> list[SourceFigures]:
        return [s for s in self.sources if s.problem]


def consolidated_name(config: Config) -> str:
    """`consolidate.name` as the office wrote it, else "Rekapitulasi Gabungan <office>"."""
    title = config.consolidate.name or f"Rekapitulasi Gabungan {config.office.name}"
    return f"{title} {config.period.code}"


def consolidate(config: Config, store: WorkbookStore, read: SourceReader,
                unreadable: type[Exception]) -> ConsolidateResult:
    """`read` fetches one source's sheets (adapters.sources); `unreadable` is the exception
    it raises for a source that cannot be read this run."""
    figures = []
    for source in config.consolidate.sources:
        try:
            grids, url = read(source, list(SOURCE_SHEETS))
        except unreadable as exc:
            figures.append(SourceFigures(source.name, problem=str(exc)))
            continue
        figures.append(read_source(source.name, url, grids, config.period.code))
    patch = WorkbookPatch(sheets=province_sheets(config, figures))
    found = store.find(config.period.code, Role.consolidated)
    if found:
        store.apply(found[0], patch)
        return ConsolidateResult(found[0], figures, False)
    ref = store.create(consolidated_name(config), Tags(Role.consolidated, config.period.code),
                       patch)
    return ConsolidateResult(ref, figures, True)
