"""`sync init`: write the example configuration into a folder, ready for the local backend."""

from __future__ import annotations

import errno
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from sheets_sync.domain.errors import ConfigError, UsageProblem

EXAMPLE_FILES = ("sync.yaml", "indikator.csv")


def _examples() -> Traversable:
    """The repository's config/ folder: shipped in the package as `sheets_sync.examples`
    (see pyproject.toml); in an editable checkout, read from the source tree."""
    try:
        return resources.files("sheets_sync.examples")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "config"


_WHY = {errno.ENOENT: "jalur itu tidak ada dan tidak dapat dibuat",
        errno.ENOTDIR: "ada berkas, bukan folder, di jalur itu",
        errno.EACCES: "tidak ada izin menulis", errno.EPERM: "tidak ada izin menulis",
        errno.EROFS: "folder hanya-baca", errno.ENOSPC: "disk penuh"}


def _why(exc: OSError) -> str:
    return _WHY.get(exc.errno or 0, exc.strerror or str(exc))


def write_example(folder: Path, *, force: bool = False) -> list[Path]:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        base = folder.parent.parent if folder.parent.name == "config" else folder.parent
        raise UsageProblem(
            f"{folder} adalah berkas, bukan folder. 'sync init' menerima sebuah FOLDER dan "
            f"menulis FOLDER/config/sync.yaml, mis. 'sync init {base}'.")
    target = folder / "config"
    existing = [target / n for n in EXAMPLE_FILES if (target / n).exists()]
    if existing and not force:
        raise ConfigError(
            f"{existing[0]} sudah ada; tidak ditimpa. Pakai --force untuk menimpanya, atau "
            "pilih folder lain."
        )
    source = _examples()
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in EXAMPLE_FILES:
            path = target / name
            path.write_text(source.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
            written.append(path)
    except OSError as exc:  # a file on the way, a read-only or virtual folder (/proc), no rights
        raise UsageProblem(
            f"konfigurasi contoh tidak dapat ditulis ke {target} "
            f"({_why(exc)}: {exc.filename or target}). Pilih folder biasa yang "
            "dapat Anda tulisi, mis. 'sync init .' atau 'sync init ~/kinerja'.") from None
    return written
