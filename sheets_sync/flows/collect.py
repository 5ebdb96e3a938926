"""Finding and reading the period's section workbooks: the shared first step of the flows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import SectionSheet, locate, parse_section
from sheets_sync.flows.guard import note_skipped
from sheets_sync.ports import ALL_SHEETS, BackendError, FileRef, Role, WorkbookStore


@dataclass
class Collected:
    refs: dict[str, FileRef] = field(default_factory=dict)  # section id -> its workbook
    sheets: dict[str, SectionSheet] = field(default_factory=dict)
    recap: FileRef | None = None
    template: FileRef | None = None
    duplicates: dict[str, list[FileRef]] = field(default_factory=dict)
    unknown: list[FileRef] = field(default_factory=list)  # tagged for a section not in config


def index_files(config: Config, files: Iterable[FileRef]) -> Collected:
    known = {s.id for s in config.sections}
    out = Collected()
    def age(ref: FileRef) -> tuple[bool, datetime, int, datetime, str]:
        # Oldest created first; where creation times are unknown (local files), the original
        # name before a copy ("... - Copy" is longer), then the oldest modified.
        return (ref.created is None, ref.created or datetime.min, len(ref.name),
                ref.modified or datetime.min, ref.id)

    for ref in sorted(files, key=age):
        if ref.tags.role is Role.recap:
            out.recap = out.recap or ref
        elif ref.tags.role is Role.template:
            out.template = out.template or ref
        elif ref.tags.section not in known:
            out.unknown.append(ref)
        elif ref.tags.section in out.refs:
            # Two workbooks for one section (two computers racing): keep the first created,
            # report the other; never delete what a section may have typed into.
            out.duplicates.setdefault(ref.tags.section, []).append(ref)
        else:
            out.refs[ref.tags.section] = ref
    return out


def sheets_to_read(config: Config) -> list[str]:
    labels = config.labels
    # Validasi too: in the same single read, it lets feedback notice a section erasing it.
    return [labels.sheet_worksheet, labels.sheet_meta, labels.sheet_validation]


def read_sections(config: Config, store: WorkbookStore, refs: Iterable[FileRef]) -> dict[str, SectionSheet]:
    """One read per workbook (concurrent where the backend allows), parsed. A workbook that
    could not be read (damaged, half-saved) or whose worksheet is gone is left out: nothing
    is written into it, and the others carry on."""
    refs = list(refs)
    grids = store.read_many(refs, sheets_to_read(config))
    out = {}
    for ref in refs:
        section = ref.tags.section or ""
        if ref.id not in grids:
            continue  # the store reported why
        if config.labels.sheet_worksheet not in grids[ref.id]:
            note_skipped(store, ref, renamed_message(config, store, ref))
            continue
        sheet = parse_section(section, grids[ref.id], config.labels)
        sheet.file_id, sheet.file_name, sheet.url = ref.id, ref.name, ref.url
        sheet.modified, sheet.modified_by = ref.modified, ref.modified_by
        out[section] = sheet
    return out


def renamed_message(config: Config, store: WorkbookStore, ref: FileRef) -> str:
    """The worksheet is missing: find the sheet that holds its table (a section renamed
    it), and say how to put it right. A second worksheet is never created."""
    name = config.labels.sheet_worksheet
    try:
        grids = store.read(ref, [ALL_SHEETS])
    except BackendError:
        grids = {}
    for title, grid in grids.items():
        if title != name and not locate(grid, config.labels).problems:
            return (f"lembar '{name}' di {ref.name} diganti namanya menjadi '{title}'; "
                    f"kembalikan namanya menjadi '{name}' (tidak ada yang ditulis ke berkas ini)")
    return (f"lembar '{name}' tidak ada di {ref.name}; bila namanya diganti, kembalikan "
            f"menjadi '{name}' (tidak ada yang ditulis ke berkas ini)")


def collect(config: Config, store: WorkbookStore, sections: Iterable[str] | None = None) -> Collected:
    """The period's files (1 call) and every section workbook read (1 call each)."""
    found = index_files(config, store.find(config.period.code))
    found.sheets = read_sections(config, store, wanted_refs(found, sections))
    return found


def wanted_refs(found: Collected, sections: Iterable[str] | None) -> list[FileRef]:
    """The workbooks of `sections` (all when None or empty) among those found."""
    wanted = set(sections) if sections else None
    return [r for s, r in found.refs.items() if wanted is None or s in wanted]
