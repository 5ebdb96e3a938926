"""A1 notation: parsing Sheets ranges and printing them back the way Google does.

A parsed range is an `A1Range`: a sheet title (or None: "the first visible sheet") and
zero-based, half-open row/column bounds where None means "unbounded on that side".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL_RE = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d*)$")
_BARE_CELL_RE = re.compile(r"^[A-Za-z]{1,3}\d+$")
_R1C1_RE = re.compile(r"^[Rr]\d*[Cc]\d*$")


class A1Error(ValueError):
    """The text is not a valid A1 range."""


@dataclass(frozen=True)
class A1Range:
    sheet: str | None
    start_row: int | None
    end_row: int | None
    start_col: int | None
    end_col: int | None
    # True when only a sheet name was given ("Sheet1"): the whole grid.
    whole_sheet: bool = False

_R1C1_CELL_RE = re.compile(r"^[Rr](\d+)[Cc](\d+)$")


def col_to_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def index_to_col(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(row: int, col: int) -> str:
    return f"{index_to_col(col)}{row + 1}"


def quote_sheet(title: str) -> str:
    """Quote a sheet title as Google prints it in ranges ('My Sheet'!A1, Sheet1!A1)."""
    needs = (
        not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title)
        or bool(_BARE_CELL_RE.match(title))
        or bool(_R1C1_RE.match(title))
        or title.upper() in ("TRUE", "FALSE")
    )
    if needs:
        return "'" + title.replace("'", "''") + "'"
    return title


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split "'My Sheet'!A1:B2" into ("My Sheet", "A1:B2"); "Sheet1" -> ("Sheet1", None)?

    Returns (sheet, cells). Without a '!' the caller decides whether the text is a sheet
    title or a cell range (Google prefers an existing sheet title).
    """
    text = text.strip()
    if text.startswith("'"):
        i = 1
        buf = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    buf.append("'")
                    i += 2
                    continue
                break
            buf.append(ch)
            i += 1
        else:
            raise A1Error(text)
        rest = text[i + 1 :]
        if rest == "":
            return "".join(buf), None
        if not rest.startswith("!"):
            raise A1Error(text)
        return "".join(buf), rest[1:]
    if "!" in text:
        sheet, _, cells = text.rpartition("!")
        return sheet, cells
    return None, text


def parse_cells(cells: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Parse "A1:B2" / "A:B" / "1:2" / "A5:B" / "B2" into (r0, r1, c0, c1), half-open.

    R1C1 notation ("R1C1", "R2C3:R4C5") is valid wherever A1 is: "Sheet1!R1C1:R2C2 refers to
    the first two cells in the top two rows of Sheet1"
    (https://developers.google.com/sheets/api/guides/concepts#cell). A piece that is not
    R<row>C<col> is read as A1 ("R1" is column R, row 1)."""
    parts = cells.split(":")
    if len(parts) > 2 or not cells:
        raise A1Error(cells)
    r1c1 = [_R1C1_CELL_RE.match(p.strip()) for p in parts]
    if all(r1c1):
        rows = [int(m.group(1)) - 1 for m in r1c1 if m]
        cols = [int(m.group(2)) - 1 for m in r1c1 if m]
        if min(rows) < 0 or min(cols) < 0:
            raise A1Error(cells)
        return min(rows), max(rows) + 1, min(cols), max(cols) + 1
    refs = []
    for p in parts:
        m = _CELL_RE.match(p.strip())
        if not m or (not m.group(1) and not m.group(2)):
            raise A1Error(cells)
        col = col_to_index(m.group(1)) if m.group(1) else None
        row = int(m.group(2)) - 1 if m.group(2) else None
        if row is not None and row < 0:
            raise A1Error(cells)
        refs.append((row, col))
    if len(refs) == 1:
        row, col = refs[0]
        if row is None or col is None:
            # "A" alone or "5" alone are not valid single refs in Sheets
            raise A1Error(cells)
        return row, row + 1, col, col + 1
    (ra, ca), (rb, cb) = refs
    # A bare column on one side and a cell on the other ("A:B5") behaves as open rows.
    if ra is not None and rb is not None:
        r0, r1 = min(ra, rb), max(ra, rb) + 1
    elif ra is not None:
        r0, r1 = ra, None
    elif rb is not None:
        r0, r1 = (None, rb + 1) if ca is not None else (None, None)
        if ca is None:
            raise A1Error(cells)
    else:
        r0, r1 = None, None
    if ca is not None and cb is not None:
        c0, c1 = min(ca, cb), max(ca, cb) + 1
    elif ca is not None:
        c0, c1 = ca, None
    elif cb is not None:
        c0, c1 = None, cb + 1
    else:
        c0, c1 = None, None
    if ra is None and rb is None and (ca is None or cb is None):
        raise A1Error(cells)
    if ca is None and cb is None and (ra is None or rb is None):
        raise A1Error(cells)
    return r0, r1, c0, c1


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Google's printed form: Sheet1!A1:B2, or Sheet1!A1 for a single cell."""
    start = cell_name(r0, c0)
    end = cell_name(r1 - 1, c1 - 1)
    q = quote_sheet(title)
    if start == end:
        return f"{q}!{start}"
    return f"{q}!{start}:{end}"
