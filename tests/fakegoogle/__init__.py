"""fakegoogle: an in-process, stateful fake of the Sheets v4 / Drive v3 REST subset.

It is a requests transport adapter: nothing listens on a port and nothing inside gspread is
patched; the real gspread client (and google-auth) run on top of it::

    fake = FakeGoogle(seed=0, default_user="pep@example.go.id")
    gc = gspread.Client(None, session=fake.session("pep@example.go.id"))

Public API (see core.FakeGoogle for signatures and docstrings):

- identity: ``session(user)``, ``mount(session, user=None)``, ``adapter``, ``token_for``,
  ``refresh_token_for``, ``credentials(user)`` (google-auth Credentials refreshing at the
  fake oauth2 endpoint), ``add_user``, ``service_account_mode``, ``add_group``;
- world: ``create_spreadsheet``, ``create_folder``, ``create_shared_drive``, ``share``,
  ``write_as`` (a values.update as some user, through HTTP), ``clock``/``advance``/``now``;
- state: ``spreadsheet(id)`` (model.Spreadsheet), ``file(id)`` (core.DriveFile),
  ``find_files(**app_properties)``, ``notifications``;
- log: ``requests`` (RecordedRequest list), ``count(...)``, ``reset_counts()``;
- faults: ``fail_next(n, status=429, retry_after=None, kind=None)``,
  ``inject_faults(rate, kinds, seed, only=None)``, ``clear_faults()``.

``python -m tests.fakegoogle.replay DIR`` replays recorded Google traffic against it.
"""

from .core import (
    FOLDER_MIME,
    SPREADSHEET_MIME,
    DriveFile,
    FakeClock,
    FakeGoogle,
    Notification,
    Permission,
    RecordedRequest,
    SharedDrive,
    User,
)
from .errors import PROTECTED_MESSAGE, GoogleError
from .model import Sheet, Spreadsheet
from .transport import OUT_OF_SCOPE, FakeAdapter

__all__ = [
    "FOLDER_MIME",
    "OUT_OF_SCOPE",
    "PROTECTED_MESSAGE",
    "SPREADSHEET_MIME",
    "DriveFile",
    "FakeAdapter",
    "FakeClock",
    "FakeGoogle",
    "GoogleError",
    "Notification",
    "Permission",
    "RecordedRequest",
    "SharedDrive",
    "Sheet",
    "Spreadsheet",
    "User",
]
