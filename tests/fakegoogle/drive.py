"""Drive v3 handlers: files.*, permissions.*, comments.list, about.get, drives.get/list.

Drive answers a file the caller cannot see with 404 "File not found: <id>." (it does not
reveal existence), and uses its older error shape (errors[] with domain/reason).
"""

from __future__ import annotations

import base64
import copy
import json
from typing import TYPE_CHECKING, Any

from .core import FOLDER_MIME, ROLE_RANK, SPREADSHEET_MIME, DriveFile, Permission, rfc3339
from .errors import GoogleError, drive_error, drive_not_found
from .masks import apply_mask, parse_mask
from .query import Ctx, QueryError, parse
from .semantics import check_permission

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


def _apply_props(f: DriveFile, body: dict[str, Any]) -> None:
    for key, attr in (("appProperties", "app_properties"), ("properties", "properties")):
        if key in body and body[key] is not None:
            target: dict[str, str] = getattr(f, attr)
            for k, v in _str_map(key, body[key]).items():
                if v is None:
                    target.pop(k, None)
                else:
                    target[k] = v
    if "description" in body:
        f.description = body["description"]
    if body.get("writersCanShare") is not None:
        f.writers_can_share = bool(body["writersCanShare"])
    if body.get("starred") is not None:
        f.starred = bool(body["starred"])


# ---------------------------------------------------------------- files
def files_create(fake: FakeGoogle, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    body = _check_file_body(fake, body)
    mime = body.get("mimeType") or "application/octet-stream"
    parents, drive_id = check_can_create(fake, user, list(body.get("parents") or []))
    name = body.get("name") or ("Untitled spreadsheet" if mime == SPREADSHEET_MIME else "Untitled")
    if mime == SPREADSHEET_MIME:
        from .model import Spreadsheet

        f = fake._new_file(name, mime, user, parents, drive_id)
        fake.spreadsheets[f.id] = Spreadsheet.new(fake, f.id, name)
    else:
        f = fake._new_file(name, mime, user, parents, drive_id)
    _apply_props(f, body)
    return _masked(fake, f, user, params.get("fields"))


def files_copy(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    body = _check_file_body(fake, body)
    src, _role = _visible(fake, user, fid)
    if src.mime_type == FOLDER_MIME:
        raise drive_error(403, "This file cannot be copied by the user.", "cannotCopyFile")
    wanted = list(body.get("parents") or [])
    if not wanted:
        # "If not specified as part of a copy request, the file inherits any discoverable
        # parents of the source file" (Drive v3 docs): those the caller may add files to.
        wanted = [p for p in src.parents if _can_add_to(fake, user, p)]
    parents, drive_id = check_can_create(fake, user, wanted)
    name = body.get("name") or f"Copy of {src.name}"
    f = fake._new_file(name, src.mime_type, user, parents, drive_id)
    f.description = src.description
    if src.id in fake.spreadsheets:
        ss = fake.spreadsheets[src.id].clone(f.id)
        ss.props["title"] = name
        fake.spreadsheets[f.id] = ss
    _apply_props(f, body)
    return _masked(fake, f, user, params.get("fields"))


def files_get(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any]) -> Any:
    if params.get("alt") == "media":
        raise drive_error(
            403,
            "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
            "fileNotDownloadable",
            location="alt",
        )
    f, _ = _visible(fake, user, fid)
    return _masked(fake, f, user, params.get("fields"))


def _token(offset: int, sig: str) -> str:
    raw = json.dumps([offset, sig]).encode()
    return "~!!~" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _untoken(token: str, sig: str, location: str = "pageToken") -> int:
    try:
        raw = token[4:] + "=" * (-len(token[4:]) % 4)
        offset, s = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, TypeError):
        raise invalid_value(location) from None
    if not token.startswith("~!!~") or s != sig or not isinstance(offset, int):
        raise invalid_value(location)
    return offset


