"""Drive v3 files.* handlers: create, copy, get, list, update, delete."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from .core import FOLDER_MIME, ROLE_RANK, SPREADSHEET_MIME, DriveFile
from .errors import drive_error
from .masks import apply_mask, parse_mask
from .query import Ctx, QueryError, parse

if TYPE_CHECKING:
    from .core import FakeGoogle

from .drive_common import (
    _DEFAULT_FILE_FIELDS,
    _apply_props,
    _can_add_to,
    _check_file_body,
    _masked,
    _visible,
    check_can_create,
    file_json,
    insufficient,
    invalid_value,
    merged_props,
)
from .rules_drive import check_parents


# ---------------------------------------------------------------- files
def files_create(fake: FakeGoogle, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    body = _check_file_body(fake, body)
    mime = body.get("mimeType") or "application/octet-stream"
    check_parents(list(body.get("parents") or []))  # one parent (rules_drive.py)
    merged_props(None, body)  # property limits, before anything is created
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
    check_parents(wanted)  # one parent (rules_drive.py)
    merged_props(None, body)  # the copy gets only the body's properties
    if not wanted:
        # "If not specified as part of a copy request, the file inherits any discoverable
        # parents of the source file" (Drive v3 docs): those the caller may add files to.
        wanted = [p for p in src.parents if _can_add_to(fake, user, p)][:1]
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
    if page_size < 1:  # above 1000 the schema check has coerced it (schema._coerce)
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
    add = [p for p in (params.get("addParents") or "").split(",") if p]
    remove = [p for p in (params.get("removeParents") or "").split(",") if p]
    # a file keeps one parent: addParents only with the old one removed (rules_drive.py)
    if add:
        check_parents([p for p in f.parents if p not in remove] + [p for p in add if p not in f.parents])
    merged_props(f, body)  # property limits, before anything changes
    if body.get("trashed") is not None and body["trashed"] != f.trashed:
        if role not in ("owner", "organizer", "fileOrganizer"):
            raise insufficient(fid)
        f.trashed = bool(body["trashed"])
    if body.get("name") is not None:
        f.name = str(body["name"])
        if fid in fake.spreadsheets:
            fake.spreadsheets[fid].props["title"] = f.name
    _apply_props(f, body)
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
