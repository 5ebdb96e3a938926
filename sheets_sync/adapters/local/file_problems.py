"""Why a workbook file cannot be used, named from what the file *is* (its first bytes, its
permissions, the files beside it), never from the exception a parser happened to raise: an
encrypted workbook, an old .xls and a CSV renamed .xlsx all make zipfile say "BadZipFile",
yet each needs a different step from the user. No xlsx parsing here; every message names
the file, the cause and what to do, in Indonesian.
"""

from __future__ import annotations

import os
import stat
import zipfile
from datetime import tzinfo
from pathlib import Path

from sheets_sync.adapters.local import files

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: old .xls, or an encrypted .xlsx
ZIP = b"PK\x03\x04"
BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")  # a bare old Excel BOF record
# Excel stores a password-protected .xlsx as a compound file with this stream.
ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), b"EncryptedPackage")
SCAN_LIMIT = 8 << 20  # bytes of a compound file searched for the stream name
# What sync clients (OneDrive, Dropbox, Google Drive, Nextcloud, Syncthing, rsync) and
# browsers call a file they are still writing, beside or instead of the real name.
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".sync",
                    ".syncthing", ".!sync", ".filepart", "~")
RECAP_FOLDER = "rekap"  # the local store's folder of the recap (store.ROLE_FOLDERS)


def restore_hint(path: Path) -> str:
    """How to get a good copy of the service's workbook at `path` back: the restore command
    with the section's id, which starts the file name (`<id> - <name>.xlsx`)."""
    if path.parent.name == RECAP_FOLDER:
        return "pulihkan versi terakhir yang baik dengan 'sync restore rekap'"
    section, sep, _rest = path.stem.partition(" - ")
    if sep and section.strip():
        return f"pulihkan versi terakhir yang baik dengan 'sync restore {section.strip()}'"
    return ("pulihkan versi terakhir yang baik dari cadangannya ('sync restore' diikuti id "
            "bagiannya; lihat 'sync restore --help')")


def kind(path: Path) -> str:
    """`xlsx` (a zip package, or one too damaged to tell), `ods`, `docx`, `xlsb`, `zip` (some
    other package), `encrypted`, `xls`, `text`, `empty`, or `other`."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return "other"
    if not head:
        return "empty"
    if head.startswith(ZIP):
        return _package(path)
    if head.startswith(CFB):
        return "encrypted" if _has_encrypted_stream(path) else "xls"
    if head[:2] in BIFF:
        return "xls"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            if sum(32 <= b < 127 or b in b"\t\r\n" for b in head) < 0.9 * len(head):
                return "other"
        return "text"
    return "other"


def _package(path: Path) -> str:
    """Which zip package it is, from its list of parts (nothing is parsed)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mime = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError):
        return "xlsx"  # too damaged to list: the caller says damaged or still arriving
    if "opendocument" in mime:
        return "ods"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        return "zip"
    return "xlsx"


def _has_encrypted_stream(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            data = f.read(SCAN_LIMIT)
    except OSError:
        return False
    return any(name in data for name in ENCRYPTED)


def partial_sibling(path: Path) -> Path | None:
    """A file beside `path` that a sync client or a copy is still writing into."""
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return None
    name = path.name
    for other in siblings:
        o = other.name
        if o == name:
            continue
        if o.startswith(name) and o[len(name):].lower() in PARTIAL_SUFFIXES:
            return other
        if o.startswith(f".{name}.") or o.startswith(f".~{name}") or o.startswith(f"~{name}"):
            return other  # rsync's .name.XXXX, Nextcloud's .~name, some clients' ~name
    return None


def unreadable(path: Path, restore: str | None = None) -> str:
    """Why `path` could not be read as a workbook, and what to do (`restore`: how to get a
    good copy back; by default the service's backups of its own workbook, `restore_hint`)."""
    restore = restore or restore_hint(path)
    name = path.name
    what = kind(path)
    if what == "encrypted":
        return (f"{name} dilindungi kata sandi (terenkripsi), sehingga tidak dapat dibaca. "
                "Buka di Excel, hapus kata sandinya (File > Info > Proteksi Buku Kerja > "
                "Enkripsi dengan Kata Sandi: kosongkan), simpan, lalu jalankan lagi")
    if what == "xls":
        return (f"{name} berformat Excel lama (.xls), walau namanya .xlsx. Buka di Excel atau "
                "LibreOffice dan simpan sebagai 'Buku Kerja Excel (*.xlsx)' dengan nama yang "
                f"sama, atau {restore}")
    if what in ("ods", "xlsb"):
        kind_name = ("LibreOffice/OpenDocument (.ods)" if what == "ods"
                     else "Excel biner (.xlsb)")
        return (f"{name} berformat {kind_name}, walau namanya .xlsx. Buka dan simpan sebagai "
                f"'Buku Kerja Excel (*.xlsx)' dengan nama yang sama, atau {restore}")
    if what in ("docx", "zip"):
        kind_name = "dokumen Word" if what == "docx" else "arsip zip"
        return (f"{name} berisi {kind_name}, bukan buku kerja Excel. Kembalikan kertas kerjanya: "
                f"{restore}")
    if what == "text":
        return (f"{name} berisi teks (misalnya CSV), bukan buku kerja Excel. Buka di Excel, "
                f"simpan sebagai 'Buku Kerja Excel (*.xlsx)' dengan nama yang sama, atau {restore}")
    partial = partial_sibling(path)
    if partial is not None or files.wait_settled(path, 0.3):  # still being written
        beside = f" (berkas sementara {partial.name} ada di sampingnya)" if partial else ""
        return (f"{name} sedang ditulis oleh program sinkronisasi atau penyalinan{beside}. "
                "Coba lagi sebentar lagi, setelah sinkronisasinya selesai")
    if what == "empty":
        return (f"{name} kosong (0 byte): penyimpanan atau penyalinannya gagal. Tunggu "
                f"sebentar dan jalankan lagi; bila tetap kosong, {restore}")
    return (f"{name} rusak: isinya bukan buku kerja Excel yang utuh. Bukalah di Excel atau "
            f"LibreOffice (yang dapat memperbaikinya) dan simpan lagi, atau {restore}")


def read_only(path: Path) -> str | None:
    """The message when `path` is marked read-only (its permissions, not a program holding
    it), else None. Read from the mode bits: `os.access` says yes to root, and the service
    must not overwrite a file the office marked read-only either way."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & stat.S_IWUSR:
        return None
    return (f"{path.name} hanya-baca (izin berkas), jadi tidak dapat ditulis. Hapus tanda "
            "'Read-only' di Properties berkas itu (Windows) atau beri izin tulis (chmod u+w), "
            "lalu jalankan lagi")


def not_permitted(path: Path, zone: tzinfo | None = None) -> str:
    """A PermissionError on opening `path`: its permissions, or a program holding it (named
    with its user and since when, from Excel's or LibreOffice's lock file, where there is
    one; `zone`: the office's, for the time)."""
    ro = read_only(path)
    if not os.access(path, os.R_OK):
        return (f"{path.name} tidak boleh dibaca oleh akun yang menjalankan sheets-sync (izin "
                "berkas). Beri akun itu izin baca dan tulis atas berkas, lalu jalankan lagi")
    if ro:
        return ro
    holder = files.office_lock(path, zone)
    if holder:
        return (f"{path.name} {holder}. Minta yang membukanya menutup berkas itu, lalu "
                "jalankan lagi")
    return (f"{path.name} sedang dipakai program lain (Windows menguncinya), misalnya Excel atau "
            "program sinkronisasi. Tutup berkas itu, lalu jalankan lagi")
