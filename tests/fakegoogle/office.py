"""What a real office meets on Google, each behaviour OFF by default and switched on by a test.

`fake.office` holds the switches; the handlers call in here with one line each (transport,
drive, core), so the rest of the fake stays as it was. Sources (Google's reference pages)
are listed per behaviour in README.md ("Office behaviours").

    fake.office.no_google_account("tamu@yahoo.co.id")     # invalidSharingRequest / invitation
    fake.office.disable_api("sheets", project="123456789") # 403 SERVICE_DISABLED
    fake.office.grant_scopes(token, {"...auth/drive"})      # 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT
    fake.office.sharing_limit(after=2)                      # 403 sharingRateLimitExceeded
    fake.office.revoke(refresh_token)                       # invalid_grant at the token endpoint
    fake.office.inherited_permissions = True                # folder grants listed on files
    fake.office.private_app_properties = True               # appProperties per OAuth client
    fake.office.search_lag = 2                              # new files missing from files.list
    fake.office.incomplete_search = True                    # corpora=allDrives: incomplete
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import GoogleError, drive_error, sheets_error

if TYPE_CHECKING:
    from .core import DriveFile, FakeGoogle, Permission

SCOPE = "https://www.googleapis.com/auth/"
DEFAULT_CLIENT = "fake-client-id.apps.googleusercontent.com"
# Scopes that admit each API (the "Authorization scopes" section of each method's page).
_SHEETS_SCOPES = {"spreadsheets", "drive", "drive.file"}
_SHEETS_READ_SCOPES = {"spreadsheets.readonly", "drive.readonly"}
_DRIVE_SCOPES = {"drive", "drive.file", "drive.appdata"}
_DRIVE_READ_SCOPES = {"drive.readonly", "drive.metadata.readonly", "drive.metadata"}
_API_TITLE = {"sheets": ("Google Sheets API", "sheets.googleapis.com"),
              "drive": ("Google Drive API", "drive.googleapis.com")}


@dataclass
class Office:
    fake: FakeGoogle
    no_account: set[str] = field(default_factory=set)
    disabled: dict[str, str] = field(default_factory=dict)  # api -> Cloud project number
    token_scopes: dict[str, set[str]] = field(default_factory=dict)  # token -> short scopes
    refresh_scopes: dict[str, set[str]] = field(default_factory=dict)  # refresh token -> scopes
    revoked: set[str] = field(default_factory=set)  # refresh tokens that answer invalid_grant
    shares_left: int | None = None  # permissions.create calls before sharingRateLimitExceeded
    inherited_permissions: bool = False
    private_app_properties: bool = False
    client_tokens: dict[str, str] = field(default_factory=dict)  # access token -> client id
    app_props: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    search_lag: int = 0
    incomplete_search: bool = False
    invitations: list[tuple[str, str]] = field(default_factory=list)  # (file id, address)
    _lagging: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------------ switches
    def no_google_account(self, *emails: str) -> None:
        self.no_account.update(e.lower() for e in emails)

    def disable_api(self, api: str, project: str = "123456789012") -> None:
        self.disabled[api] = project

    def grant_scopes(self, token: str, scopes: set[str] | list[str]) -> None:
        """Limit an access token (or, for a refresh token, what the token endpoint grants)
        to `scopes` (full URLs or short names like 'drive')."""
        short = {s.removeprefix(SCOPE) for s in scopes}
        if token in self.fake.refresh_tokens:
            self.refresh_scopes[token] = short
        else:
            self.token_scopes[token] = short

    def sharing_limit(self, after: int = 0) -> None:
        self.shares_left = after

    def revoke(self, refresh_token: str) -> None:
        self.revoked.add(refresh_token)

    def token_for_client(self, user: str, client_id: str) -> str:
        """An access token for `user` issued to another OAuth client (another Cloud project)."""
        if client_id == DEFAULT_CLIENT:
            return self.fake.token_for(user)
        self.fake.add_user(user)
        token = "ya29.fake-" + hashlib.sha1(f"{client_id}:{user}".encode()).hexdigest()
        self.fake.tokens[token] = user
        self.client_tokens[token] = client_id
        return token

    # ------------------------------------------------------------------ transport hooks
    def refuse(self, api: str, op: str, method: str, token: str | None) -> GoogleError | None:
        """An API not enabled in the token's Cloud project, or a token without the scope."""
        if api not in _API_TITLE:
            return None
        if api in self.disabled:
            return _service_disabled(api, self.disabled[api])
        scopes = self.token_scopes.get(token or "")
        if scopes is None:
            return None
        allowed = (_SHEETS_SCOPES if api == "sheets" else _DRIVE_SCOPES)
        if method == "GET":
            allowed = allowed | (_SHEETS_READ_SCOPES if api == "sheets" else _DRIVE_READ_SCOPES)
        if scopes & allowed:
            return None
        return _scope_insufficient(api, op)

    def token_answer(self, form: dict[str, str], user: str) -> tuple[int, Any] | None:
        """The token endpoint's answer when a behaviour applies (else None: the default)."""
        rt = form.get("refresh_token", "")
        if rt in self.revoked:
            return 400, {"error": "invalid_grant",
                         "error_description": "Token has been expired or revoked."}
        client = form.get("client_id") or DEFAULT_CLIENT
        scopes = self.refresh_scopes.get(rt)
        if scopes is None and not (self.private_app_properties and client != DEFAULT_CLIENT):
            return None
        token = (self.token_for_client(user, client) if self.private_app_properties
                 else self.fake.token_for(user))
        granted = scopes if scopes is not None else {"spreadsheets", "drive"}
        if scopes is not None:
            self.token_scopes[token] = set(scopes)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer",
                     "scope": " ".join(SCOPE + s for s in sorted(granted))}

    @contextlib.contextmanager
    def app_view(self, token: str | None) -> Iterator[None]:
        """appProperties are private to the OAuth client that set them: while a request of
        another client runs, every file shows (and stores) that client's own set."""
        client = self.client_tokens.get(token or "", DEFAULT_CLIENT)
        if not self.private_app_properties or client == DEFAULT_CLIENT:
            yield
            return
        saved = {fid: f.app_properties for fid, f in self.fake.files.items()}
        for fid, f in self.fake.files.items():
            f.app_properties = self.app_props.setdefault((client, fid), {})
        try:
            yield
        finally:
            for fid, f in self.fake.files.items():
                self.app_props[(client, fid)] = f.app_properties
                f.app_properties = saved.get(fid, {})

    # ------------------------------------------------------------------ drive hooks
    def created(self, f: DriveFile) -> None:
        if self.search_lag:
            self._lagging[f.id] = self.search_lag

    def searchable(self, hits: list[DriveFile], corpora: str) -> tuple[list[DriveFile], bool]:
        """files.list is not instantly consistent: a new file stays out of the results for
        `search_lag` listings. With corpora=allDrives the search may be incomplete: Shared
        Drive items are then left out and incompleteSearch is true."""
        out = []
        for f in hits:
            left = self._lagging.get(f.id, 0)
            if left > 0:
                continue
            out.append(f)
        for fid in list(self._lagging):
            self._lagging[fid] -= 1
            if self._lagging[fid] <= 0:
                del self._lagging[fid]
        incomplete = self.incomplete_search and corpora == "allDrives"
        if incomplete:
            out = [f for f in out if not f.drive_id]
        return out, incomplete

    def check_share(self, f: DriveFile, email: str | None, notify: bool) -> bool:
        """Before permissions.create: the sharing limit, and an address with no Google
        account (400 without a notification; an invitation with one). Returns whether the
        grant is an invitation."""
        if self.shares_left is not None:
            if self.shares_left <= 0:
                raise drive_error(
                    403, 'Rate limit exceeded. User message: "Sorry, you have exceeded your '
                    'sharing quota."', "sharingRateLimitExceeded", domain="usageLimits")
            self.shares_left -= 1
        if not email or email.lower() not in self.no_account:
            return False
        if not notify:
            raise drive_error(
                400, f'Bad Request. User message: "You are trying to invite {email}. Since '
                "there is no Google account associated with this email address, you must "
                "check the 'Notify people' box to invite this recipient.\"",
                "invalidSharingRequest")
        self.invitations.append((f.id, email.lower()))
        return True

    def inherited(self, f: DriveFile) -> list[dict[str, Any]]:
        """permissions.list on a file in a My Drive folder also lists the folder's grants,
        marked inherited (permissionDetails.inherited, inheritedFrom)."""
        if not self.inherited_permissions or f.drive_id:
            return []
        out: list[dict[str, Any]] = []
        own = {p.id for p in f.permissions}
        seen: set[str] = set()
        stack = [p for p in f.parents]
        while stack:
            pid = stack.pop()
            parent = self.fake.files.get(pid)
            if parent is None or pid in seen:
                continue
            seen.add(pid)
            for p in parent.permissions:
                if p.id in own or p.role == "owner":
                    continue
                out.append(_inherited_json(p, pid))
            stack.extend(parent.parents)
        return out


