"""What every Drive v3 handler shares: Drive's error helpers, visibility and write checks,
the File resource as Drive prints it, body checks and property maps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import FOLDER_MIME, ROLE_RANK, SPREADSHEET_MIME, DriveFile, rfc3339
from .errors import GoogleError, drive_error, drive_not_found
from .masks import apply_mask, parse_mask
from .rules_drive import check_property_counts

if TYPE_CHECKING:
    from .core import FakeGoogle



_DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
_DEFAULT_PERM_FIELDS = "kind,id,type,role"


def invalid_value(location: str, message: str = "Invalid Value") -> GoogleError:
    return drive_error(400, message, "invalid", location=location)


def insufficient(file_id: str) -> GoogleError:
    return drive_error(
        403,
        f"The user does not have sufficient permissions for file {file_id}.",
        "insufficientFilePermissions",
    )


def quota_exceeded() -> GoogleError:
    msg = "The user's Drive storage quota has been exceeded."
    return drive_error(403, msg, "storageQuotaExceeded", domain="usageLimits")


def _visible(fake: FakeGoogle, user: str | None, fid: str) -> tuple[DriveFile, str]:
    f = fake.files.get(fid)
    role = fake.role_of(user, f) if f else None
    if f is None or role is None:
        raise drive_not_found(fid)
    if f.drive_id and not fake._supports_all_drives:
        # Drive hides Shared Drive items from apps that do not send supportsAllDrives=true
        raise drive_not_found(fid)
    return f, role


def _writable(fake: FakeGoogle, user: str | None, fid: str) -> DriveFile:
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise insufficient(fid)
    return f


def check_can_create(fake: FakeGoogle, user: str, parents: list[str]) -> tuple[list[str], str | None]:
    """Resolve parents for a new file; enforce the service-account storage rule.

    Returns (parents, driveId). A file outside a Shared Drive is stored in its creator's
    quota: a service account has none, so Google answers 403 storageQuotaExceeded.
    """
    drive_id = None
    resolved = []
    for p in parents:
        if p in ("root", fake.root_of(user)):
            resolved.append(fake.root_of(user))
            continue
        if p in fake.shared_drives:
            sd = fake.shared_drives[p]
            role = sd.members.get(user)
            if role is None or not fake._supports_all_drives:
                raise drive_not_found(p)
            if ROLE_RANK[role] < ROLE_RANK["writer"]:
                raise insufficient(p)
            drive_id = p
            resolved.append(p)
            continue
        parent = _writable(fake, user, p)
        if parent.mime_type != FOLDER_MIME:
            raise drive_error(
                403,
                "The specified parent is not a folder.",
                "notAFolder",
                location="parents",
                location_type="other",
            )
        drive_id = parent.drive_id
        resolved.append(p)
    if drive_id is None:
        u = fake.users.get(user)
        if u is not None and u.service_account:
            raise quota_exceeded()
        if not resolved:
            resolved = [fake.root_of(user)]
    return resolved, drive_id


def _can_add_to(fake: FakeGoogle, user: str, parent: str) -> bool:
    if parent == fake.root_of(user):
        return True
    if parent in fake.shared_drives:
        role = fake.shared_drives[parent].members.get(user)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK["writer"]
    f = fake.files.get(parent)
    role = fake.role_of(user, f) if f else None
    return role is not None and ROLE_RANK[role] >= ROLE_RANK["writer"]


def _user_json(fake: FakeGoogle, email: str | None, me: str | None) -> dict[str, Any]:
    u = fake.users.get(email or "")
    return {
        "kind": "drive#user",
        "displayName": u.display_name if u else (email or ""),
        "me": email == me,
        "permissionId": fake.permission_id_for(email or ""),
        "emailAddress": email or "",
        "photoLink": "https://lh3.googleusercontent.com/a/default-user=s64",
    }


def file_json(fake: FakeGoogle, f: DriveFile, user: str | None) -> dict[str, Any]:
    role = fake.role_of(user, f) or "reader"
    can_edit = ROLE_RANK[role] >= ROLE_RANK["writer"]
    out: dict[str, Any] = {
        "kind": "drive#file",
        "id": f.id,
        "name": f.name,
        "mimeType": f.mime_type,
        "starred": f.starred,
        "trashed": f.trashed,
        "explicitlyTrashed": f.trashed,
        "parents": list(f.parents),
        "spaces": ["drive"],
        "version": str(f.version),
        "webViewLink": _web_link(f),
        "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{f.mime_type}",
        "hasThumbnail": False,
        "viewedByMe": True,
        "createdTime": rfc3339(f.created_time),
        "modifiedTime": rfc3339(f.modified_time),
        "modifiedByMe": f.last_modifying_user == user,
        "lastModifyingUser": _user_json(fake, f.last_modifying_user, user),
        "shared": len(f.permissions) > 1,
        "ownedByMe": f.owner == user,
        "capabilities": {
            "canEdit": can_edit,
            "canShare": can_edit,
            "canCopy": True,
            "canComment": ROLE_RANK[role] >= ROLE_RANK["commenter"],
            "canDelete": role in ("owner", "organizer"),
            "canTrash": role in ("owner", "organizer", "fileOrganizer"),
            "canRename": can_edit,
            "canAddChildren": can_edit and f.mime_type == FOLDER_MIME,
        },
        "viewersCanCopyContent": True,
        "copyRequiresWriterPermission": False,
        "writersCanShare": f.writers_can_share,
        "quotaBytesUsed": "0",
        "isAppAuthorized": True,
    }
    if f.description is not None:
        out["description"] = f.description
    if f.app_properties:
        out["appProperties"] = dict(f.app_properties)
    if f.properties:
        out["properties"] = dict(f.properties)
    if f.drive_id:
        out["driveId"] = f.drive_id
        out["teamDriveId"] = f.drive_id
    else:
        out["owners"] = [_user_json(fake, f.owner, user)] if f.owner else []
    if can_edit:
        out["permissions"] = [p.to_json() for p in f.permissions]
        out["permissionIds"] = [p.id for p in f.permissions]
    return out


def _web_link(f: DriveFile) -> str:
    if f.mime_type == SPREADSHEET_MIME:
        return f"https://docs.google.com/spreadsheets/d/{f.id}/edit?usp=drivesdk"
    if f.mime_type == FOLDER_MIME:
        return f"https://drive.google.com/drive/folders/{f.id}"
    return f"https://drive.google.com/file/d/{f.id}/view?usp=drivesdk"


def _masked(fake: FakeGoogle, f: DriveFile, user: str | None, fields: str | None) -> Any:
    return apply_mask(file_json(fake, f, user), parse_mask(fields or _DEFAULT_FILE_FIELDS))


def _check_file_body(fake: FakeGoogle, body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    _lenient_check("File", body)
    return dict(body)


def _lenient_check(schema_ref: str, body: Any) -> None:
    """Type-check known Drive fields (unknown ones are ignored, as Drive does); answer in
    Drive's error shape."""
    from .schema import check_body

    try:
        check_body("drive.v3", schema_ref, _strip_nulls(body), strict=False)
    except GoogleError as e:
        msg = str(e.body["error"].get("message", "Invalid Value"))
        raise drive_error(400, msg, "invalid", location=schema_ref.lower(), location_type="other") from None


