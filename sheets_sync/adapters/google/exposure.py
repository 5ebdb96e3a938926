"""Credential files readable by other users of the computer: warned about, never printed.

`credentials.json` (an OAuth client secret or a service-account key) and
`authorized_user.json` (the login token) give access to every file of the office: on a
shared Windows or Linux machine they must be readable by their owner only. POSIX only:
Windows file rights are not told by the mode bits (there the file's folder decides).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sheets_sync.settings.backend import GoogleBackend


def exposed_credentials(settings: GoogleBackend, base_dir: Path) -> list[Path]:
    """The configured credential and token files that others can read."""
    if os.name != "posix":
        return []
    out = []
    for name in dict.fromkeys((settings.credentials, settings.token)):
        path = Path(name).expanduser()
        path = path if path.is_absolute() else base_dir / path
        try:
            mode = path.stat().st_mode
        except OSError:
            continue  # missing: the loader says so
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            out.append(path)
    return out


def exposure_warning(path: Path) -> str:
    return (f"Berkas rahasia {path} dapat dibaca pengguna lain di komputer ini. Batasi: "
            f"chmod 600 '{path}' (hanya pemiliknya yang boleh membaca).")
