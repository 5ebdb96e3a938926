"""Sharing: give what the config grants (plus the owner); access beyond it is reported, and
withdrawn only when asked (`revoke_extra`: `sync distribute --revoke-extra`).

Every call is safe after a lost answer: a permission whose create went unanswered is looked
for before it is sent again (a repeat would send the section a second sharing e-mail), and a
delete answered 404 on its repeat was already done."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.base import ALL_DRIVES, DRIVE_FILES, PERM_FIELDS, StoreBase
from sheets_sync.adapters.google.errors import reasons
from sheets_sync.adapters.google.http import MaybeApplied
from sheets_sync.ports import BackendError, FileRef, Grant, ShareResult

ROLE_RANK = {"reader": 1, "commenter": 2, "writer": 3}


class Sharing(StoreBase):
    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "", revoke_extra: bool = False) -> ShareResult:
        wanted: dict[str, str] = {}
        for g in grants:
            email, role = g.email.strip().lower(), g.role
            if role not in ROLE_RANK:
                raise ValueError(f"unknown role {role!r}")  # a programming error, not a user's
            if ROLE_RANK[role] > ROLE_RANK.get(wanted.get(email, ""), 0):
                wanted[email] = role
        me = self.account()
        result = ShareResult()
        with self._lock:
            self._listed_permissions.pop(ref.id, None)  # about to change: list afresh later
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
            # Anything not granted ("anyone with the link", a domain, an outside account) is
            # reported; it is withdrawn only on request, as someone may have shared on purpose.
            what = describe_permission(perm)
            if not revoke_extra:
                result.extra.append(what)
                continue
            with self._errors(action, ref.id, ref.name):
                self._delete_permission(f"{base}/{perm['id']}")
            result.removed.append(what)
        for email, role in wanted.items():
            if email in have or email == me:
                continue
            params: dict[str, Any] = {**ALL_DRIVES, "fields": "id",
                                      "sendNotificationEmail": "true" if notify else "false"}
            if notify and message:
                params["emailMessage"] = message
            with self._errors(f"{action} untuk {email}", ref.id, ref.name):
                if self._add_permission(base, params, email, role, message):
                    result.invited.append(email)
            result.added.append(Grant(email, role))
        return result

    def _add_permission(self, base: str, params: dict[str, Any], email: str, role: str,
                        message: str = "") -> bool:
        """permissions.create, never twice: after a lost answer, list the file's permissions
        and send again only when the account is not there. True when the address has no
        Google account and was sent an invitation instead."""
        retry = self.http.retry
        body = {"type": "user", "role": role, "emailAddress": email}
        invited, attempt = False, 0
        while attempt <= retry.max_retries:
            try:
                self.http.request("post", base, params=params, json=body, idempotent=False)
                return invited
            except APIError as exc:
                # No Google account behind the address: Google takes it only as an
                # invitation, which needs the notification e-mail (issue 10).
                if (invited or params.get("sendNotificationEmail") == "true"
                        or "invalidSharingRequest" not in reasons(exc)):
                    raise
                params = {**params, "sendNotificationEmail": "true",
                          **({"emailMessage": message} if message else {})}
                invited = True
            except MaybeApplied as exc:
                retry.sleep(retry.delay(attempt, exc.retry_after))
                attempt += 1
                if any(str(p.get("emailAddress", "")).lower() == email
                       and p.get("role") == role for p in self._permissions(base)):
                    return invited
        raise BackendError(f"Google tidak menjawab dengan pasti saat membagikan ke {email}.",
                           hint="Jalankan perintah lagi; akses yang sudah diberikan tidak "
                                "dikirim dua kali.")

    def _delete_permission(self, url: str) -> None:
        try:
            self.http.request("delete", url, params=ALL_DRIVES)
        except APIError as exc:
            # a repeat of a delete whose answer was lost: already gone
            if exc.response.status_code != 404:
                raise

    def extra_access(self, period: str,
                     wanted: Callable[[FileRef], Sequence[Grant]]) -> list[tuple[FileRef, list[str]]]:
        """Access beyond `wanted(file)` (and the owner, the service, Shared Drive members) on
        the period's files. No call after a `find` of the period in this process (Drive
        lists permissions with the files), else 1; +1 permissions.list per file in a Shared
        Drive, where Drive does not list them with the file."""
        refs = self._found.get(period)
        if refs is None:
            refs = self.find(period)
        out: list[tuple[FileRef, list[str]]] = []
        for ref in refs:
            with self._lock:
                perms = self._listed_permissions.get(ref.id)
            if perms is None:
                with self._errors(f"memeriksa akses '{ref.name}'", ref.id, ref.name):
                    perms = self._permissions(f"{DRIVE_FILES}/{ref.id}/permissions")
            extra = self._beyond(perms, wanted(ref))
            if extra:
                out.append((ref, extra))
        return out

    def _beyond(self, perms: list[dict[str, Any]], grants: Sequence[Grant]) -> list[str]:
        wanted = {g.email.strip().lower() for g in grants}
        me = self.account()
        out = []
        for perm in perms:
            email = str(perm.get("emailAddress", "")).lower()
            inherited = any(d.get("inherited") for d in perm.get("permissionDetails") or [])
            if perm.get("role") == "owner" or inherited or (email and email == me):
                continue
            if perm.get("type") in ("user", "group") and email in wanted:
                continue
            out.append(describe_permission(perm))
        return out

    def _permissions(self, base: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            **ALL_DRIVES, "pageSize": 100, "fields": f"nextPageToken,permissions({PERM_FIELDS})"}
        out: list[dict[str, Any]] = []
        while True:
            page = self._json("get", base, params=params)
            out.extend(page.get("permissions", []))
            if not page.get("nextPageToken"):
                return out
            params["pageToken"] = page["nextPageToken"]

def describe_permission(perm: dict[str, Any]) -> str:
    """How a permission is named to PEP: the account, the domain, or "siapa saja (anyone)"."""
    kind = perm.get("type")
    if kind == "anyone":
        return "siapa saja yang memiliki tautan (anyone)"
    if kind == "domain":
        return f"domain:{perm.get('domain', '?')}"
    return str(perm.get("emailAddress") or kind)
