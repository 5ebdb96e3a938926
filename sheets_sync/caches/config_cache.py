"""A cache of parsed YAML config files, keyed by their content.

PyYAML builds a Python object per node even with libyaml: an office-wide config (80
sections x 80 indicators written in the YAML, ~0.8 MB) takes 1.3 s to parse on every
command, more than the rest of a `sync validate` re-run. The parsed data is kept as JSON
(never pickle: nothing in a cache file can run code) under the user's cache folder, named
by a hash of the text and of this loader's version, so an edited file is parsed afresh and
a stale entry can never be used. Any trouble with the cache (no home folder, read-only
disk, a damaged file) only means parsing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Bump when the YAML loader's rules change (what a date, a time or a number becomes): the
# same text must then be parsed again.
LOADER_VERSION = "1"
WORTH_CACHING = 32 * 1024  # bytes of YAML; smaller files parse in milliseconds
KEEP = 16  # cache files; the oldest go first


def cache_folder() -> Path | None:
    """`SHEETS_SYNC_CACHE`, else the platform's user cache folder (None: do not cache)."""
    if os.environ.get("SHEETS_SYNC_CACHE"):
        return Path(os.environ["SHEETS_SYNC_CACHE"])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "sheets-sync" / "cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if os.environ.get("HOME") else "")
    return Path(base) / "sheets-sync" if base else None


def parsed(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, from the cache when this exact text was parsed before. Errors of
    `parse` pass through (nothing is cached for a text that does not parse)."""
    folder = cache_folder() if len(text) >= WORTH_CACHING else None
    if folder is None:
        return parse(text)
    key = hashlib.sha256(f"{LOADER_VERSION}\n{text}".encode()).hexdigest()
    file = folder / f"config-{key}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(file.read_text(encoding="utf-8"))
    data = parse(text)
    _store(folder, file, data)
    return data


def _store(folder: Path, file: Path, data: Any) -> None:
    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if json.loads(encoded) != data:  # e.g. a number as a mapping key: keep YAML's own
            return
    except (TypeError, ValueError):
        return
    if keep(file, encoded):
        with contextlib.suppress(OSError):
            entries = sorted(folder.glob("config-*.json"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-KEEP]:
                old.unlink()


def keep(file: Path, text: str) -> bool:
    """Write a cache file whole or not at all (a racing reader never sees half of it);
    False when the cache folder cannot be written, which only means computing again."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.parent / f".{uuid.uuid4().hex}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, file)
        return True
    except OSError:
        return False
