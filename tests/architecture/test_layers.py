"""The layers hold (docs/design.md §4): every import of sheets_sync/, read with `ast`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests import layers

REPO = Path(__file__).resolve().parents[2]


def test_no_layer_imports_one_above_it() -> None:
    assert [str(v) for v in layers.violations()] == []


def test_a_violation_names_the_module_and_the_import(tmp_path: Path) -> None:
    package = tmp_path / "sheets_sync"
    for folder in ("domain", "flows", "cli"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "domain" / "bad.py").write_text("import requests\nfrom ..flows import x\n")
    (package / "flows" / "worse.py").write_text("from sheets_sync.cli.app import App\n")
    (package / "flows" / "fine.py").write_text("from sheets_sync.domain import bad\n")
    found = sorted(map(str, layers.violations(package)))
    assert found == [
        "sheets_sync.domain.bad imports requests: the domain layer imports only the standard "
        "library, pydantic and holidays",
        "sheets_sync.domain.bad imports sheets_sync.flows: the domain layer may not import the "
        "flows layer",
        "sheets_sync.flows.worse imports sheets_sync.cli.app: the flows layer may not import the "
        "cli layer",
    ]


def test_every_package_is_shipped() -> None:
    shipped = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                  ["packages"])
    packages = {name for name, path in layers.modules().items() if path.name == "__init__.py"}
    assert packages - shipped == set()


def test_the_top_level_holds_only_packages_config_ports_and_the_entry_point() -> None:
    loose = {p.name for p in layers.PACKAGE.glob("*.py")}
    # export.py leaves for reports/ (issue 18, point 3)
    assert loose - {"export.py"} == {"__init__.py", "__main__.py", "config.py", "ports.py"}


def test_the_picture_in_the_design_document_is_the_code() -> None:
    text = (REPO / "docs" / "design.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers: python -m tests.layers --diagram -->\n```text\n(.*?)```",
                      text, re.S)
    assert block is not None, "docs/design.md §4 lost its picture of the layers"
    assert block.group(1).rstrip("\n") == layers.diagram(), (
        "the layers changed: paste `python -m tests.layers --diagram` into docs/design.md §4")


def test_the_design_cited_is_the_one_in_the_repository() -> None:
    outside = "DESIGN" + ".md"  # a document that was never part of the project
    texts = [REPO / "README.md", *(REPO / "docs").glob("*.md")]
    for folder in ("sheets_sync", "tests", "benchmarks"):
        texts += (REPO / folder).rglob("*.py")
    assert [str(p.relative_to(REPO)) for p in texts if outside in p.read_text(encoding="utf-8")] == []
