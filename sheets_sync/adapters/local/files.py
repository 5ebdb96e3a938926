"""Safe file operations on a shared folder: where sections save in Excel or LibreOffice while
the service writes.

- Temp files and backups live in the service's hidden folder `<period>/.sheets-sync/`, never
  beside the sections' workbooks (a half-written `.tmp` file is nothing a section should see).
- A new workbook is created exclusively: an existing file is never replaced, it is adopted.
- A rewrite keeps the current file *in the backups* first (a hard link), checks that it is
  exactly what the service read and still what is at the path (else a section saved
  meanwhile: the write starts again from its version), then renames the new file over it in
  one step. At every instant the path holds a whole workbook, old or new; the version
  replaced is kept.
- A workbook open in Excel (`~$name.xlsx`) or LibreOffice (`.~lock.name.xlsx#`) is not written.
- A rewritten file keeps its mode, owner and group; a new one follows the folder (umask).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

SERVICE_DIR = ".sheets-sync"
TMP_DIR = "tmp"
BACKUP_DIR = "cadangan"
UNFINISHED_AGE = 2.0  # seconds: a create takes its name and fills it within microseconds
KEEP_BACKUPS = 3  # per workbook: the last versions the service replaced (and one a day)


def new_file_mode() -> int:
    """What any program would give a new file here: 0666 less the umask."""
    old = os.umask(0o022)
    os.umask(old)
    return 0o666 & ~old


def service_dir(workspace: Path, period: str) -> Path:
    return workspace / period / SERVICE_DIR


def period_of(path: Path) -> Path:
    """The period folder of a workbook (`<workspace>/<period>/<role>/<file>`)."""
    return path.parent.parent


def temp_file(path: Path, suffix: str = ".xlsx") -> Path:
    """A fresh temp file for `path`, in the hidden folder of its period."""
    folder = period_of(path) / SERVICE_DIR / TMP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{os.getpid()}-{uuid.uuid4().hex[:12]}{suffix}"


def clean_leftovers(period_dir: Path) -> list[Path]:
    """Remove temp files a killed command left (ours in the hidden folder, and the `.tmp-*`
    files older versions left beside the workbooks). Called under the period lock, when no
    other writer can be using them."""
    removed: list[Path] = []
    candidates = list((period_dir / SERVICE_DIR / TMP_DIR).glob("*"))
    # a lock file's draft a kill left (one being written now is seconds old)
    for draft in (period_dir / SERVICE_DIR).glob("kunci-periode.json.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - draft.stat().st_mtime > 60:
                candidates.append(draft)
    for role_dir in period_dir.iterdir() if period_dir.is_dir() else []:
        if role_dir.is_dir() and role_dir.name != SERVICE_DIR:
            candidates += role_dir.glob(".tmp-*.xlsx")
    for leftover in candidates:
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


# ---------------------------------------------------------------------- office lock files


def office_lock(path: Path, zone: tzinfo | None = None) -> str | None:
    """Who has `path` open in Excel or LibreOffice, from their lock file beside it (None when
    nobody). The text names the person and since when, for the user's message."""
    folder, name = path.parent, path.name
    # Excel: "~$" + the name; long names lose their first two characters.
    for owner in (folder / f"~${name}", folder / f"~${name[2:]}", folder / f"~${name[1:]}"):
        if owner.is_file():
            return _describe(_excel_owner(owner), owner, zone)
    libre = folder / f".~lock.{name}#"
    if libre.is_file():
        return _describe(_libre_owner(libre), libre, zone)
    return None


def _describe(who: str, lock: Path, zone: tzinfo | None) -> str:
    """`zone`: the office's (WIB/WITA/WIT); None: this computer's."""
    try:
        since = datetime.fromtimestamp(lock.stat().st_mtime, zone).strftime("%d-%m-%Y %H:%M")
    except OSError:
        since = "?"
    return f"sedang dibuka oleh {who or 'seseorang'} sejak {since} (berkas kunci {lock.name})"


def _excel_owner(lock: Path) -> str:
    """Excel's owner file: a length byte, then the user name (ANSI), padded to 54 bytes."""
    try:
        data = lock.read_bytes()[:200]
    except OSError:
        return ""
    if data and 0 < data[0] <= 53:
        return data[1:1 + data[0]].decode("cp1252", "replace").strip()
    return ""


def _libre_owner(lock: Path) -> str:
    """LibreOffice's lock file: `Full Name,user,host,date,profile;` (the name may be empty)."""
    try:
        text = lock.read_text("utf-8", "replace")
    except OSError:
        return ""
    fields = text.split(",")
    name = fields[0].strip() if fields else ""
    user = fields[1].strip() if len(fields) > 1 else ""
    host = fields[2].strip() if len(fields) > 2 else ""
    who = name or user
    return f"{who} ({host})" if who and host else who


# ---------------------------------------------------------------------- reading, writing


@dataclass(frozen=True)
class Snapshot:
    data: bytes
    digest: str


def snapshot(path: Path) -> Snapshot:
    data = path.read_bytes()
    return Snapshot(data, hashlib.sha256(data).hexdigest())


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def keep_mode(tmp: Path, like: os.stat_result | None) -> None:
    """Give `tmp` the mode (and, where allowed, owner and group) of the file it replaces; a
    new file gets the folder's usual mode."""
    if like is None:
        os.chmod(tmp, new_file_mode())
        return
    os.chmod(tmp, like.st_mode & 0o7777)
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only root may give a file to someone else
            os.chown(tmp, like.st_uid, like.st_gid)
        with contextlib.suppress(OSError):  # a member of the group may keep the group
            os.chown(tmp, -1, like.st_gid)


