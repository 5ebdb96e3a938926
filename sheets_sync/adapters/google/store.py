"""`GoogleStore`: the workbook-store port on Google Sheets v4 + Drive v3, through gspread's
lower-level `HTTPClient` calls (one request each, no hidden metadata fetches).

Call costs (each one request unless a retry is needed):
- find / changed_since: 1 Drive files.list (per 1000 files)
- copy: 1 Drive files.copy; create: files.list + files.create + batchUpdate + files.update
  (tags last, so a half-made file is never found by its period; the first look finds one a
  crash left half-made, by the marker `create` derives from its name and tags, and finishes
  it). Copy and create are never resent blindly: when the answer is lost (timeout, 5xx) the
  file is first looked for (+1 files.list), by its tags (copy) or by its marker (create)
- a batchUpdate that adds or deletes sheets, protected ranges or charts carries the ids of
  what it adds (chosen here): after a lost answer, one spreadsheets.get tells whether it was
  applied, before anything is sent again
- a batchUpdate that appends rows (appendCells) is not resent after an unknown outcome
  either: the user is told to run the command again
- apply: 1 batchUpdate; +1 spreadsheets.get when the file was neither read, written, created
  nor copied by this process (a copy inherits its template's sheet ids)
- read: 1 spreadsheets.get per file with the cells' values and number format types (a
  percent-formatted number is read as the percentage shown): the named sheets only when the
  file is known, else with the book's metadata too (so the next apply is 1 call);
  +1 when a sheet was renamed or removed since the last look
- lock(period): 2 files.list + files.create to take, 1 files.update (trash) to release
- share: 1 permissions.list + 1 per account added, changed or removed (a create whose answer
  was lost: +1 permissions.list before it is sent again, never a second sharing e-mail)

The concerns live in their own modules: base (tags, errors), finding, writing, reading,
sharing; this module assembles them and builds the store from a session or the config.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import requests

from sheets_sync.adapters.google.http import (
    GoogleHTTP,
    QuotaLimiter,
    RateLimiter,
    RetryPolicy,
    Sleep,
)
from sheets_sync.adapters.google.locking import Locking
from sheets_sync.adapters.google.reading import Reading
from sheets_sync.adapters.google.sharing import Sharing
from sheets_sync.adapters.google.writing import Writing
from sheets_sync.ports import Capabilities
from sheets_sync.settings.backend import GoogleBackend

if TYPE_CHECKING:
    from sheets_sync.adapters.google.auth import Mount
    from sheets_sync.domain.models import Config


class GoogleStore(Locking, Writing, Reading, Sharing):
    """The Google backend.

    Tests and tools build it on any `requests.Session` (e.g. the in-process fake's) with
    `GoogleStore.from_session(session, settings, account=...)`; the CLI uses `from_config`.
    """


    @classmethod
    def from_session(cls, session: requests.Session, settings: GoogleBackend | None = None, *,
                     account: str | None = None, sleep: Sleep | None = None,
                     rand: Callable[[], float] | None = None,
                     limiter: RateLimiter | QuotaLimiter | None = None) -> GoogleStore:
        """A store on `session` (already authorised), with the limiter and retry policy of
        `settings`. For tests: `sleep` (the retry backoff's and, unless `limiter` is given,
        the limiter's), `rand` (() -> float in [0, 1), the jitter) and `limiter`."""
        settings = settings or GoogleBackend()
        if limiter is None:
            limiter = (QuotaLimiter.from_settings(settings, sleep=sleep) if sleep
                       else QuotaLimiter.from_settings(settings))
        retry = RetryPolicy(max_retries=settings.max_retries)
        if sleep is not None:
            retry.sleep = sleep
        if rand is not None:
            retry.rand = rand
        http = GoogleHTTP(session, limiter=limiter, retry=retry,
                          timeout=settings.timeout_seconds)
        return cls(http, settings, account=account)

    @classmethod
    def from_config(cls, config: Config, base_dir: Path, *,
                    mount: Mount | None = None) -> GoogleStore:
        """The store for `config`: credentials loaded (and checked) as the config says.
        `mount(session)` puts a transport adapter on the sessions (the tests' fake)."""
        from sheets_sync.adapters.google.auth import authorized_session

        settings = config.backend.google
        session, loaded = authorized_session(settings, base_dir, mount=mount)
        store = cls.from_session(session, settings, account=loaded.account)
        store.http.auth_kind = loaded.kind
        store.zone = config.office.tzinfo
        return store

    @property
    def capabilities(self) -> Capabilities:
        """Calls are counted; reads, writes and Drive calls wait for separate budgets, not so
        under one shared `RateLimiter`."""
        return Capabilities(paces_by_bucket=isinstance(self.http.limiter, QuotaLimiter),
                            counts_calls=True, missing=self)

    def stats(self) -> dict[str, int]:
        """API calls so far, per endpoint kind (for `--stats`)."""
        return self.http.stats()