def files_list(fake: FakeGoogle, user: str, params: dict[str, Any]) -> Any:
    q = params.get("q") or ""
    try:
        pred = parse(q) if q.strip() else None
    except QueryError:
        raise invalid_value("q") from None
    corpora = params.get("corpora") or "user"
    all_drives = bool(params.get("includeItemsFromAllDrives"))
    drive_id = params.get("driveId")
    if corpora == "drive" and not drive_id:
        raise drive_error(
            400,
            "The driveId parameter must be specified if and only if corpora is set to drive.",
            "invalid",
            location="driveId",
        )
    if (corpora in ("drive", "allDrives") or drive_id) and not (
        all_drives and params.get("supportsAllDrives")
    ):
        raise drive_error(
            403,
            "The includeItemsFromAllDrives parameter must be set to true when driveId or "
            "corpora=drive or allDrives is specified.",
            "teamDriveHierarchyTooDeep" if False else "invalid",
            location="includeItemsFromAllDrives",
        )
    ctx = Ctx(user, fake.root_of(user), fake.role_of)
    hits = []
    for f in fake.files.values():
        if corpora == "drive":
            if f.drive_id != drive_id:
                continue
        elif f.drive_id and not all_drives:
            continue
        if fake.role_of(user, f) is None:
            continue
        if pred is not None and not pred(f, ctx):
            continue
        hits.append(f)
    hits, incomplete = fake.office.searchable(hits, corpora)
    order = params.get("orderBy") or "modifiedTime desc"
    for part in reversed([p.strip() for p in order.split(",") if p.strip()]):
        key, _, direction = part.partition(" ")
        desc = direction.strip().lower() == "desc"
        keyfn = {
            "modifiedTime": lambda f: f.modified_time,
            "createdTime": lambda f: f.created_time,
            "name": lambda f: f.name.lower(),
            "name_natural": lambda f: f.name.lower(),
            "folder": lambda f: f.mime_type != FOLDER_MIME,
            "starred": lambda f: f.starred,
            "quotaBytesUsed": lambda f: 0,
            "recency": lambda f: f.modified_time,
            "viewedByMeTime": lambda f: f.modified_time,
            "modifiedByMeTime": lambda f: f.modified_time,
            "sharedWithMeTime": lambda f: f.created_time,
        }.get(key)
        if keyfn is None:
            raise invalid_value("orderBy", f"Invalid sort key: {key}")
        hits.sort(key=keyfn, reverse=desc)
    page_size = params.get("pageSize") or 100
    if page_size < 1 or page_size > 1000:
        raise invalid_value("pageSize")
    sig = json.dumps([q, corpora, drive_id, all_drives, order])
    offset = _untoken(params["pageToken"], sig) if params.get("pageToken") else 0
    page = hits[offset : offset + page_size]
    out: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": incomplete}
    if offset + page_size < len(hits):
        out["nextPageToken"] = _token(offset + page_size, sig)
    out["files"] = [file_json(fake, f, user) for f in page]
    fields = params.get("fields")
    if fields:
        return apply_mask(out, parse_mask(fields))
    default = parse_mask("kind,incompleteSearch,nextPageToken,files(" + _DEFAULT_FILE_FIELDS + ")")
    return apply_mask(out, default)


