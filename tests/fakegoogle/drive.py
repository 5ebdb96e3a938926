"""Drive v3 handlers: files.* (drive_files.py), permissions.* (drive_permissions.py),
comments.list, about.get, drives.get/list (here); shared helpers in drive_common.py.

Drive answers a file the caller cannot see with 404 "File not found: <id>." (it does not
reveal existence), and uses its older error shape (errors[] with domain/reason).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .core import rfc3339
from .errors import drive_error
from .masks import apply_mask, parse_mask

if TYPE_CHECKING:
    from .core import FakeGoogle

from .drive_common import _user_json, _visible, file_json
from .drive_files import files_copy, files_create, files_delete, files_get, files_list, files_update
from .drive_permissions import (
    permissions_create,
    permissions_delete,
    permissions_get,
    permissions_list,
    permissions_update,
)

# the handlers transport's route table reaches through `drive.`
__all__ = [
    "about_get",
    "comments_list",
    "drives_get",
    "drives_list",
    "file_json",
    "files_copy",
    "files_create",
    "files_delete",
    "files_get",
    "files_list",
    "files_update",
    "permissions_create",
    "permissions_delete",
    "permissions_get",
    "permissions_list",
    "permissions_update",
]


# ---------------------------------------------------------------- misc
def comments_list(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any]) -> Any:
    f, _ = _visible(fake, user, fid)
    out = {"kind": "drive#commentList", "comments": copy.deepcopy(f.comments)}
    if params.get("fields"):
        return apply_mask(out, parse_mask(params["fields"]))
    return out


def about_get(fake: FakeGoogle, user: str, params: dict[str, Any]) -> Any:
    if not params.get("fields"):
        raise drive_error(
            400,
            "The 'fields' parameter is required for this method.",
            "required",
            location="fields",
        )
    u = fake.users.get(user)
    limit = "0" if u and u.service_account else "16106127360"
    out = {
        "kind": "drive#about",
        "user": _user_json(fake, user, user),
        "storageQuota": {"limit": limit, "usage": "0", "usageInDrive": "0", "usageInDriveTrash": "0"},
    }
    return apply_mask(out, parse_mask(params["fields"]))


def _drive_json(fake: FakeGoogle, did: str) -> dict[str, Any]:
    sd = fake.shared_drives[did]
    return {"kind": "drive#drive", "id": sd.id, "name": sd.name, "createdTime": rfc3339(sd.created_time)}


def drives_get(fake: FakeGoogle, user: str, did: str, params: dict[str, Any]) -> Any:
    sd = fake.shared_drives.get(did)
    if sd is None or user not in sd.members:
        raise drive_error(404, f"Shared drive not found: {did}", "notFound", location="driveId")
    out = _drive_json(fake, did)
    return apply_mask(out, parse_mask(params["fields"])) if params.get("fields") else out


def drives_list(fake: FakeGoogle, user: str, params: dict[str, Any]) -> Any:
    drives = [_drive_json(fake, d.id) for d in fake.shared_drives.values() if user in d.members]
    out = {"kind": "drive#driveList", "drives": drives}
    return apply_mask(out, parse_mask(params["fields"])) if params.get("fields") else out