def _inherited_json(p: Permission, folder: str) -> dict[str, Any]:
    pj = p.to_json()
    pj["permissionDetails"] = [{"permissionType": "file", "role": p.role,
                                "inheritedFrom": folder, "inherited": True}]
    return pj


def _service_disabled(api: str, project: str) -> GoogleError:
    title, service = _API_TITLE[api]
    link = f"https://console.developers.google.com/apis/api/{service}/overview?project={project}"
    message = (f"{title} has not been used in project {project} before or it is disabled. "
               f"Enable it by visiting {link} then retry. If you enabled this API recently, "
               "wait a few minutes for the action to propagate to our systems and retry.")
    details = [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
         "domain": "googleapis.com",
         "metadata": {"service": service, "consumer": f"projects/{project}",
                      "activationUrl": link, "containerInfo": project,
                      "serviceTitle": title}},
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
         "message": message},
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Google developers console API activation", "url": link}]},
    ]
    if api == "sheets":
        return sheets_error(403, message, "PERMISSION_DENIED", details=details)
    err = drive_error(403, message, "accessNotConfigured", domain="usageLimits")
    err.body["error"]["errors"][0]["extendedHelp"] = link
    err.body["error"]["status"] = "PERMISSION_DENIED"
    err.body["error"]["details"] = details
    return err


def _scope_insufficient(api: str, op: str) -> GoogleError:
    service = _API_TITLE[api][1]
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
                "metadata": {"service": service, "method": f"google.apps.{api}.{op}"}}]
    message = "Request had insufficient authentication scopes."
    if api == "sheets":
        return sheets_error(403, message, "PERMISSION_DENIED", details=details)
    err = drive_error(403, message, "insufficientPermissions")
    err.body["error"]["status"] = "PERMISSION_DENIED"
    err.body["error"]["details"] = details
    return err
