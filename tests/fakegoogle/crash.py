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
    left = [times]

    def only(m: str, path: str) -> bool:
        if left[0] > 0 and m.upper() == method.upper() and path_part in path:
            left[0] -= 1
            return True
        return False

    with fake.lock:
        fake._fault_filter = only
        fake._fault_rate = 1.0
        fake._fault_kinds = ("timeout_after_apply",)
