"""How a note of ours is marked and merged with a section's own note: one description for
both writers (`xlsx_render` on openpyxl comments, `xml_notes` on the comments part).

A note of ours alone has the service as its author. Over a section's own note, ours goes
below NOTE_MARK and the note keeps the section's author; writing ours again, or nothing,
replaces or removes only that part, and the section's text stays as it is.
"""

from __future__ import annotations

SERVICE_NAME = "sheets-sync"  # the author of our notes; "last modified by" on our saves
NOTE_MARK = "-- sheets-sync --"  # starts our part of a note that also holds a section's own

Note = tuple[str, str]  # text, author


def own_note(note: Note | None) -> str:
    """The section's own text of a note (empty when the note is all ours, or none)."""
    if note is None or note[1] == SERVICE_NAME:
        return ""
    return note[0].split(f"\n\n{NOTE_MARK}\n", 1)[0].split(NOTE_MARK, 1)[0].rstrip()


def merged_note(current: Note | None, ours: str) -> Note | None:
    """The note a cell holding `current` gets when our part becomes `ours` ("" removes
    it); None is no note."""
    theirs = own_note(current)
    if not ours:
        return (theirs, current[1]) if theirs and current else None
    if theirs and current:
        return f"{theirs}\n\n{NOTE_MARK}\n{ours}", current[1]
    return ours, SERVICE_NAME
