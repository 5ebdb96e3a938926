"""The route tables: which handler answers each Sheets v4 / Drive v3 method and path."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import drive, sheets


class _Route:
    def __init__(self, api: str, op: str, method_id: str | None, fn: Callable[..., Any]) -> None:
        self.api = api
        self.op = op
        self.method_id = method_id
        self.fn = fn



_NO_CONTENT = object()


# ---------------------------------------------------------------- route tables
def _s(op: str, method_id: str | None, fn: Callable[..., Any]) -> _Route:
    return _Route("sheets", op, method_id, fn)


def _d(op: str, method_id: str | None, fn: Callable[..., Any]) -> _Route:
    return _Route("drive", op, method_id, fn)


def _none(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*a: Any) -> Any:
        fn(*a)
        return _NO_CONTENT

    return wrapped


_ID = r"([^/:]+)"
_SHEETS_ROUTES: list[tuple[str, re.Pattern[str], _Route]] = [
    (
        "POST",
        re.compile(r"^/v4/spreadsheets/?$"),
        _s(
            "spreadsheets.create",
            "sheets.spreadsheets.create",
            lambda f, u, a, p, b: sheets.create(f, u, p, b),
        ),
    ),
    (
        "GET",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGet$"),
        _s(
            "values.batchGet",
            "sheets.spreadsheets.values.batchGet",
            lambda f, u, a, p, b: sheets.values_batch_get(f, u, a[0], p),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$"),
        _s(
            "values.batchUpdate",
            "sheets.spreadsheets.values.batchUpdate",
            lambda f, u, a, p, b: sheets.values_batch_update(f, u, a[0], p, b),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchClear$"),
        _s(
            "values.batchClear",
            "sheets.spreadsheets.values.batchClear",
            lambda f, u, a, p, b: sheets.values_batch_clear(f, u, a[0], b),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+):append$"),
        _s(
            "values.append",
            "sheets.spreadsheets.values.append",
            lambda f, u, a, p, b: sheets.values_append(f, u, a[0], a[1], p, b),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+):clear$"),
        _s(
            "values.clear",
            "sheets.spreadsheets.values.clear",
            lambda f, u, a, p, b: sheets.values_clear(f, u, a[0], a[1]),
        ),
    ),
    (
        "GET",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+)$"),
        _s(
            "values.get",
            "sheets.spreadsheets.values.get",
            lambda f, u, a, p, b: sheets.values_get(f, u, a[0], a[1], p),
        ),
    ),
    (
        "PUT",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+)$"),
        _s(
            "values.update",
            "sheets.spreadsheets.values.update",
            lambda f, u, a, p, b: sheets.values_update(f, u, a[0], a[1], p, b),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}:batchUpdate$"),
        _s(
            "spreadsheets.batchUpdate",
            "sheets.spreadsheets.batchUpdate",
            lambda f, u, a, p, b: sheets.batch_update(f, u, a[0], p, b),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/sheets/(\d+):copyTo$"),
        _s(
            "sheets.copyTo",
            "sheets.spreadsheets.sheets.copyTo",
            lambda f, u, a, p, b: sheets.copy_to(f, u, a[0], int(a[1]), b),
        ),
    ),
    (
        "GET",
        re.compile(rf"^/v4/spreadsheets/{_ID}$"),
        _s("spreadsheets.get", "sheets.spreadsheets.get", lambda f, u, a, p, b: sheets.get(f, u, a[0], p)),
    ),
]

_DRIVE_ROUTES: list[tuple[str, re.Pattern[str], _Route]] = [
    (
        "GET",
        re.compile(r"^/drive/v3/files/?$"),
        _d("files.list", "drive.files.list", lambda f, u, a, p, b: drive.files_list(f, u, p)),
    ),
    (
        "POST",
        re.compile(r"^/drive/v3/files/?$"),
        _d("files.create", "drive.files.create", lambda f, u, a, p, b: drive.files_create(f, u, p, b or {})),
    ),
    (
        "POST",
        re.compile(rf"^/drive/v3/files/{_ID}/copy$"),
        _d("files.copy", "drive.files.copy", lambda f, u, a, p, b: drive.files_copy(f, u, a[0], p, b or {})),
    ),
    (
        "GET",
        re.compile(rf"^/drive/v3/files/{_ID}/permissions/?$"),
        _d(
            "permissions.list",
            "drive.permissions.list",
            lambda f, u, a, p, b: drive.permissions_list(f, u, a[0], p),
        ),
    ),
    (
        "POST",
        re.compile(rf"^/drive/v3/files/{_ID}/permissions/?$"),
        _d(
            "permissions.create",
            "drive.permissions.create",
            lambda f, u, a, p, b: drive.permissions_create(f, u, a[0], p, b or {}),
        ),
    ),
    (
        "GET",
        re.compile(rf"^/drive/v3/files/{_ID}/permissions/{_ID}$"),
        _d(
            "permissions.get",
            "drive.permissions.get",
            lambda f, u, a, p, b: drive.permissions_get(f, u, a[0], a[1], p),
        ),
    ),
    (
        "PATCH",
        re.compile(rf"^/drive/v3/files/{_ID}/permissions/{_ID}$"),
        _d(
            "permissions.update",
            "drive.permissions.update",
            lambda f, u, a, p, b: drive.permissions_update(f, u, a[0], a[1], p, b or {}),
        ),
    ),
    (
        "DELETE",
        re.compile(rf"^/drive/v3/files/{_ID}/permissions/{_ID}$"),
        _d(
            "permissions.delete",
            "drive.permissions.delete",
            _none(lambda f, u, a, p, b: drive.permissions_delete(f, u, a[0], a[1], p)),
        ),
    ),
    (
        "GET",
        re.compile(rf"^/drive/v3/files/{_ID}/comments/?$"),
        _d("comments.list", "drive.comments.list", lambda f, u, a, p, b: drive.comments_list(f, u, a[0], p)),
    ),
    (
        "GET",
        re.compile(rf"^/drive/v3/files/{_ID}$"),
        _d("files.get", "drive.files.get", lambda f, u, a, p, b: drive.files_get(f, u, a[0], p)),
    ),
    (
        "PATCH",
        re.compile(rf"^/drive/v3/files/{_ID}$"),
        _d(
            "files.update",
            "drive.files.update",
            lambda f, u, a, p, b: drive.files_update(f, u, a[0], p, b or {}),
        ),
    ),
    (
        "DELETE",
        re.compile(rf"^/drive/v3/files/{_ID}$"),
        _d(
            "files.delete",
            "drive.files.delete",
            _none(lambda f, u, a, p, b: drive.files_delete(f, u, a[0], p)),
        ),
    ),
    (
        "GET",
        re.compile(r"^/drive/v3/about$"),
        _d("about.get", "drive.about.get", lambda f, u, a, p, b: drive.about_get(f, u, p)),
    ),
    (
        "GET",
        re.compile(r"^/drive/v3/drives/?$"),
        _d("drives.list", "drive.drives.list", lambda f, u, a, p, b: drive.drives_list(f, u, p)),
    ),
    (
        "GET",
        re.compile(rf"^/drive/v3/drives/{_ID}$"),
        _d("drives.get", "drive.drives.get", lambda f, u, a, p, b: drive.drives_get(f, u, a[0], p)),
    ),
]
