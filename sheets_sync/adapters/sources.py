"""Reading another office's recap for `sync consolidate`, wherever it lives.

A source is a Google spreadsheet (id or link: read through this office's Google store, so
with its credentials), a recap .xlsx file, or another office's workspace folder (its recap of
this period, found as that office's own commands find it). One read per source.
"""

from __future__ import annotations

import re
from pathlib import Path

from sheets_sync.domain.models import Config, ConsolidateSource
from sheets_sync.ports import BackendError, FileRef, Grid, Role, Tags, WorkbookStore

_SHEET_LINK = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")


class SourceUnreadable(Exception):
    """Why a source cannot be read this run (plain Indonesian; the others still count)."""


def read_source(config: Config, base_dir: Path, store: WorkbookStore,
                source: ConsolidateSource, sheets: list[str]) -> tuple[dict[str, Grid], str]:
    """The source recap's `sheets` and where a person opens it."""
    from sheets_sync.adapters.local import LocalStore

    period = config.period.code
    try:
        if source.workspace is not None:
            folder = (base_dir / source.workspace).resolve()
            if not folder.is_dir():
                raise SourceUnreadable(f"folder kerja {folder} tidak ada")
            recaps = LocalStore(folder, processes=1).find(period, Role.recap)
            if not recaps:
                raise SourceUnreadable(f"rekap periode {period} belum ada di {folder} (jalankan "
                                       "'sync recap' di kantor itu)")
            return LocalStore(folder, processes=1).read(recaps[0], sheets), recaps[0].url
        text = str(source.recap).strip()
        if text.lower().endswith(".xlsx"):
            path = (base_dir / text).resolve()
            if not path.is_file():
                raise SourceUnreadable(f"berkas rekap {path} tidak ada")
            ref = FileRef(id=str(path), name=path.stem, tags=Tags(Role.recap, period),
                          url=str(path))
            return LocalStore(path.parent, processes=1).read(ref, sheets), str(path)
        if config.backend.kind != "google":
            raise SourceUnreadable("sumber Google Sheet butuh backend.kind: google; untuk "
                                   "folder bersama tulis 'workspace' atau jalur berkas .xlsx")
        match = _SHEET_LINK.search(text)
        sheet_id = match.group(1) if match else text
        url = f"https://docs.google.com/spreadsheets/d/{sheet_id}"
        ref = FileRef(id=sheet_id, name=source.name, tags=Tags(Role.recap, period), url=url)
        return store.read(ref, sheets), url
    except BackendError as exc:
        raise SourceUnreadable(exc.message) from None
    except OSError as exc:
        raise SourceUnreadable(f"tidak dapat dibaca ({exc.strerror or type(exc).__name__})") from None
