"""The Indonesian for an operating-system error (`OSError.strerror` is the system's English:
"Permission denied", "No space left on device")."""

from __future__ import annotations

import errno

_WHY = {
    errno.ENOENT: "tidak ada",
    errno.ENOTDIR: "ada berkas, bukan folder, di jalur itu",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.EACCES: "tidak ada izin (izin berkas atau folder)",
    errno.EPERM: "tidak ada izin (izin berkas atau folder)",
    errno.EROFS: "folder hanya-baca",
    errno.ENOSPC: "disk penuh",
    errno.EEXIST: "sudah ada",
    errno.EBUSY: "sedang dipakai program lain",
    errno.ETXTBSY: "sedang dipakai program lain",
    errno.ENAMETOOLONG: "nama atau jalurnya terlalu panjang",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.EIO: "kesalahan baca/tulis disk atau jaringan",
    errno.ECONNREFUSED: "sambungan ditolak (server tidak melayani di alamat dan port itu)",
    errno.ECONNRESET: "sambungan diputus oleh server",
    errno.ETIMEDOUT: "waktu habis menunggu jawaban",
    errno.EHOSTUNREACH: "alamat server tidak dapat dijangkau",
    errno.ENETUNREACH: "jaringan tidak dapat dijangkau",
    errno.EXDEV: "folder lain di perangkat lain",
}


def why(exc: OSError) -> str:
    """What went wrong, in Indonesian; the error number when it is an unusual one."""
    known = _WHY.get(exc.errno or -1)
    if known:
        return known
    if isinstance(exc, TimeoutError):
        return "waktu habis menunggu jawaban"
    if isinstance(exc, ConnectionError):
        return "sambungan jaringan gagal"
    return f"kesalahan sistem (kode {exc.errno})" if exc.errno else "kesalahan sistem"