def files_update(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    body = _check_file_body(fake, body)
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise insufficient(fid)
    if "parents" in body:
        raise drive_error(
            403,
            "The parents field is not directly writable in update requests. Use the "
            "addParents and removeParents parameters instead.",
            "fieldNotWritable",
        )
    for ro in ("id", "createdTime", "kind", "owners", "driveId"):
        if body.get(ro) is not None:
            raise drive_error(
                403,
                "The resource body includes fields which are not directly writable.",
                "fieldNotWritable",
            )
    if body.get("trashed") is not None and body["trashed"] != f.trashed:
        if role not in ("owner", "organizer", "fileOrganizer"):
            raise insufficient(fid)
        f.trashed = bool(body["trashed"])
    if body.get("name") is not None:
        f.name = str(body["name"])
        if fid in fake.spreadsheets:
            fake.spreadsheets[fid].props["title"] = f.name
    _apply_props(f, body)
    add = [p for p in (params.get("addParents") or "").split(",") if p]
    remove = [p for p in (params.get("removeParents") or "").split(",") if p]
    if add:
        new_parents, drive_id = check_can_create(fake, user, add)
        if drive_id != f.drive_id and f.drive_id is not None:
            raise drive_error(
                403,
                "Moving items out of a shared drive is not supported by fakegoogle.",
                "cannotMoveTrashedItemOutOfTeamDrive",
            )
        if drive_id and not f.drive_id:
            f.drive_id = drive_id
            f.owner = None
        for p in new_parents:
            if p not in f.parents:
                f.parents.append(p)
    for p in remove:
        if p in f.parents:
            f.parents.remove(p)
    fake.touch(f, user)
    return _masked(fake, f, user, params.get("fields"))


def files_delete(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any]) -> None:
    f, role = _visible(fake, user, fid)
    if role not in ("owner", "organizer"):
        raise insufficient(fid)
    _delete_tree(fake, f)


def _delete_tree(fake: FakeGoogle, f: DriveFile) -> None:
    for child in [c for c in fake.files.values() if f.id in c.parents]:
        if child.owner == f.owner or child.drive_id:
            _delete_tree(fake, child)
    fake.files.pop(f.id, None)
    fake.spreadsheets.pop(f.id, None)


# ---------------------------------------------------------------- permissions
def _writer_may_not_share(f: DriveFile, role: str) -> bool:
    """File.writersCanShare (Drive v3 reference): "Whether users with only `writer`
    permission can modify the file's permissions. Not populated for items in shared drives."
    """
    return role == "writer" and not f.writers_can_share and not f.drive_id


def permissions_create(
    fake: FakeGoogle, user: str, fid: str, params: dict[str, Any], body: dict[str, Any]
) -> Any:
    from .core import Notification

    body = _strip_nulls(body or {})
    _lenient_check("Permission", body)
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"] or _writer_may_not_share(f, role):
        raise insufficient(fid)
    ptype = body.get("type")
    prole = body.get("role")
    if ptype not in ("user", "group", "domain", "anyone"):
        raise drive_error(
            400,
            "The permission type field is required.",
            "required",
            location="permission.type",
            location_type="other",
        )
    if prole not in ROLE_RANK:
        raise drive_error(
            400,
            "The permission role field is required.",
            "required",
            location="permission.role",
            location_type="other",
        )
    if prole == "owner" and not params.get("transferOwnership"):
        raise drive_error(
            403,
            "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
            "forbidden",
            location="transferOwnership",
        )
    if prole == "organizer" and not f.drive_id:
        raise invalid_value("permission.role")
    email = body.get("emailAddress")
    if ptype in ("user", "group") and not email:
        raise drive_error(
            400,
            "The permission emailAddress field is required for this permission type.",
            "required",
            location="permission.emailAddress",
            location_type="other",
        )
    if ptype == "domain" and not body.get("domain"):
        raise drive_error(
            400,
            "The permission domain field is required.",
            "required",
            location="permission.domain",
            location_type="other",
        )
    check_permission(f, body)  # e-mail addresses, roles that fit the item (semantics.py)
    notify = params.get("sendNotificationEmail")
    notify = True if notify is None else bool(notify)
    fake.office.check_share(f, email if ptype == "user" else None, notify)
    if ptype in ("user", "group"):
        assert email is not None
        if ptype == "user":
            fake.add_user(email)
        perm = fake._user_permission(email, prole, ptype)
        existing = next((p for p in f.permissions if p.email_address == email), None)
    elif ptype == "domain":
        dom = body["domain"]
        perm = Permission(
            id=fake.permission_id_for("domain:" + dom),
            type="domain",
            role=prole,
            domain=dom,
            display_name=dom,
            allow_file_discovery=bool(body.get("allowFileDiscovery", False)),
        )
        existing = next((p for p in f.permissions if p.type == "domain" and p.domain == dom), None)
    else:
        disc = bool(body.get("allowFileDiscovery", False))
        perm = Permission(
            id="anyone" if disc else "anyoneWithLink",
            type="anyone",
            role=prole,
            allow_file_discovery=disc,
        )
        existing = next((p for p in f.permissions if p.type == "anyone"), None)
    if existing is not None:
        existing.role = prole
        perm = existing
    else:
        f.permissions.append(perm)
    if prole == "owner" and email:
        old = f.owner
        f.owner = email
        for p in f.permissions:
            if p.email_address == old and p.role == "owner":
                p.role = "writer"
    if notify and ptype in ("user", "group") and email:
        fake.notifications.append(Notification(email, user, f.id, f.name, prole, params.get("emailMessage")))
    f.version += 1  # sharing changes do not move modifiedTime
    fields = params.get("fields") or _DEFAULT_PERM_FIELDS
    return apply_mask(perm.to_json(), parse_mask(fields))


