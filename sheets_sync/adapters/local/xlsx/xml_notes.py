"""Notes (cell comments) for the fast write, merged with a section's own as `notes` says.

When the notes of a sheet change, its comments part and the VML drawing that
shows them are written again with openpyxl's own writers, as an openpyxl save writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import fromstring

from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
from openpyxl.xml.functions import tostring

from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.notes import Note, merged_note
from sheets_sync.adapters.local.xlsx.values import element_text
from sheets_sync.adapters.local.xlsx.xml_cells import MAX_COL, MAX_ROW, checked_string, parse_ref
from sheets_sync.adapters.local.xlsx.xml_parts import (
    NS,
    REL_NS,
    ContentTypes,
    Rels,
    checked_text,
)
from sheets_sync.adapters.local.xlsx.xml_sheet import SheetXml
from sheets_sync.domain.patch import CellRange, column_letter

COMMENTS_TYPE = f"{REL_NS}/comments"
VML_TYPE = f"{REL_NS}/vmlDrawing"
COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"

Cell = tuple[int, int]


def read_notes(data: bytes) -> dict[Cell, Note]:
    root = fromstring(checked_text(data))
    if root.tag != f"{NS}comments":
        raise NotHandled("comments part")
    found = root.find(f"{NS}authors")
    authors = [a.text or "" for a in found] if found is not None else []
    notes: dict[Cell, Note] = {}
    listed = root.find(f"{NS}commentList")
    for comment in listed if listed is not None else []:
        text = comment.find(f"{NS}text")
        notes[parse_ref(comment.get("ref", ""))] = (
            element_text(text) if text is not None else "", authors[int(comment.get("authorId", ""))])
    return notes


def notes_parts(notes: dict[Cell, Note]) -> tuple[bytes, bytes]:
    """The comments part and its VML drawing, as openpyxl writes them."""
    records = []
    for (r, c), (text, author) in sorted(notes.items()):
        record = CommentRecord(ref=f"{column_letter(c)}{r}", author=author)
        record.text.t = text
        records.append(record)
    sheet = CommentSheet.from_comments(records)
    return tostring(sheet.to_tree()), sheet.write_shapes(None)


class SheetNotes:
    """The notes of one sheet, changed in memory and written back by `save`."""

    def __init__(self, read: Callable[[str], bytes | None], sheet: SheetXml, rels: Rels) -> None:
        self.read, self.sheet, self.rels = read, sheet, rels
        found = rels.of_type("/comments")
        if len(found) > 1:
            raise NotHandled("two comments parts")
        self.rel = found[0] if found else None
        data = read(rels.part(self.rel)) if self.rel else None
        if self.rel and data is None:
            raise NotHandled("a missing comments part")
        self.notes = read_notes(data) if data is not None else {}
        self.before = dict(self.notes)

    def clear(self, rng: CellRange) -> None:
        for cell in [cell for cell in self.notes if rng.contains(*cell)]:
            self.set(cell, "")

    def set(self, cell: Cell, ours: str) -> None:
        if not (1 <= cell[0] <= MAX_ROW and 1 <= cell[1] <= MAX_COL):
            raise NotHandled("outside the sheet")
        new = merged_note(self.notes.get(cell), checked_note(ours))
        if new is None:
            self.notes.pop(cell, None)
        else:
            self.notes[cell] = new

    def save(self, names: set[str], write: Callable[[str, bytes | None], None],
             types: ContentTypes) -> None:
        if self.notes == self.before:
            return
        if self.rels.of_type("threadedComment"):
            raise NotHandled("threaded comments")
        vml_id = self.sheet.legacy_drawing()
        vml = self.rels.get(vml_id) if vml_id else None
        if vml_id and (vml is None or vml.type != VML_TYPE):
            raise NotHandled("a legacy drawing of another kind")
        if vml is not None and not _only_notes(self.read(self.rels.part(vml))):
            raise NotHandled("a legacy drawing with more than notes")
        if not self.notes:
            for rel in (self.rel, vml):
                if rel is not None:
                    write(self.rels.part(rel), None)
                    types.forget(self.rels.part(rel))
                    self.rels.remove(rel.id)
            self.sheet.set_legacy_drawing(None)
            return
        comments_xml, vml_xml = notes_parts(self.notes)
        if self.rel is None:
            path = _free(names, "xl/comments/comment{}.xml")
            self.rels.add(COMMENTS_TYPE, "/" + path)
        else:
            path = self.rels.part(self.rel)
        write(path, comments_xml)
        types.declare(path, COMMENTS_CONTENT)
        if vml is None:
            vml_path = _free(names, "xl/drawings/commentsDrawing{}.vml")
            self.sheet.set_legacy_drawing(self.rels.add(VML_TYPE, "/" + vml_path))
        else:
            vml_path = self.rels.part(vml)
        write(vml_path, vml_xml)
        types.declare(vml_path, VML_CONTENT, extension_default=True)


def checked_note(text: str) -> str:
    if text and checked_string(text) != text:
        raise NotHandled("a note longer than a cell holds")  # openpyxl does not cut notes
    return text


def _only_notes(data: bytes | None) -> bool:
    """Whether a VML drawing holds note shapes only (no form controls, no pictures)."""
    if data is None:
        return False
    kinds = re.findall(rb'ObjectType\s*=\s*"([^"]*)"', data)
    shapes = re.findall(rb"<(?:\w+:)?shape\b", data)
    return all(k == b"Note" for k in kinds) and len(shapes) == len(kinds)


def _free(names: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in names:
        n += 1
    names.add(pattern.format(n))
    return pattern.format(n)
