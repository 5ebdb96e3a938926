"""Indonesian for what PyYAML and pydantic say in English about a config (issue 21: no English
from a library reaches the user). Each says what is wrong and what to write instead."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any, get_args

from pydantic import BaseModel

# PyYAML's problems (the text after the mark), most common first; the first match wins.
_YAML: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "ada karakter tab: indentasi harus memakai spasi, bukan tab"),
    ("found a tab character", "ada karakter tab: indentasi harus memakai spasi, bukan tab"),
    ("mapping values are not allowed",
     "titik dua ':' di tempat yang tidak boleh: mungkin spasi setelah ':' di baris sebelumnya "
     "kurang, atau nilai yang berisi ': ' perlu diapit tanda kutip"),
    ("could not find expected ':'",
     "kunci tanpa titik dua: tulis 'kunci: nilai' (spasi sesudah ':')"),
    ("did not find expected key",
     "indentasi tidak sejajar dengan kunci di atasnya: samakan jumlah spasinya"),
    ("did not find expected '-' indicator",
     "butir daftar tidak sejajar: setiap butir diawali '-' pada kolom yang sama"),
    ("expected <block end>", "indentasi tidak sejajar dengan baris di atasnya: samakan jumlah "
                             "spasinya"),
    ("unexpected end of stream",
     "berkas berakhir sebelum tanda kutip atau kurung ditutup: tutup tanda kutipnya"),
    ("found unexpected ':'", "titik dua ':' tidak boleh di sini: apit nilainya dengan tanda kutip"),
    ("found undefined alias", "alias (*nama) yang belum didefinisikan: hapus atau definisikan"),
    ("while scanning a quoted scalar", "tanda kutip tidak ditutup: tutup dengan tanda kutip "
                                       "yang sama di baris itu"),
    ("expected ',' or ']'", "daftar [ ... ] tidak ditutup dengan benar: periksa koma dan ']'"),
    ("expected ',' or '}'", "pasangan { ... } tidak ditutup dengan benar: periksa koma dan '}'"),
    ("found unknown escape character", "karakter '\\' tidak dikenal di dalam tanda kutip ganda: "
                                       "pakai tanda kutip tunggal atau tulis '\\\\'"),
    ("that cannot start any token", "karakter ini tidak boleh di awal nilai: apit nilainya "
                                    "dengan tanda kutip"),
    ("found duplicate anchor", "nama jangkar (&nama) ditulis dua kali"),
    ("expected a single document", "berkas berisi lebih dari satu dokumen YAML ('---'): "
                                    "pakai satu saja"),
)


def yaml_problem(exc: BaseException, text: str = "") -> str:
    """The Indonesian for a PyYAML error (`text`: the file's, to look at the character it
    stopped at), never its English."""
    mark = getattr(exc, "problem_mark", None)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][:mark.column + 1]:
        return "ada karakter tab: indentasi harus memakai spasi, bukan tab"
    texts = " ".join(str(getattr(exc, a, None) or "") for a in ("problem", "context"))
    for english, indonesian in _YAML:
        if english in texts:
            return indonesian
    return "penulisan YAML tidak dapat dibaca di sini"


def pydantic_problem(err: Any) -> str:
    """The Indonesian for a pydantic error kind the config loader has no words of its own for."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    bounds = {"greater_than": "lebih dari {gt}", "greater_than_equal": "paling sedikit {ge}",
              "less_than": "kurang dari {lt}", "less_than_equal": "paling banyak {le}"}
    if kind in bounds:
        return f"harus {bounds[kind].format(**{k: _num(v) for k, v in ctx.items()})}"
    if kind in ("string_type", "string_unicode"):
        return "harus berupa teks"
    if kind in ("list_type", "tuple_type", "set_type"):
        return ("harus berupa daftar: [a, b], atau butir-butir di baris sendiri yang "
                "diawali '-'")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "harus berupa pasangan 'kunci: nilai' di bawahnya"
    if kind.startswith("bool"):
        return "harus true atau false"
    if kind in ("too_short", "too_long"):
        return (f"jumlah butirnya harus {'paling sedikit' if kind == 'too_short' else 'paling banyak'}"
                f" {ctx.get('min_length', ctx.get('max_length', ''))}")
    if kind == "string_too_short":
        return "tidak boleh kosong"
    if kind == "string_pattern_mismatch":
        return "bentuknya tidak sesuai (lihat README, Konfigurasi)"
    if kind in ("url_parsing", "url_type"):
        return "harus berupa alamat (URL) yang lengkap, mis. https://..."
    return f"nilai {err.get('input')!r} tidak sah di sini (lihat README, Konfigurasi)"


def _num(v: Any) -> str:
    return re.sub(r"\.0$", "", str(v)).replace(".", ",")


def line_of_item(text: str, message: str) -> int | None:
    """The line of `- id: X` under `sections:` or `units:` when a whole-config check names
    `sections[X]` or `units[X]` (the model alone knows no line for it)."""
    named = re.match(r"(sections|units)\[([^\]]+)\]", message)
    if not named:
        return None
    block = re.search(rf"^{named.group(1)}:\s*$", text, re.M)
    if block is None:
        return None
    item = re.compile(rf"^\s*-\s*id:\s*['\"]?{re.escape(named.group(2))}['\"]?\s*$", re.M)
    found = item.search(text, block.end())
    return text.count("\n", 0, found.start()) + 1 if found else None


def close_key(model: type[BaseModel], loc: Sequence[Any]) -> str | None:
    """For a key `loc` the config does not know, the known key it was probably meant as
    (`shortname` -> `short_name`), looked up in the model it sits in; None when none is
    close or the place holds more than one kind of model (a rule's kinds)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        current = _only_model(field.annotation) if field is not None else None
    if current is None or not loc:
        return None
    found = difflib.get_close_matches(str(loc[-1]), list(current.model_fields), n=1, cutoff=0.7)
    return found[0] if found else None


def _only_model(annotation: Any) -> type[BaseModel] | None:
    """The one pydantic model an annotation holds (`X`, `list[X]`, `X | None`), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = {m for arg in get_args(annotation) if (m := _only_model(arg)) is not None}
    return found.pop() if len(found) == 1 else None
