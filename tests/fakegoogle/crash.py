"""A process killed at a call boundary: the n-th Google request (counting from when the
crash is armed) is never sent, and the caller is stopped by `Killed`, a BaseException that
no `except Exception` in the code under test can swallow, as a real kill is not swallowed.

`lost_reply(fake, op)` is the other way the network fails a caller: Google does the work
of the next request of one kind, then the answer is lost (a read timeout)."""

from __future__ import annotations

from typing import Any

import requests

from .core import FakeGoogle


class Killed(BaseException):
    """The process died here (kill -9, power cut): nothing after this line ran."""


def kill_at(fake: FakeGoogle, n: int) -> None:
    """Kill the process just before its `n`-th Google request from now (1 = the next)."""
    adapter = fake.adapter
    real = type(adapter).send
    left = [n]

    def send(request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        if "oauth2" not in (request.url or ""):
            left[0] -= 1
            if left[0] == 0:
                raise Killed(f"killed before {request.method} {request.url}")
        return real(adapter, request, *args, **kwargs)

    adapter.send = send  # type: ignore[method-assign]


def revive(fake: FakeGoogle) -> None:
    """A new process: nothing is armed any more."""
    fake.adapter.__dict__.pop("send", None)


def lost_reply(fake: FakeGoogle, method: str, path_part: str, times: int = 1) -> None:
    """The next `times` requests whose method is `method` and whose path holds `path_part`
    are applied, then their answer is lost (`timeout_after_apply`); others pass."""
    fail_matching(fake, method, path_part, "timeout_after_apply", times)


def fail_matching(fake: FakeGoogle, method: str, path_part: str, kind: str,
                  times: int = 1) -> None:
    """Fail the next `times` requests of one kind (method, a part of the path) with `kind`
    (as `FakeGoogle.fail_next` does for the very next requests, whatever they are).
    `path_part` ending in "$" must end the path ("/drive/v3/files$": files.create only)."""
    left = [times]
    exact = path_part.endswith("$")
    part = path_part.rstrip("$")

    def only(m: str, path: str) -> bool:
        hit = path.endswith(part) if exact else part in path
        if left[0] > 0 and m.upper() == method.upper() and hit:
            left[0] -= 1
            return True
        return False

    with fake.lock:
        fake._fault_filter = only
        fake._fault_rate = 1.0
        fake._fault_kinds = (kind,)


def fork(fake: FakeGoogle) -> FakeGoogle:
    """A copy of the whole world (users, files, sheets, e-mails, clock, random state), to run
    many endings from one starting point without replaying it."""
    import copy

    other = FakeGoogle(seed=fake.seed, default_user=fake.default_user, strict=fake.strict)
    with fake.lock:
        spreadsheets = fake.spreadsheets
        fakes = {sid: ss.fake for sid, ss in spreadsheets.items()}
        for ss in spreadsheets.values():
            ss.fake = None  # type: ignore[assignment]
        try:
            for name in ("users", "tokens", "refresh_tokens", "groups", "files", "spreadsheets",
                         "shared_drives", "roots", "notifications", "clock", "rng"):
                setattr(other, name, copy.deepcopy(getattr(fake, name)))
        finally:
            for sid, ss in spreadsheets.items():
                ss.fake = fakes[sid]
    for ss in other.spreadsheets.values():
        ss.fake = other
    return other
