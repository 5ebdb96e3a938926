"""The Google backend: Sheets v4 + Drive v3 through gspread, behind the workbook-store port.

`GoogleStore.from_config(config, base_dir)` for the CLI; `GoogleStore.from_session(session,
settings, account=...)` on any authorised `requests.Session` (tests use the in-process fake).
"""

from sheets_sync.adapters.google.store import GoogleStore

__all__ = ["GoogleStore"]
