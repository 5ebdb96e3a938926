"""spreadsheets.batchUpdate request kinds: the registry and its entry point.

The kinds live in one module per resource (requests_sheets.py, requests_cells.py,
requests_dimensions.py, requests_protection.py, requests_charts_filters.py,
requests_ranges.py); the machinery in requests_base.py. Importing this module imports every
``requests_*.py`` module of the package, so a new module registering kinds with
``@handler(kind)`` needs no line here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from .requests_base import (
    HANDLERS,
    BatchContext,
    Rect,
    RequestError,
    apply_request,
    handler,
    update_by_mask,
)

__all__ = ["HANDLERS", "BatchContext", "Rect", "RequestError", "apply_request", "handler", "update_by_mask"]

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("requests_") and _info.name not in ("requests_base", "requests_impl"):
        importlib.import_module(f"{__package__}.{_info.name}")
