"""The Sheets data model: a spreadsheet and its sheets (model_sheet.py, re-exported here),
value rendering.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import values as V

if TYPE_CHECKING:
    from .core import FakeGoogle

from .model_sheet import (
    _DEFAULT_FORMAT,
    _THEME,
    DEFAULT_COLS,
    DEFAULT_ROWS,
    Sheet,
    grid_json,
    group_json,
    new_sheet_props,
)

__all__ = [
    "DEFAULT_COLS",
    "DEFAULT_ROWS",
    "Sheet",
    "Spreadsheet",
    "grid_json",
    "group_json",
    "new_sheet_props",
]


class Spreadsheet:
    def __init__(self, fake: FakeGoogle, sid: str, props: dict[str, Any]) -> None:
        self.fake = fake
        self.id = sid
        self.props = props
        self.sheets: list[Sheet] = []
        self.named_ranges: list[dict[str, Any]] = []
        self.developer_metadata: list[dict[str, Any]] = []

    @classmethod
    def new(
        cls,
        fake: FakeGoogle,
        sid: str,
        title: str,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
    ) -> Spreadsheet:
        ss = cls(
            fake,
            sid,
            {
                "title": title,
                "locale": locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": time_zone,
                "defaultFormat": copy.deepcopy(_DEFAULT_FORMAT),
                "spreadsheetTheme": copy.deepcopy(_THEME),
            },
        )
        ss.sheets.append(Sheet(new_sheet_props(0, "Sheet1", 0)))
        return ss

    @property
    def locale(self) -> str:
        return str(self.props.get("locale", "en_US"))

    def by_id(self, sheet_id: int) -> Sheet | None:
        for s in self.sheets:
            if s.id == sheet_id:
                return s
        return None

    def by_title(self, title: str) -> Sheet | None:
        for s in self.sheets:
            if s.title == title:
                return s
        low = title.lower()
        for s in self.sheets:
            if s.title.lower() == low:
                return s
        return None

    def sheet(self, key: str | int) -> Sheet:
        """A sheet by title or sheetId (KeyError if absent): for test assertions."""
        found = self.by_id(key) if isinstance(key, int) else self.by_title(key)
        if found is None:
            raise KeyError(key)
        return found

    def get_values(self, range_a1: str, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
        """Values as values.get would return them (trailing empties trimmed), no request."""
        from .sheets_ranges import read_values, resolve

        sheet, rect, _ = resolve(self, range_a1)
        return read_values(self, sheet, rect, "ROWS", render)

    def protected_ranges(self) -> list[dict[str, Any]]:
        """All stored protected ranges (with editors), over all sheets."""
        return [copy.deepcopy(p) for s in self.sheets for p in s.protected]

    def reindex(self) -> None:
        for i, s in enumerate(self.sheets):
            s.props["index"] = i

    def clone(self, new_id: str) -> Spreadsheet:
        fake = self.fake
        self.fake = None  # type: ignore[assignment]
        try:
            other = copy.deepcopy(self)
        finally:
            self.fake = fake
        other.fake = fake
        other.id = new_id
        return other

    # -- values
    def effective(self, sheet: Sheet, r: int, c: int, depth: int = 0) -> Any:
        """The computed value of a cell: str, float, bool, V.FormulaError-text, or None."""
        cell = sheet.cell(r, c)
        if not cell:
            return None
        uev = cell.get("userEnteredValue")
        if not uev:
            return None
        if "stringValue" in uev:
            return uev["stringValue"]
        if "numberValue" in uev:
            return uev["numberValue"]
        if "boolValue" in uev:
            return uev["boolValue"]
        if "formulaValue" in uev:
            if depth > 50:
                return _Err("#REF!")
            try:
                res = V.evaluate(
                    uev["formulaValue"],
                    lambda title, rr, cc: self._ref(
                        sheet if title is None else self.by_title(title), rr, cc, depth
                    ),
                )
            except V.FormulaError as e:
                msg = str(e)
                return _Err(msg) if msg.startswith("#") else None
            except (ValueError, OverflowError, ZeroDivisionError):
                return None
            return res
        if "errorValue" in uev:
            return _Err(uev["errorValue"].get("message", "#ERROR!"))
        return None

    def _ref(self, sheet: Sheet | None, r: int, c: int, depth: int) -> Any:
        if sheet is None:
            raise V.FormulaError("#REF!")
        v = self.effective(sheet, r, c, depth + 1)
        if isinstance(v, _Err):
            raise V.FormulaError(str(v))
        return v

    def render(
        self,
        sheet: Sheet,
        r: int,
        c: int,
        render: str = "FORMATTED_VALUE",
        dt_render: str = "SERIAL_NUMBER",
    ) -> Any:
        """The value of one cell as values.get returns it ('' when empty)."""
        cell = sheet.cell(r, c)
        if not cell or "userEnteredValue" not in cell:
            return ""
        uev = cell["userEnteredValue"]
        if render == "FORMULA" and "formulaValue" in uev:
            return uev["formulaValue"]
        v = self.effective(sheet, r, c)
        fmt = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        if render == "FORMATTED_VALUE":
            return self.format_value(v, fmt)
        if v is None:
            return ""
        if isinstance(v, _Err):
            return str(v)
        if isinstance(v, bool | str):
            return v
        if dt_render == "FORMATTED_STRING" and fmt and fmt.get("type") in ("DATE", "TIME", "DATE_TIME"):
            return self.format_value(v, fmt)
        return V.number_json(v)

    def format_value(self, v: Any, fmt: dict[str, Any] | None) -> str:
        if v is None:
            return ""
        if isinstance(v, _Err):
            return str(v)
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, str):
            return v
        return V.format_number(float(v), fmt, self.locale)


class _Err(str):
    """A formula error value such as #DIV/0!."""