def permissions_list(fake: FakeGoogle, user: str, fid: str, params: dict[str, Any]) -> Any:
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise insufficient(fid)
    perms = [p.to_json() for p in f.permissions]
    if f.drive_id and f.drive_id in fake.shared_drives:
        for email, r in fake.shared_drives[f.drive_id].members.items():
            pj = fake._user_permission(email, r).to_json()
            pj["permissionDetails"] = [
                {"permissionType": "file", "role": r, "inheritedFrom": f.drive_id, "inherited": True}
            ]
            perms.append(pj)
    perms += fake.office.inherited(f)
    size = params.get("pageSize") or 100
    sig = f"perm:{fid}"
    offset = _untoken(params["pageToken"], sig) if params.get("pageToken") else 0
    out: dict[str, Any] = {"kind": "drive#permissionList"}
    if offset + size < len(perms):
        out["nextPageToken"] = _token(offset + size, sig)
    out["permissions"] = perms[offset : offset + size]
    fields = params.get("fields")
    if fields:
        return apply_mask(out, parse_mask(fields))
    return apply_mask(
        out,
        parse_mask(
            "kind,nextPageToken,permissions(kind,id,type,emailAddress,role,domain,"
            "displayName,photoLink,deleted,pendingOwner,allowFileDiscovery)"
        ),
    )


def _find_perm(f: DriveFile, pid: str) -> Permission:
    for p in f.permissions:
        if p.id == pid:
            return p
    raise drive_error(404, f"Permission not found: {pid}.", "notFound", location="permissionId")


def permissions_get(fake: FakeGoogle, user: str, fid: str, pid: str, params: dict[str, Any]) -> Any:
    f, _ = _visible(fake, user, fid)
    return apply_mask(_find_perm(f, pid).to_json(), parse_mask(params.get("fields") or _DEFAULT_PERM_FIELDS))


def permissions_update(
    fake: FakeGoogle, user: str, fid: str, pid: str, params: dict[str, Any], body: dict[str, Any]
) -> Any:
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise insufficient(fid)
    p = _find_perm(f, pid)
    new_role = (body or {}).get("role")
    if new_role:
        if new_role not in ROLE_RANK:
            raise invalid_value("permission.role")
        if p.role == "owner" and new_role != "owner":
            raise drive_error(403, "The owner of a file cannot be downgraded.", "forbidden")
        p.role = new_role
    f.version += 1  # sharing changes do not move modifiedTime
    return apply_mask(p.to_json(), parse_mask(params.get("fields") or _DEFAULT_PERM_FIELDS))


def permissions_delete(fake: FakeGoogle, user: str, fid: str, pid: str, params: dict[str, Any]) -> None:
    f, role = _visible(fake, user, fid)
    if ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise insufficient(fid)
    p = _find_perm(f, pid)
    if p.role == "owner":
        raise drive_error(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
    f.permissions.remove(p)
    f.version += 1  # sharing changes do not move modifiedTime


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
