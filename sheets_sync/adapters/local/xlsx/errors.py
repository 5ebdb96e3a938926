"""The two exceptions of the .xlsx package: one for its fast paths, one for its callers."""

from __future__ import annotations


class NotHandled(Exception):
    """A fast path (the package edited in place, cells found by pattern or written as XML
    text) cannot do this with certainty: the front door takes the general way instead
    (openpyxl, or the XML parser). Never leaves the package."""


class Unreadable(Exception):
    """The workbook cannot be read: damaged, half-saved, or not an .xlsx at all. `cause` is
    what the reader raised (its type names the damage in the caller's message)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause
