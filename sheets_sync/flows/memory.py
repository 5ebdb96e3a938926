"""The service's memory of a period, in the recap's hidden `_watch` sheet: one home for what
the watcher, `validate` and `recap` remember between runs and computers.

Rows, one kind per row (column A), read back by every process that finds the recap:
- `file`, id, modified: each section file's time as the watcher last saw it;
- `section`, id, digest: each section's content as the watcher last validated and recapped it;
- `deadline_passed`, "", ya/tidak: which side of the deadline the last recap was written on;
- `recapped`, state, time: what the last recap was made from (flows/recap.py `recap_state`:
  the files' versions, the config, which side of each SOP due time it was) and when it was
  written; a recap whose state is the same has nothing new to write, and reads no section;
- `judged`, section, JSON: the section's last result (its issues, valid, untouched), the
  file's version it was read at (`FileRef.version`, as the listing reports it) and the
  fingerprint of the config, indicators and rules that judged it, and whether the feedback
  for that result is in the section's workbook.

`validate` reuses a `judged` result instead of reading the section only while the file's
version and the fingerprint are both unchanged and its feedback is in place; anything else
(the section typed, the config, its indicators or the program changed, a row missing or
damaged) reads the section again. A version is taken from the listing *before* the read, so a
change made during or after the read always moves it: a section's change is never hidden,
at worst read once more.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from typing import Any

from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import SheetPatch
from sheets_sync.ports import FileRef

SHEET_MEMORY = "_watch"  # hidden sheet of the recap workbook (the name it always had)
MAX_CELL = 45_000  # Google keeps at most 50,000 characters in a cell: longer is not kept


@dataclass
class Judged:
    """A section's last result and what it was judged on."""

    version: str
    fingerprint: str
    issues: list[Issue]
    valid: bool
    untouched: bool
    fed: bool  # the feedback for this result is in the workbook (nothing to write)


@dataclass
class Memory:
    seen: dict[str, datetime | None] = field(default_factory=dict)  # file id -> modified
    digests: dict[str, str] = field(default_factory=dict)  # section -> content, as validated
    deadline_passed: bool | None = None
    judged: dict[str, Judged] = field(default_factory=dict)  # section -> its last result
    recapped: tuple[str, datetime] | None = None  # the last recap's state, and its time


def version_of(ref: FileRef) -> str:
    return ref.version or (ref.modified.isoformat() if ref.modified else "")


_FINGERPRINTS: dict[int, tuple[Config, str]] = {}


def fingerprint(config: Config) -> str:
    """What judged a section: the whole config (sections, indicators, rules, labels, ...) and
    the program's version (its rules). Any change gives another fingerprint."""
    kept = _FINGERPRINTS.get(id(config))
    if kept is not None and kept[0] is config:
        return kept[1]
    try:
        program = metadata.version("sheets-sync")
    except metadata.PackageNotFoundError:
        program = "?"
    text = program + "\n" + config.model_dump_json()
    value = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    _FINGERPRINTS.clear()
    _FINGERPRINTS[id(config)] = (config, value)
    return value


def reusable(memory: Memory, ref: FileRef, fp: str) -> Judged | None:
    """The section's last result, if it still holds for this file and this config."""
    judged = memory.judged.get(ref.tags.section or "")
    version = version_of(ref)
    if (judged is None or not version or judged.version != version
            or judged.fingerprint != fp or not judged.fed):
        return None
    return judged


def read_memory(grid: list[list[Any]] | None) -> Memory:
    """The memory as the sheet holds it; a damaged row is skipped (read again, never trusted)."""
    memory = Memory()
    for row in grid or []:
        kind, key, value = ([*row, "", "", ""])[:3]
        key = str(key)
        if kind == "file" and key:
            try:
                memory.seen[key] = datetime.fromisoformat(str(value)) if value else None
            except ValueError:
                continue
        elif kind == "section" and key:
            memory.digests[key] = str(value)
        elif kind == "deadline_passed" and str(value) in ("ya", "tidak"):
            memory.deadline_passed = str(value) == "ya"
        elif kind == "recapped" and key:
            try:
                memory.recapped = (key, datetime.fromisoformat(str(value)))
            except ValueError:
                continue
        elif kind == "judged" and key:
            judged = _judged(str(value))
            if judged is not None:
                memory.judged[key] = judged
    return memory


def _judged(text: str) -> Judged | None:
    try:
        data = json.loads(text)
        return Judged(version=str(data["v"]), fingerprint=str(data["fp"]),
                      issues=[Issue.model_validate(i) for i in data["issues"]],
                      valid=bool(data["valid"]), untouched=bool(data["untouched"]),
                      fed=bool(data["fed"]))
    except (ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
        return None


def _judged_cell(judged: Judged) -> str:
    return json.dumps({"v": judged.version, "fp": judged.fingerprint, "valid": judged.valid,
                       "untouched": judged.untouched, "fed": judged.fed,
                       "issues": [i.model_dump(mode="json", exclude_defaults=True)
                                  for i in judged.issues]},
                      ensure_ascii=False, separators=(",", ":"))


def memory_sheet(memory: Memory) -> SheetPatch:
    sheet = SheetPatch(SHEET_MEMORY, clear=True, hidden=True)
    passed = memory.deadline_passed
    rows: list[list[Any]] = [["deadline_passed", "",
                              "" if passed is None else "ya" if passed else "tidak"]]
    rows += [["file", fid, when.isoformat() if when else ""]
             for fid, when in sorted(memory.seen.items())]
    rows += [["section", s, d] for s, d in sorted(memory.digests.items())]
    if memory.recapped is not None:
        rows.append(["recapped", memory.recapped[0], memory.recapped[1].isoformat()])
    for section, judged in sorted(memory.judged.items()):
        cell = _judged_cell(judged)
        if len(cell) <= MAX_CELL:  # a longer one is not kept: that section is read each time
            rows.append(["judged", section, cell])
    sheet.put_table(1, 1, rows)
    return sheet
