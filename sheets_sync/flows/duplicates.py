"""Two workbooks for one section (a "- Copy" beside the original, two computers racing): every
command says which one it uses and why, and whether the section typed in the other one.

Which one is used is decided by `collect.index_files`: the one created first where the
backend knows creation times (Google), else the one with the original name (a copy gets a
longer one: "... - Copy", "Copy of ..."). Nothing is deleted: a person decides. Reading the
others costs one read each, and only when there are duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheets_sync.domain.models import Config
from sheets_sync.domain.review import comparable
from sheets_sync.domain.worksheet import INPUT_COLUMNS, SectionSheet
from sheets_sync.flows.collect import Collected, read_sections
from sheets_sync.ports import FileRef, WorkbookStore


@dataclass
class DuplicateNote:
    section: str
    used: FileRef
    why: str
    others: list[FileRef] = field(default_factory=list)
    typed_in: dict[str, int] = field(default_factory=dict)  # other file id -> values differing


def why_used(used: FileRef, others: list[FileRef]) -> str:
    if used.created is not None and all(o.created is not None for o in others):
        return f"dibuat paling awal ({used.created:%d-%m-%Y %H:%M})"
    return "berkas asli (nama tanpa tambahan seperti '- Copy')"


def differences(used: SectionSheet | None, other: SectionSheet) -> int:
    """How many typed cells (and the status) of `other` differ from the workbook used."""
    count = 0
    for row in other.rows:
        mine = used.row_for(row.code) if used else None
        for key in INPUT_COLUMNS:
            theirs = comparable(row.cells.get(key))
            if theirs is not None and theirs != comparable(mine.cells.get(key) if mine else None):
                count += 1
    if used is not None and other.status and other.status != used.status:
        count += 1
    return count


def duplicate_notes(config: Config, store: WorkbookStore, found: Collected) -> list[DuplicateNote]:
    if not found.duplicates:
        return []
    extra = [r for refs in found.duplicates.values() for r in refs]
    used_missing = [found.refs[s] for s in found.duplicates
                    if s in found.refs and s not in found.sheets]
    # read by file (both sheets of a section share its id key in read_sections' result)
    sheets = {ref.id: read_sections(config, store, [ref])[ref.tags.section or ""]
              for ref in [*extra, *used_missing]}
    notes = []
    for section, others in sorted(found.duplicates.items()):
        used = found.refs[section]
        used_sheet = found.sheets.get(section) or sheets.get(used.id)
        note = DuplicateNote(section, used, why_used(used, others), list(others))
        for other in others:
            n = differences(used_sheet, sheets[other.id])
            if n:
                note.typed_in[other.id] = n
        notes.append(note)
    return notes
