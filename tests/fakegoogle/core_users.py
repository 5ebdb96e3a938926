"""FakeGoogle's users, their tokens and the sessions acting as them (a base class of
core.FakeGoogle)."""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any

import requests

from .core_types import User

if TYPE_CHECKING:
    from .transport import FakeAdapter


class UsersAndSessions:
    """Who may call the fake and how a client authenticates as them; FakeGoogle sets up
    the state."""

    lock: threading.RLock
    seed: int
    default_user: str
    adapter: FakeAdapter
    users: dict[str, User]
    tokens: dict[str, str]
    refresh_tokens: dict[str, str]
    groups: dict[str, set[str]]

    # ------------------------------------------------------------------ users
    def add_user(
        self,
        email: str,
        display_name: str | None = None,
        service_account: bool | None = None,
    ) -> User:
        """Register a user (idempotent). Emails ending in .gserviceaccount.com are service
        accounts (no Drive storage quota) unless told otherwise."""
        with self.lock:
            user = self.users.get(email)
            if user is None:
                sa = email.endswith(".gserviceaccount.com")
                token = "ya29.fake-" + hashlib.sha1(f"{self.seed}:{email}".encode()).hexdigest()
                user = User(email, display_name or email.split("@")[0], sa, token)
                self.users[email] = user
                self.tokens[token] = email
            if display_name:
                user.display_name = display_name
            if service_account is not None:
                user.service_account = service_account
            return user

    def service_account_mode(self, user: str, enabled: bool = True) -> None:
        """Make `user` behave as a service account: no Drive storage of its own."""
        self.add_user(user, service_account=enabled)

    def token_for(self, user: str) -> str:
        """The bearer access token the fake maps to `user`."""
        return self.add_user(user).token

    def refresh_token_for(self, user: str) -> str:
        """A refresh token that the fake's oauth2 endpoint exchanges for `user`'s token."""
        self.add_user(user)
        rt = "1//fake-refresh-" + hashlib.sha1(f"rt:{user}".encode()).hexdigest()[:24]
        self.refresh_tokens[rt] = user
        return rt

    def add_group(self, group: str, members: list[str]) -> None:
        with self.lock:
            self.groups.setdefault(group, set()).update(members)

    def session(self, user: str | None = None) -> requests.Session:
        """A requests.Session acting as `user`, with the fake mounted (and no network)."""
        s = requests.Session()
        self.mount(s, user=user or self.default_user)
        return s

    def mount(self, session: requests.Session, user: str | None = None) -> requests.Session:
        """Mount the fake on `session`. Every other http(s) URL fails without a socket.

        With `user`, also set the session's Authorization header to that user's token.
        """
        for prefix in (
            "https://sheets.googleapis.com/",
            "https://www.googleapis.com/",
            "https://oauth2.googleapis.com/",
            "https://",
            "http://",
        ):
            session.mount(prefix, self.adapter)
        if user is not None:
            session.headers["Authorization"] = f"Bearer {self.token_for(user)}"
        return session

    def credentials(self, user: str | None = None) -> Any:
        """google-auth Credentials whose refresh goes to the fake's token endpoint."""
        from google.oauth2.credentials import Credentials

        u = user or self.default_user
        return Credentials(
            token=self.token_for(u),
            refresh_token=self.refresh_token_for(u),
            token_uri="https://oauth2.googleapis.com/token",
            client_id="fake-client-id.apps.googleusercontent.com",
            client_secret="fake-secret",
        )
