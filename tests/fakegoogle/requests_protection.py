"""batchUpdate kinds on protected ranges and named ranges."""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import PROTECTED_MESSAGE
from .model import Sheet, grid_json
from .requests_base import BatchContext, RequestError, _mask, handler, update_by_mask


def _pr_range_ok(ctx: BatchContext, pr: dict[str, Any]) -> None:
    if "range" in pr:
        ctx.rect(pr["range"])
    for u in pr.get("unprotectedRanges", []):
        ctx.rect(u)


@handler("addProtectedRange")
def add_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    pr = copy.deepcopy(body.get("protectedRange", {}))
    if "range" not in pr and "namedRangeId" not in pr:
        raise RequestError("A protected range must have a range or a named range.")
    _pr_range_ok(ctx, pr)
    sheet = ctx.sheet((pr.get("range") or {}).get("sheetId"))
    pid = pr.get("protectedRangeId") or ctx.fake.new_int_id()
    # AddProtectedRangeRequest (Sheets v4 reference, and the discovery document): "It is an
    # error to specify the ID of a range that already exists." The whole batch fails.
    if any(p.get("protectedRangeId") == pid for s in ctx.ss.sheets for p in s.protected):
        raise RequestError(f"A protected range with id {pid} already exists.")
    pr["protectedRangeId"] = pid
    pr.pop("requestingUserCanEdit", None)
    editors = pr.get("editors") or {}
    users: list[str] = []
    owner = ctx.file.owner
    for u in [owner, ctx.user, *editors.get("users", [])]:
        if u and u not in users:
            users.append(u)
    stored_editors: dict[str, Any] = {"users": users}
    if editors.get("groups"):
        stored_editors["groups"] = list(editors["groups"])
    if editors.get("domainUsersCanEdit"):
        stored_editors["domainUsersCanEdit"] = True
    pr["editors"] = stored_editors
    if not pr.get("warningOnly"):
        pr.pop("warningOnly", None)
    if pr.get("description") is None:
        pr.pop("description", None)
    if "range" in pr:
        pr["range"]["sheetId"] = sheet.id
    sheet.protected.append(pr)
    reply = copy.deepcopy(pr)
    if "range" in reply:
        reply["range"] = grid_json(reply["range"])
    reply["unprotectedRanges"] = [grid_json(u) for u in reply.get("unprotectedRanges", [])]
    if not reply["unprotectedRanges"]:
        del reply["unprotectedRanges"]
    reply["requestingUserCanEdit"] = True
    # Google echoes the editors as sent (before adding owner/requester)
    reply["editors"] = {k: v for k, v in editors.items() if v}
    order = [
        "protectedRangeId",
        "range",
        "namedRangeId",
        "description",
        "warningOnly",
        "requestingUserCanEdit",
        "unprotectedRanges",
        "editors",
    ]
    reply = {k: reply[k] for k in order if k in reply}
    return {"addProtectedRange": {"protectedRange": reply}}


def _find_pr(ctx: BatchContext, pid: int | None) -> tuple[Sheet, dict[str, Any]]:
    for s in ctx.ss.sheets:
        for pr in s.protected:
            if pr.get("protectedRangeId") == pid:
                return s, pr
    raise RequestError(f"No protected range with id: {pid}")


def _guard_pr_owner(ctx: BatchContext, pr: dict[str, Any]) -> None:
    from .sheets_access import can_edit_protected

    if not ctx.exempt and not can_edit_protected(ctx.fake, ctx.user, pr, ctx.file.owner):
        raise RequestError(PROTECTED_MESSAGE)


@handler("updateProtectedRange")
def update_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src = body.get("protectedRange", {})
    sheet, pr = _find_pr(ctx, src.get("protectedRangeId"))
    _guard_pr_owner(ctx, pr)
    mask = _mask(body.get("fields"))
    update_by_mask(pr, src, mask)
    _pr_range_ok(ctx, pr)
    new_sheet = ctx.sheet((pr.get("range") or {}).get("sheetId", sheet.id))
    if new_sheet is not sheet:
        sheet.protected.remove(pr)
        new_sheet.protected.append(pr)
    if pr.get("editors") is not None and not pr.get("warningOnly"):
        users = pr["editors"].setdefault("users", [])
        if ctx.file.owner and ctx.file.owner not in users:
            users.insert(0, ctx.file.owner)
    return {}


@handler("deleteProtectedRange")
def delete_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, pr = _find_pr(ctx, body.get("protectedRangeId"))
    _guard_pr_owner(ctx, pr)
    sheet.protected.remove(pr)
    return {}


# ---------------------------------------------------------------- named ranges
@handler("addNamedRange")
def add_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    nr = copy.deepcopy(body.get("namedRange", {}))
    name = nr.get("name", "")
    if not re.fullmatch(r"[A-Za-z_\\][A-Za-z0-9_.]*", name) or re.fullmatch(r"[A-Za-z]{1,3}\d+", name):
        raise RequestError(f"Invalid name: {name}")
    if any(n["name"].lower() == name.lower() for n in ctx.ss.named_ranges):
        raise RequestError(f"Named range with name '{name}' already exists.")
    sheet, _ = ctx.rect(nr.get("range", {}))
    nr["range"]["sheetId"] = sheet.id
    nr["namedRangeId"] = nr.get("namedRangeId") or _named_id(ctx)
    ctx.ss.named_ranges.append(nr)
    reply = {**copy.deepcopy(nr), "range": grid_json(nr["range"])}
    reply = {k: reply[k] for k in ("namedRangeId", "name", "range") if k in reply}
    return {"addNamedRange": {"namedRange": reply}}


def _named_id(ctx: BatchContext) -> str:
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(ctx.fake.rng.choice(chars) for _ in range(12))


def _find_named(ctx: BatchContext, nid: str | None) -> dict[str, Any]:
    for n in ctx.ss.named_ranges:
        if n.get("namedRangeId") == nid:
            return n
    raise RequestError(f"No named range with id {nid}")


@handler("updateNamedRange")
def update_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src = body.get("namedRange", {})
    nr = _find_named(ctx, src.get("namedRangeId"))
    update_by_mask(nr, src, _mask(body.get("fields")))
    if "range" in nr:
        sheet, _ = ctx.rect(nr["range"])
        nr["range"]["sheetId"] = sheet.id
    return {}


@handler("deleteNamedRange")
def delete_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    nr = _find_named(ctx, body.get("namedRangeId"))
    ctx.ss.named_ranges.remove(nr)
    return {}


# ---------------------------------------------------------------- filters, formats, charts
