"""click's own messages in Indonesian ("Missing option", "No such command", "Usage:", the
--help texts), so the whole screen speaks one language.

click marks every message it shows with gettext (`from gettext import gettext as _` in each of
its modules, message ids in English). We install an Indonesian catalog for those ids: a
`gettext.NullTranslations` built here at runtime from `MESSAGES` (no .mo file to ship or
find), bound as the `_` / `ngettext` that click's modules call. An id click adds later and we
do not know yet simply stays English.
"""

from __future__ import annotations

import gettext
import importlib

MESSAGES: dict[str, str] = {
    # usage errors
    "Error: {message}": "Kesalahan: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing option": "Opsi wajib belum diisi:",
    "Missing argument": "Argumen wajib belum diisi:",
    "Missing parameter": "Parameter wajib belum diisi:",
    "Missing parameter: {param_name}": "Parameter wajib belum diisi: {param_name}",
    "Missing {param_type}": "{param_type} wajib belum diisi",
    "Missing command.": "Perintah belum disebut.",
    "No such command {name!r}.": "Perintah {name!r} tidak ada.",
    "No such option {name!r}.": "Opsi {name!r} tidak ada.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak memakai nilai.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan nilai ya/tidak yang sah. Yang dikenal: {states}",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}":
        "Berkas {filename!r} tidak dapat dibuka: {message}",
    "file": "berkas", "directory": "folder", "path": "jalur",
    "Aborted!": "Dibatalkan.",
    "unknown error": "kesalahan tidak dikenal",
    # help
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "deprecated": "usang",
    "required": "wajib",
    "(dynamic)": "(dinamis)",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    # prompts
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tanpa bertanya.",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: The two entered values do not match.": "Kesalahan: kedua nilai tidak sama.",
    "Error: invalid input": "Kesalahan: masukan tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
}

PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Ada argumen lebih yang tidak dikenal ({args})",
        "Ada argumen lebih yang tidak dikenal ({args})"),
    "Option {name!r} requires an argument.": (
        "Opsi {name!r} memerlukan nilai.", "Opsi {name!r} memerlukan {nargs} nilai."),
    "Did you mean {possibility}?": (
        "Mungkin maksudnya {possibility}?", "(Mungkin maksudnya salah satu dari: {possibilities}?)"),
    "{value!r} is not {choice}.": (
        "{value!r} bukan {choice}.", "{value!r} bukan salah satu dari {choices}."),
    "Takes {nargs} values but 1 was given.": (
        "Memerlukan {nargs} nilai, tetapi 1 diberikan.",
        "Memerlukan {nargs} nilai, tetapi {len} diberikan."),
    "{value!r} does not match the format {format}.": (
        "{value!r} tidak sesuai bentuk {format}.", "{value!r} tidak sesuai bentuk {formats}."),
}


class Indonesian(gettext.NullTranslations):
    """The catalog: click's English message ids -> Indonesian."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = PLURALS.get(msgid1)
        if forms is None:
            return msgid1 if n == 1 else msgid2
        return forms[0] if n == 1 else forms[1]


# click's type names are plain class attributes, not gettext ids: shown as metavars in --help
# (TEXT, FLOAT RANGE) and in "'abc' is not a valid float range".
TYPE_NAMES = {
    "StringParamType": "teks", "UnprocessedParamType": "teks", "IntParamType": "bilangan bulat",
    "IntRange": "bilangan bulat", "FloatParamType": "angka", "FloatRange": "angka",
    "BoolParamType": "ya/tidak", "DateTime": "tanggal-waktu", "File": "berkas",
}

CATALOG = Indonesian()
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types", "utils", "_termui_impl")


def install() -> None:
    """Make click's modules translate through `CATALOG` (idempotent)."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a click without that module: nothing there to translate
            continue
        if hasattr(module, "_"):
            module._ = CATALOG.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = CATALOG.ngettext  # type: ignore[attr-defined]
    types = importlib.import_module("click.types")
    for cls, name in TYPE_NAMES.items():
        if isinstance(getattr(types, cls, None), type):
            getattr(types, cls).name = name
