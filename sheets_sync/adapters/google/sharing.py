"""Sharing: make a file's permissions exactly what the config grants (plus the owner)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.base import ALL_DRIVES, DRIVE_FILES, StoreBase
from sheets_sync.adapters.google.errors import reasons
from sheets_sync.ports import FileRef, Grant, ShareResult

ROLE_RANK = {"reader": 1, "commenter": 2, "writer": 3}


class Sharing(StoreBase):
    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "") -> ShareResult:
        wanted: dict[str, str] = {}
        for g in grants:
            email, role = g.email.strip().lower(), g.role
            if role not in ROLE_RANK:
                raise ValueError(f"unknown role {role!r}")  # a programming error, not a user's
            if ROLE_RANK[role] > ROLE_RANK.get(wanted.get(email, ""), 0):
                wanted[email] = role
        me = self.account()
        result = ShareResult()
        base = f"{DRIVE_FILES}/{ref.id}/permissions"
        action = f"mengatur akses '{ref.name}'"
        with self._errors(action, ref.id, ref.name):
            existing = self._permissions(base)
        have: dict[str, str] = {}
        for perm in existing:
            kind, role = perm.get("type"), perm.get("role", "")
            email = str(perm.get("emailAddress", "")).lower()
            inherited = any(d.get("inherited") for d in perm.get("permissionDetails") or [])
            if role == "owner" or inherited or (email and email == me):
                # the owner, a Shared Drive member, the service's own account: never removed
                have[email] = "owner" if role == "owner" else role
                continue
            if kind in ("user", "group") and email in wanted:
                if perm.get("role") == wanted[email]:
                    have[email] = role
                    continue
                with self._errors(action, ref.id, ref.name):
                    self._json("patch", f"{base}/{perm['id']}",
                               params={**ALL_DRIVES, "fields": "id"},
                               body={"role": wanted[email]})
                have[email] = wanted[email]
                result.added.append(Grant(email, wanted[email]))
                continue
            # Anything not granted goes, "anyone with the link" and whole domains included.
            with self._errors(action, ref.id, ref.name):
                self.http.request("delete", f"{base}/{perm['id']}", params=ALL_DRIVES)
            result.removed.append(email or (perm.get("domain") and f"domain:{perm['domain']}")
                                  or str(kind))
        for email, role in wanted.items():
            if email in have or email == me:
                continue
            params: dict[str, Any] = {**ALL_DRIVES, "fields": "id",
                                      "sendNotificationEmail": "true" if notify else "false"}
            if notify and message:
                params["emailMessage"] = message
            body = {"type": "user", "role": role, "emailAddress": email}
            with self._errors(f"{action} untuk {email}", ref.id, ref.name):
                try:
                    self._json("post", base, params=params, body=body)
                except APIError as exc:
                    # No Google account behind the address: Google takes it only as an
                    # invitation, which needs the notification e-mail (issue 10).
                    if notify or "invalidSharingRequest" not in reasons(exc):
                        raise
                    invite = {**params, "sendNotificationEmail": "true",
                              **({"emailMessage": message} if message else {})}
                    self._json("post", base, params=invite, body=body)
                    result.invited.append(email)
            result.added.append(Grant(email, role))
        return result

    def _permissions(self, base: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            **ALL_DRIVES, "pageSize": 100,
            "fields": "nextPageToken,permissions(id,type,role,emailAddress,domain,"
                      "permissionDetails(inherited))",
        }
        out: list[dict[str, Any]] = []
        while True:
            page = self._json("get", base, params=params)
            out.extend(page.get("permissions", []))
            if not page.get("nextPageToken"):
                return out
            params["pageToken"] = page["nextPageToken"]