def _strip_nulls(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_strip_nulls(x) for x in v]
    return v


def _str_map(name: str, value: Any) -> dict[str, str | None]:
    if not isinstance(value, dict):
        raise invalid_value(name)
    out: dict[str, str | None] = {}
    for k, v in value.items():
        if v is not None and not isinstance(v, str | int | float | bool):
            raise invalid_value(name)
        if len(k.encode()) + len(str(v or "").encode()) > 124:
            raise drive_error(
                400,
                "The size of the property exceeds the limit of 124 bytes.",
                "invalidProperty",
                location=name,
                location_type="other",
            )
        out[k] = None if v is None else (str(v).lower() if isinstance(v, bool) else str(v))
    return out


def merged_props(f: DriveFile | None, body: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The file's appProperties and properties once the body is applied (a null value
    removes a key), checked against Drive's limits before anything is stored."""
    out: dict[str, dict[str, str]] = {}
    for key, attr in (("appProperties", "app_properties"), ("properties", "properties")):
        target: dict[str, str] = dict(getattr(f, attr)) if f is not None else {}
        if key in body and body[key] is not None:
            for k, v in _str_map(key, body[key]).items():
                if v is None:
                    target.pop(k, None)
                else:
                    target[k] = v
        out[attr] = target
    check_property_counts(out["app_properties"], out["properties"])
    return out


def _apply_props(f: DriveFile, body: dict[str, Any]) -> None:
    for attr, values in merged_props(f, body).items():
        setattr(f, attr, values)
    if "description" in body:
        f.description = body["description"]
    if body.get("writersCanShare") is not None:
        f.writers_can_share = bool(body["writersCanShare"])
    if body.get("starred") is not None:
        f.starred = bool(body["starred"])
