"""`sync init`: write the example configuration into a folder, ready for the local backend."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from sheets_sync.errors import ConfigError

EXAMPLE_FILES = ("sync.yaml", "indikator.csv")


def _examples() -> Traversable:
    """The repository's config/ folder: shipped in the package as `sheets_sync.examples`
    (see pyproject.toml); in an editable checkout, read from the source tree."""
    try:
        return resources.files("sheets_sync.examples")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "config"


def write_example(folder: Path, *, force: bool = False) -> list[Path]:
    target = Path(folder) / "config"
    existing = [target / n for n in EXAMPLE_FILES if (target / n).exists()]
    if existing and not force:
        raise ConfigError(
            f"{existing[0]} sudah ada; tidak ditimpa. Pakai --force untuk menimpanya, atau "
            "pilih folder lain."
        )
    target.mkdir(parents=True, exist_ok=True)
    source = _examples()
    written = []
    for name in EXAMPLE_FILES:
        path = target / name
        path.write_text(source.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(path)
    return written
