"""The layers of `sheets_sync` (docs/design.md §4), read from the real imports with `ast`.

`python -m tests.layers --diagram` prints the picture of the layers that docs/design.md shows;
`tests/architecture/test_layers.py` checks that the code keeps to the rules and that the picture is current.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sheets_sync"

# Each layer, top first, with the layers it may import (besides itself). A module's layer is
# its first package under sheets_sync/ (or its own name for a top-level module).
ALLOWED: dict[str, frozenset[str]] = {
    "cli": frozenset({"service", "reports", "notify", "flows", "adapters", "config", "caches",
                      "ports", "xlsx", "domain", "settings"}),
    "service": frozenset({"flows", "notify", "reports", "ports", "xlsx", "domain",
                          "settings"}),
    "reports": frozenset({"flows", "ports", "xlsx", "domain", "settings"}),
    "notify": frozenset({"ports", "domain", "settings"}),
    "flows": frozenset({"ports", "domain", "settings"}),
    "adapters": frozenset({"ports", "xlsx", "domain", "settings"}),
    # config reads the indicators file, an .xlsx among others: a file that cannot be read is
    # named as the local adapter names its workbooks (adapters.local.file_problems)
    "config": frozenset({"caches", "adapters", "domain", "settings"}),
    "caches": frozenset({"domain", "settings"}),
    "ports": frozenset({"domain", "settings"}),
    # openpyxl chart pieces both .xlsx writers share (the target line): adapters, reports
    "xlsx": frozenset({"domain", "settings"}),
    "domain": frozenset({"settings"}),
    "settings": frozenset(),
}
# Modules whose layer is not their folder's, while they move to their home (none now: export
# has moved into reports/). An entry for a module that no longer exists is ignored.
MOVING: dict[str, str] = {}
# Outside the project, the domain and the settings may import only the standard library,
# pydantic, and `holidays` (the calendar's national holidays, imported only when asked).
PURE_LAYERS = frozenset({"domain", "settings"})
PURE_THIRD_PARTY = frozenset({"pydantic", "holidays"})


@dataclass(frozen=True)
class Violation:
    module: str
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.module} imports {self.imported}: {self.why}"


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name; None for the package root and the entry point."""
    if module in MOVING:
        return MOVING[module]
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "__main__":
        return None  # `sheets_sync/__init__` and `python -m sheets_sync` stand outside
    return parts[1]


def imports(path: Path, module: str) -> list[str]:
    """The absolute names a module imports (relative imports resolved), lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "sheets_sync":  # `from sheets_sync import x`: x is the module
                out.extend(f"sheets_sync.{alias.name}" for alias in node.names)
            else:
                out.append(base)
    return out


def _stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names or name == "__future__"


def violations(root: Path = PACKAGE) -> list[Violation]:
    found: list[Violation] = []
    for module, path in modules(root).items():
        layer = layer_of(module)
        if layer is None:
            continue
        if layer not in ALLOWED:
            found.append(Violation(module, "-", f"'{layer}' is no layer of docs/design.md §4"))
            continue
        for name in imports(path, module):
            if name.startswith("sheets_sync."):
                target = layer_of(name)
                if target is None or target == layer or target in ALLOWED[layer]:
                    continue
                found.append(Violation(module, name,
                                       f"the {layer} layer may not import the {target} layer"))
            elif layer in PURE_LAYERS and not _stdlib(name) and (
                    name.split(".")[0] not in PURE_THIRD_PARTY):
                found.append(Violation(module, name, f"the {layer} layer imports only the "
                                       "standard library, pydantic and holidays"))
    return found


def edges(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Which layers each layer really imports."""
    out: dict[str, set[str]] = {layer: set() for layer in ALLOWED}
    for module, path in modules(root).items():
        layer = layer_of(module)
        if layer not in out:
            continue
        for name in imports(path, module):
            target = layer_of(name) if name.startswith("sheets_sync.") else None
            if target is not None and target != layer:
                out[layer].add(target)
    return out


def diagram(root: Path = PACKAGE) -> str:
    """The layers top first, each with the layers it imports today."""
    found = edges(root)
    width = max(map(len, ALLOWED))
    lines = [f"{layer:<{width}}  -> {', '.join(sorted(found[layer], key=list(ALLOWED).index)) or '(nothing)'}"
             for layer in ALLOWED]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--diagram"]:
        print(diagram())
    else:
        bad = violations()
        print("\n".join(map(str, bad)) or "layers kept")
        sys.exit(1 if bad else 0)