def create_exclusive(path: Path, tmp: Path) -> bool:
    """Move the finished `tmp` to `path` unless a file is there already (then it is left as
    it is, `tmp` is removed, and False says the existing file is to be adopted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_mode(tmp, None)
    try:
        _link_no_replace(tmp, path)
        return True
    except FileExistsError:
        if not _unfinished(path):
            return False
        os.replace(tmp, path)  # an empty file a killed create left: finished now
        return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _unfinished(path: Path) -> bool:
    """An empty file, older than a create takes: left by a create killed half-way."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    return st.st_size == 0 and time.time() - st.st_mtime > UNFINISHED_AGE


def _link_no_replace(src: Path, dst: Path) -> None:
    """`dst` becomes `src`'s content, atomically, and only if `dst` does not exist."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        # Some shares have no hard links: the name is taken exclusively (an empty file),
        # then the whole content is renamed over it in one step. A kill in between leaves
        # an empty file: nothing typed can be in it, and the next create finishes it.
        os.close(os.open(dst, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        os.replace(src, dst)


def swap_in(path: Path, tmp: Path, read: Snapshot, backups: Path) -> bool:
    """Replace `path` by `tmp` if `path` still holds exactly what was `read`; False (nothing
    changed, `tmp` removed) when a section saved meanwhile. The replaced version goes into
    `backups`.

    At every instant `path` holds a whole workbook, the old or the new: the old one is kept
    by a second name (a hard link, or a copy), checked, and then the new one is renamed over
    it in one step (`os.replace`). A kill at any step leaves the old file, or the new one."""
    try:
        try:
            like = path.stat()
        except FileNotFoundError:
            return False  # gone meanwhile: the next attempt says so
        keep_mode(tmp, like)
        backups.mkdir(parents=True, exist_ok=True)
        aside = backups / backup_name()
        try:
            kept = keep_version(path, aside)
        except FileNotFoundError:
            return False
        # What we keep must be what we read, and still be what is at `path` right before the
        # rename: else a section saved after our read, and we start again from its version.
        if _digest(aside) != read.digest or not _unchanged(path, kept):
            with contextlib.suppress(OSError):
                aside.unlink()  # not a version we replace: it is still at its place
            return False
        previous = sorted(backups.glob("*.xlsx"), reverse=True)[1:2]
        os.replace(tmp, path)
        if previous and _digest(previous[0]) == read.digest:
            with contextlib.suppress(OSError):
                aside.unlink()  # the version we wrote last time: kept already
        with contextlib.suppress(OSError):
            # and the version written now: a workbook deleted by hand comes back as it was
            # last seen, not one write behind (a copy, that no save in place can change)
            shutil.copy2(path, backups / backup_name())
        prune(backups)
        return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def backup_name() -> str:
    """Sorted by time, and unique (two processes, the same microsecond)."""
    return f"{datetime.now():%Y%m%d-%H%M%S-%f}-{os.getpid()}.xlsx"


def keep_version(path: Path, aside: Path) -> os.stat_result:
    """`aside` becomes a second name of the file at `path` (a hard link: the very file, at no
    cost), or a copy where a share has no hard links. Returns what identifies the version
    kept, to see whether `path` is still it."""
    try:
        os.link(path, aside)
        return aside.stat()
    except FileNotFoundError:
        raise
    except OSError:
        before = path.stat()
        shutil.copyfile(path, aside)
        return before


def _unchanged(path: Path, kept: os.stat_result) -> bool:
    try:
        now = path.stat()
    except FileNotFoundError:
        return False
    return ((now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns)
            == (kept.st_dev, kept.st_ino, kept.st_size, kept.st_mtime_ns))


# ---------------------------------------------------------------------- backups


def backup_root(period_dir: Path) -> Path:
    return period_dir / SERVICE_DIR / BACKUP_DIR


def backup_folder(path: Path) -> Path:
    return backup_root(period_of(path)) / path.parent.name / path.stem


def backups_of(path: Path) -> list[Path]:
    """The backups of a workbook, newest first."""
    folder = backup_folder(path)
    return sorted(folder.glob("*.xlsx"), reverse=True) if folder.is_dir() else []


def prune(folder: Path, keep: int = KEEP_BACKUPS) -> None:
    """Keep the last `keep` versions and the last of every day (of a period: a few months),
    so idle rewrites never push every useful version out; the rest goes."""
    days: set[str] = set()
    for n, old in enumerate(sorted(folder.glob("*.xlsx"), reverse=True)):
        day = old.name[:8]  # names start with the time: YYYYMMDD-...
        if n < keep or day not in days:
            days.add(day)
            continue
        with contextlib.suppress(OSError):
            old.unlink()


def restore(path: Path, source: Path) -> Path | None:
    """Put the backup `source` back at `path`; the current file (if any) is first kept among
    the backups, so a restore loses nothing, and it is replaced in one step (never a moment
    without a file at `path`). Returns where the current file was kept."""
    tmp = temp_file(path)
    try:
        shutil.copyfile(source, tmp)
        kept = source.stat()  # its time is when it was saved: the hand-in time stays
        os.utime(tmp, ns=(kept.st_atime_ns, kept.st_mtime_ns))
        folder = backup_folder(path)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            like: os.stat_result | None = path.stat()
        except FileNotFoundError:
            like = None
        keep_mode(tmp, like)
        if like is None:
            _link_no_replace(tmp, path)
            return None
        saved = folder / backup_name()
        keep_version(path, saved)
        os.replace(tmp, path)
        return saved
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def wait_settled(path: Path, pause: float = 0.2) -> bool:
    """True when the file changed during a short pause (a save in progress), so that a read
    that failed is worth one more try."""
    try:
        before = path.stat()
        time.sleep(pause)
        after = path.stat()
    except OSError:
        return False
    return (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size)
