"""`sync init`: write the example configuration into a folder, ready for the local backend."""

from __future__ import annotations

import errno
import os
import re
from datetime import datetime
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from zoneinfo import ZoneInfo

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


def init_time() -> datetime:
    """Now in WIB (the example office's zone), or SHEETS_SYNC_NOW when pinned."""
    pinned = os.environ.get("SHEETS_SYNC_NOW")
    if pinned:
        try:
            return datetime.fromisoformat(pinned).replace(tzinfo=None)
        except ValueError:
            pass
    return datetime.now(ZoneInfo("Asia/Jakarta")).replace(second=0, microsecond=0, tzinfo=None)


def dated(text: str, now: datetime) -> str:
    """The example config opened today: the last quarter that has ended as the period, the
    letter and the disposition today. A fixed date would be in the past for a new user, who
    would then see every section late the moment they distribute."""
    quarter = (now.month - 1) // 3  # quarters finished this year
    year = now.year if quarter else now.year - 1
    period = f"{year}-TW{quarter or 4}"
    for key, value in (("period", period), ("letter_date", now.date().isoformat()),
                       ("disposition_at", now.strftime("%Y-%m-%dT%H:%M"))):
        text = re.sub(rf"^(\s*{key}:\s*)\S+", lambda m, v=value: m.group(1) + v, text,
                      count=1, flags=re.M)
    return re.sub(r"(letter_number:\s*\S*?)\d{4}$", lambda m: m.group(1) + str(now.year),
                  text, count=1, flags=re.M)


def write_example(folder: Path, *, force: bool = False,
                  now: datetime | None = None) -> list[Path]:
    """`now`: open the example's period then (`sync init`); None keeps the shipped dates
    (the demo pins its own clock to them)."""
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
            text = source.joinpath(name).read_text(encoding="utf-8")
            if name == "sync.yaml" and now is not None:
                text = dated(text, now)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:  # a file on the way, a read-only or virtual folder (/proc), no rights
        raise UsageProblem(
            f"konfigurasi contoh tidak dapat ditulis ke {target} "
            f"({_why(exc)}: {exc.filename or target}). Pilih folder biasa yang "
            "dapat Anda tulisi, mis. 'sync init .' atau 'sync init ~/kinerja'.") from None
    return written
