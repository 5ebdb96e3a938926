"""The local backend: a folder of .xlsx workbooks (openpyxl), the embedded default."""

from sheets_sync.adapters.local.store import LocalStore

__all__ = ["LocalStore"]
