"""The fake world: users, Drive files, Shared Drives, permissions, clock, faults, log.

One `FakeGoogle` holds everything; Sheets and Drive handlers (sheets.py, drive.py) act on
it, so a Sheets write is immediately visible in Drive (modifiedTime, lastModifyingUser).
All access goes through one re-entrant lock, so threads may share a fake. The records
(DriveFile, Permission, ...) are in core_types.py, the log and faults in core_log.py, the
users, their tokens and sessions in core_users.py.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

from .errors import GoogleError

if TYPE_CHECKING:
    from .model import Spreadsheet

from .core_log import LogAndFaults
from .core_types import (
    _ID_CHARS,
    FOLDER_MIME,
    ROLE_RANK,
    SPREADSHEET_MIME,
    DriveFile,
    FakeClock,
    Notification,
    Permission,
    RecordedRequest,
    SharedDrive,
    User,
    _Fault,
    parse_rfc3339,
    rfc3339,
)
from .core_users import UsersAndSessions


class FakeGoogle(UsersAndSessions, LogAndFaults):
    """An in-process fake of the Sheets v4 / Drive v3 subset used by gspread.

    >>> fake = FakeGoogle(seed=0)
    >>> gc = gspread.Client(None, session=fake.session("pep@example.go.id"))
    """

    def __init__(
        self,
        seed: int = 0,
        default_user: str = "owner@example.com",
        strict: bool = True,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        # Per-request network latency in seconds (off by default; benchmarks turn it on),
        # spent outside the lock so concurrent requests overlap as on a real network.
        # `latency_sleep` may be a benchmark's virtual clock instead of time.sleep.
        self.latency = 0.0
        self.latency_sleep: Callable[[float], None] = time.sleep
        self.clock = FakeClock()
        self.strict = strict
        self.users: dict[str, User] = {}
        self.tokens: dict[str, str] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.groups: dict[str, set[str]] = {}
        self.files: dict[str, DriveFile] = {}
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.shared_drives: dict[str, SharedDrive] = {}
        self.roots: dict[str, str] = {}
        self.requests: list[RecordedRequest] = []
        self.notifications: list[Notification] = []
        self._fault_queue: list[_Fault] = []
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = ()
        self._fault_rng = random.Random(seed)
        self._fault_filter: Any = None
        # set per Drive request from supportsAllDrives (items in Shared Drives need it)
        self._supports_all_drives = True
        self.default_user = default_user
        from .office import Office

        self.office = Office(self)  # office behaviours, each off by default
        self.add_user(default_user)
        from .transport import FakeAdapter

        self.adapter = FakeAdapter(self)

    # ------------------------------------------------------------------ clock
    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock.advance(seconds)

    def now(self) -> str:
        return self.clock.iso()

    # ------------------------------------------------------------------ ids
    def new_file_id(self) -> str:
        while True:
            fid = "1" + "".join(self.rng.choice(_ID_CHARS) for _ in range(43))
            if fid not in self.files and fid not in self.shared_drives:
                return fid

    def new_int_id(self) -> int:
        return self.rng.randint(1, 2**31 - 1)

    def root_of(self, email: str) -> str:
        """The id of `email`'s My Drive root folder (not itself a stored file)."""
        rid = self.roots.get(email)
        if rid is None:
            rid = "0A" + hashlib.sha1(f"root:{email}".encode()).hexdigest()[:17] + "Uk9PVA"
            self.roots[email] = rid
        return rid

    @staticmethod
    def permission_id_for(email: str) -> str:
        """Google's permission id for a user is stable (the account id) across files."""
        digest = hashlib.sha1(email.lower().encode()).hexdigest()
        return str(int(digest, 16))[:20]

    # ------------------------------------------------------------------ drives
    def create_shared_drive(self, name: str, members: dict[str, str] | list[str]) -> str:
        """Create a Shared Drive; members as {email: role} or a list (organizers)."""
        with self.lock:
            if isinstance(members, list):
                members = dict.fromkeys(members, "organizer")
            for m in members:
                self.add_user(m)
            did = "0A" + "".join(self.rng.choice(_ID_CHARS) for _ in range(17))
            self.shared_drives[did] = SharedDrive(did, name, dict(members), self.clock.tick())
            return did

    def create_folder(
        self,
        name: str,
        owner: str | None = None,
        shared_drive: str | None = None,
        parent: str | None = None,
    ) -> str:
        """Create a folder (in `owner`'s My Drive, or in a Shared Drive)."""
        with self.lock:
            owner = owner or self.default_user
            self.add_user(owner)
            parents = [parent] if parent else ([shared_drive] if shared_drive else [])
            drive_id = shared_drive
            if parent and parent in self.files:
                drive_id = self.files[parent].drive_id
            f = self._new_file(name, FOLDER_MIME, owner, parents, drive_id)
            return f.id

    def _new_file(
        self,
        name: str,
        mime: str,
        actor: str,
        parents: list[str],
        drive_id: str | None,
        file_id: str | None = None,
    ) -> DriveFile:
        now = self.clock.tick()
        fid = file_id or self.new_file_id()
        f = DriveFile(
            id=fid,
            name=name,
            mime_type=mime,
            owner=None if drive_id else actor,
            created_time=now,
            modified_time=now,
            last_modifying_user=actor,
            parents=list(parents) or ([] if drive_id else [self.root_of(actor)]),
            drive_id=drive_id,
        )
        if not drive_id:
            f.permissions.append(self._user_permission(actor, "owner"))
        self.files[fid] = f
        self.office.created(f)
        return f

    def _user_permission(self, email: str, role: str, kind: str = "user") -> Permission:
        user = self.users.get(email)
        return Permission(
            id=self.permission_id_for(email),
            type=kind,
            role=role,
            email_address=email,
            display_name=user.display_name if user else None,
        )

    def create_spreadsheet(
        self,
        title: str,
        owner: str | None = None,
        parent: str | None = None,
        file_id: str | None = None,
        locale: str = "en_US",
    ) -> str:
        """Create a spreadsheet directly (no request recorded, no quota check)."""
        from .model import Spreadsheet

        with self.lock:
            owner = owner or self.default_user
            self.add_user(owner)
            drive_id = None
            if parent:
                drive_id = parent if parent in self.shared_drives else self.files[parent].drive_id
            f = self._new_file(title, SPREADSHEET_MIME, owner, [parent] if parent else [], drive_id, file_id)
            self.spreadsheets[f.id] = Spreadsheet.new(self, f.id, title, locale=locale)
            return f.id

    def share(self, file_id: str, email: str, role: str = "writer", kind: str = "user") -> None:
        """Grant a permission directly (no notification, no request recorded)."""
        with self.lock:
            self.add_user(email)
            f = self.files[file_id]
            f.permissions = [p for p in f.permissions if p.email_address != email]
            f.permissions.append(self._user_permission(email, role, kind))

    # ------------------------------------------------------------------ access
    def role_of(self, email: str | None, f: DriveFile) -> str | None:
        """The highest role `email` holds on `f`: direct, inherited from folders, from the
        Shared Drive membership, from its groups and domain, or from an 'anyone' grant."""
        if email is None:
            return None
        best: str | None = None

        def consider(role: str | None) -> None:
            nonlocal best
            if role and (best is None or ROLE_RANK[role] > ROLE_RANK[best]):
                best = role

        seen: set[str] = set()
        stack = [f]
        user = self.users.get(email)
        groups = {g for g, members in self.groups.items() if email in members}
        if user:
            groups |= user.groups
        domain = email.rsplit("@", 1)[-1].lower()
        while stack:
            cur = stack.pop()
            if cur.id in seen:
                continue
            seen.add(cur.id)
            if cur.owner == email:
                consider("owner")
            for p in cur.permissions:
                if (
                    (p.type == "user" and p.email_address == email)
                    or (p.type == "group" and p.email_address in groups)
                    or (p.type == "domain" and (p.domain or "").lower() == domain)
                    or p.type == "anyone"
                ):
                    consider(p.role)
            for parent in cur.parents:
                if parent in self.files:
                    stack.append(self.files[parent])
        if f.drive_id and f.drive_id in self.shared_drives:
            consider(self.shared_drives[f.drive_id].members.get(email))
        return best

    def visible_file(self, email: str | None, file_id: str) -> DriveFile | None:
        f = self.files.get(file_id)
        if f is None or self.role_of(email, f) is None:
            return None
        return f

    def touch(self, f: DriveFile, actor: str | None) -> None:
        """A write happened: bump modifiedTime (strictly increasing) and lastModifyingUser."""
        f.modified_time = self.clock.tick()
        f.version += 1
        if actor:
            f.last_modifying_user = actor

    def write_as(
        self,
        user: str,
        spreadsheet_id: str,
        range_a1: str,
        values: list[list[Any]],
        value_input_option: str = "USER_ENTERED",
    ) -> requests.Response:
        """Write values as `user` through the real HTTP path (values.update; recorded,
        permission- and protection-checked). Returns the response (check .status_code)."""
        from urllib.parse import quote

        url = (
            f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet_id}/values/"
            f"{quote(range_a1, safe='')}"
        )
        return self.session(user).put(
            url, params={"valueInputOption": value_input_option}, json={"values": values}
        )

    # ------------------------------------------------------------------ direct state
    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """The stored spreadsheet (sheets, cells, protections, ...) for assertions."""
        return self.spreadsheets[spreadsheet_id]

    def file(self, file_id: str) -> DriveFile:
        """The stored Drive metadata (appProperties, permissions, modifiedTime, ...)."""
        return self.files[file_id]

    def find_files(self, **app_properties: str) -> list[DriveFile]:
        """Files (not trashed) whose appProperties contain all the given pairs."""
        return [
            f
            for f in self.files.values()
            if not f.trashed and all(f.app_properties.get(k) == v for k, v in app_properties.items())
        ]



__all__ = [
    "FOLDER_MIME",
    "SPREADSHEET_MIME",
    "DriveFile",
    "FakeClock",
    "FakeGoogle",
    "GoogleError",
    "Notification",
    "Permission",
    "RecordedRequest",
    "SharedDrive",
    "User",
    "parse_rfc3339",
    "rfc3339",
]
