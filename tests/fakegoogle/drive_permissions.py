"""Drive v3 permissions.* handlers: create, list, get, update, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import ROLE_RANK, DriveFile, Permission
from .errors import drive_error
from .masks import apply_mask, parse_mask
from .semantics import check_permission

if TYPE_CHECKING:
    from .core import FakeGoogle

from .drive_common import (
    _DEFAULT_PERM_FIELDS,
    _lenient_check,
    _strip_nulls,
    _visible,
    insufficient,
    invalid_value,
)
from .drive_files import _token, _untoken
from .rules_drive import check_permission_params


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
    # owner needs transferOwnership; notification and expiration rules (rules_drive.py)
    check_permission_params(fake, body, params, ptype, prole, update=False)
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
    perm.expiration_time = body.get("expirationTime") if ptype in ("user", "group") else None
    if existing is not None:
        existing.role = prole
        existing.expiration_time = perm.expiration_time
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
    body = _strip_nulls(body or {})
    new_role = body.get("role")
    if new_role and new_role not in ROLE_RANK:
        raise invalid_value("permission.role")
    # an ownership change needs transferOwnership; expiration only on users and groups
    check_permission_params(fake, body, params, p.type, new_role or p.role, update=True)
    if new_role:
        if p.role == "owner" and new_role != "owner":
            raise drive_error(403, "The owner of a file cannot be downgraded.", "forbidden")
        if new_role == "owner" and p.role != "owner" and p.email_address:
            old = f.owner  # "downgrade the current owner to a writer" (transferOwnership)
            for q in f.permissions:
                if q.email_address == old and q.role == "owner":
                    q.role = "writer"
            f.owner = p.email_address
        p.role = new_role
    if "expirationTime" in body:
        p.expiration_time = body["expirationTime"]
    if params.get("removeExpiration"):
        p.expiration_time = None
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
