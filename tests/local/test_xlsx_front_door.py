"""The .xlsx package is entered by its front door only: no module outside it (tests aside,
which may hold an inner module to its behaviour) imports one of its inner modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "sheets_sync.adapters.local.xlsx"
INSIDE = ROOT / "sheets_sync" / "adapters" / "local" / "xlsx"


def inner_imports(source: str) -> list[str]:
    """The inner modules of the package that `source` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith(PACKAGE + ".")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(PACKAGE + "."):
                found.append(node.module)
            elif node.module == PACKAGE:
                inner = {p.stem for p in INSIDE.glob("*.py")} - {"__init__"}
                found += [f"{PACKAGE}.{a.name}" for a in node.names if a.name in inner]
    return found


def test_the_checker_sees_each_way_of_reaching_inside():
    assert inner_imports(f"from {PACKAGE}.xml_patch import write_in_place") == [
        f"{PACKAGE}.xml_patch"]
    assert inner_imports(f"import {PACKAGE}.values") == [f"{PACKAGE}.values"]
    assert inner_imports(f"from {PACKAGE} import bulk_cells, read") == [f"{PACKAGE}.bulk_cells"]
    assert inner_imports(f"def f():\n    from {PACKAGE} import errors\n") == [
        f"{PACKAGE}.errors"]
    assert inner_imports(f"from {PACKAGE} import read, write, Unreadable") == []


def test_nothing_outside_the_package_imports_its_inner_modules():
    outside = [p for folder in ("sheets_sync", "benchmarks") for p in (ROOT / folder).rglob("*.py")
               if INSIDE not in p.parents]
    assert len(outside) > 20  # the walk found the code
    offenders = {str(p.relative_to(ROOT)): found for p in outside
                 if (found := inner_imports(p.read_text(encoding="utf-8")))}
    assert offenders == {}, "use the front door (sheets_sync/adapters/local/xlsx/__init__.py)"
