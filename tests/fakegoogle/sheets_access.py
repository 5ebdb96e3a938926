"""Who may touch a spreadsheet: opening it as a user (visibility, roles) and the protected-range
checks every Sheets write goes through.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .errors import (
    sheets_not_found,
)
from .errors import sheets_permission_denied as denied
from .model import Sheet, Spreadsheet

if TYPE_CHECKING:
    from .core import DriveFile, FakeGoogle



Rect = tuple[int, int, int, int]  # r0, r1, c0, c1 (half-open)

WRITE_ROLES = {"writer", "fileOrganizer", "organizer", "owner"}


# ---------------------------------------------------------------- access
def open_ss(
    fake: FakeGoogle, user: str | None, sid: str, write: bool = False
) -> tuple[Spreadsheet, DriveFile, str]:
    f = fake.files.get(sid)
    ss = fake.spreadsheets.get(sid)
    if f is None or ss is None:
        raise sheets_not_found()
    role = fake.role_of(user, f)
    if role is None:
        raise denied()
    if write and role not in WRITE_ROLES:
        raise denied()
    return ss, f, role


def is_exempt(fake: FakeGoogle, f: DriveFile, role: str) -> bool:
    """Owners (and Shared Drive managers) are never stopped by protected ranges."""
    return role in ("owner", "organizer")


def can_edit_protected(
    fake: FakeGoogle, user: str | None, pr: dict[str, Any], owner: str | None = None
) -> bool:
    editors = pr.get("editors") or {}
    if user is None:
        return False
    if user in editors.get("users", []):
        return True
    groups = {g for g, members in fake.groups.items() if user in members}
    if groups & set(editors.get("groups", [])):
        return True
    # domainUsersCanEdit: anyone in the spreadsheet owner's domain
    owner_domain = (owner or "").rsplit("@", 1)[-1].lower()
    return bool(
        editors.get("domainUsersCanEdit") and owner and user.rsplit("@", 1)[-1].lower() == owner_domain
    )


def _intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _covers(outer: Rect, inner: Rect) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and (inner[3] <= outer[3])


def rect_of(sheet: Sheet, gr: dict[str, Any]) -> Rect:
    return (
        gr.get("startRowIndex") or 0,
        gr["endRowIndex"] if gr.get("endRowIndex") is not None else sheet.rows,
        gr.get("startColumnIndex") or 0,
        gr["endColumnIndex"] if gr.get("endColumnIndex") is not None else sheet.cols,
    )


def protected_conflict(
    fake: FakeGoogle,
    ss: Spreadsheet,
    sheet: Sheet,
    rect: Rect,
    user: str | None,
    exempt: bool,
    cells: list[tuple[int, int]] | None = None,
) -> bool:
    """Would writing `rect` (or the listed cells) on `sheet` touch a protected cell?"""
    if exempt or rect[0] >= rect[1] or rect[2] >= rect[3]:
        return False
    for pr in sheet.protected:
        if pr.get("warningOnly"):
            continue
        rng = pr.get("range")
        if rng is None and pr.get("namedRangeId"):
            nr = next((n for n in ss.named_ranges if n.get("namedRangeId") == pr["namedRangeId"]), None)
            rng = nr["range"] if nr else None
        if rng is None or (rng.get("sheetId") or 0) != sheet.id:
            continue
        prot = rect_of(sheet, rng)
        if not _intersects(prot, rect):
            continue
        f = fake.files.get(ss.id)
        if can_edit_protected(fake, user, pr, f.owner if f else None):
            continue
        holes = [rect_of(sheet, u) for u in pr.get("unprotectedRanges", [])]
        r0, r1 = max(prot[0], rect[0]), min(prot[1], rect[1])
        c0, c1 = max(prot[2], rect[2]), min(prot[3], rect[3])
        inter = (r0, r1, c0, c1)
        if any(_covers(h, inter) for h in holes):
            continue
        if cells is not None:
            for r, c in cells:
                if (
                    r0 <= r < r1
                    and c0 <= c < c1
                    and not any(h[0] <= r < h[1] and h[2] <= c < h[3] for h in holes)
                ):
                    return True
        elif _uncovered(inter, holes):
            return True
    return False


def _uncovered(rect: Rect, holes: list[Rect]) -> bool:
    """Is some cell of `rect` outside every hole? (exact, via coordinate compression)"""
    r0, r1, c0, c1 = rect
    rows = sorted(
        {r0, r1, *(min(max(h[0], r0), r1) for h in holes), *(min(max(h[1], r0), r1) for h in holes)}
    )
    cols = sorted(
        {c0, c1, *(min(max(h[2], c0), c1) for h in holes), *(min(max(h[3], c0), c1) for h in holes)}
    )
    for ra, rb in pairwise(rows):
        if ra >= rb:
            continue
        for ca, cb in pairwise(cols):
            if ca >= cb:
                continue
            if not any(h[0] <= ra and rb <= h[1] and h[2] <= ca and cb <= h[3] for h in holes):
                return True
    return False
