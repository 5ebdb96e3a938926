"""Loading the YAML config (and the indicators file it may name) into `domain.models.Config`.

Every mistake becomes a `ConfigError` naming the file, the field (with its line in the YAML)
and what to write instead: PEP staff edit these files by hand.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sheets_sync.caches import config_cache
from sheets_sync.domain.config_messages import (
    close_key,
    line_of_item,
    pydantic_problem,
    yaml_problem,
)
from sheets_sync.domain.errors import ConfigError
from sheets_sync.domain.models import Config, Indicator
from sheets_sync.domain.numbers import parse_number
from sheets_sync.domain.os_words import why
from sheets_sync.domain.units import empty_unit_warnings

# libyaml's loader when PyYAML has it (10x faster on large indicator lists), else pure Python.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(yaml.YAMLError):
    """A key written twice in one mapping: YAML would silently keep the last one."""

    def __init__(self, key: str, first: int, second: int) -> None:
        super().__init__(f"{key!r} twice, lines {first} and {second}")
        self.key, self.first, self.second = key, first, second


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Dates and times stay text: YAML itself would crash on `2026-02-30` (no field, no line),
    and drop a `+07:00` zone; the models parse them and name the field when one is wrong.
    A key written twice in one mapping (a second `period:`, a pasted `backend:` block) is
    refused: plain YAML keeps the last one without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise DuplicateKey(key_node.value, seen[key_node.value], line)
            seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        lambda loader, node: loader.construct_scalar(node))


def _number_or_text(loader: Any, node: yaml.ScalarNode) -> Any:
    """YAML 1.1 reads `8:00` as base 60 (480): keep it as typed, a time is meant."""
    if ":" in node.value:
        return loader.construct_scalar(node)
    if node.tag.endswith(":int"):
        return loader.construct_yaml_int(node)
    return loader.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _number_or_text)
_Loader.add_constructor("tag:yaml.org,2002:float", _number_or_text)


def _parse(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)

# Column headers accepted in an indicators file, Indonesian or English -> model field.
INDICATOR_COLUMNS = {
    "kode": "code", "code": "code",
    "bagian": "section", "section": "section", "unit kerja": "section",
    "sasaran": "sasaran",
    "indikator": "name", "indikator kinerja": "name", "indicator": "name", "name": "name",
    "satuan": "unit", "unit": "unit",
    "target": "target",
    "target_min": "target_min", "target min": "target_min", "batas bawah": "target_min",
    "target_max": "target_max", "target max": "target_max", "batas atas": "target_max",
    "polaritas": "polarity", "polarity": "polarity",
    "agregasi": "aggregation", "aggregation": "aggregation",
    "pagu": "budget", "pagu (rp)": "budget", "budget": "budget",
    **{f"target_tw{q}": f"target_tw{q}" for q in range(1, 5)},
    **{f"target tw{q}": f"target_tw{q}" for q in range(1, 5)},
}
_NUMERIC = {"target", "target_min", "target_max", "budget", *(f"target_tw{q}" for q in range(1, 5))}


def load_config(path: Path) -> Config:
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"berkas konfigurasi {path} tidak ada. Buat dengan 'sync init FOLDER', atau "
            "tunjuk berkasnya dengan --config PATH (atau variabel SHEETS_SYNC_CONFIG)."
        )
    text = _read_text(path, "berkas konfigurasi")
    try:
        data = config_cache.parsed(text, _parse)
    except DuplicateKey as exc:
        raise ConfigError(
            f"{path} baris {exc.first} dan baris {exc.second}: kunci '{exc.key}' ditulis dua "
            "kali di tempat yang sama. Hapus salah satu (tidak ditebak mana yang berlaku), "
            "atau periksa indentasinya bila yang kedua seharusnya milik bagian lain."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}{where}: penulisan YAML salah: {yaml_problem(exc, text)}. Periksa titik dua, "
            "tanda kutip dan indentasi (pakai spasi, bukan tab)."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: isinya harus berupa pasangan kunci: nilai (mis. 'period: 2026-TW3').")

    in_yaml = _yaml_codes(path, text, data.get("indicators"))
    sections = data.get("sections")
    known = {str(x.get("id")) for x in sections if isinstance(x, dict)} if isinstance(
        sections, list) else set()
    _check_sections_named(path, text, data.get("indicators"), known)
    if data.get("indicators_file"):
        file = (path.parent / str(data["indicators_file"])).resolve()
        data = {**data, "indicators": [*(data.get("indicators") or []),
                                       *load_indicators(file, known or None, in_yaml)]}
    if data.get("history_file"):
        file = (path.parent / str(data["history_file"])).resolve()
        if not file.exists():
            raise ConfigError(f"{path}: history_file {file} tidak ada.")
        data = {**data, "history_file": str(file)}
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(path, text, exc)) from None


def config_warnings(path: Path, config: Config) -> list[str]:
    """What loads but is most likely a mistake: a section with no indicators (its worksheet
    would be an empty table, and it would count as expected in completeness)."""
    empty = [(n, s) for n, s in enumerate(config.sections) if not config.indicators_of(s.id)]
    out = [f"{path}: {w}" for w in empty_unit_warnings(config)]
    if not empty:
        return out
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    source = Path(path).name + (f" maupun {config.indicators_file}"
                                if config.indicators_file else "")
    for n, section in empty:
        line = _line_of(text, ["sections", n]) if text else None
        where = f" (baris {line})" if line else ""
        out.append(f"{path}{where}: bagian '{section.id}' tidak punya satu indikator pun di "
                   f"{source}; lembar kerjanya akan kosong. Tambahkan indikatornya, atau hapus "
                   "bagian itu dari 'sections'.")
    return out


def _check_sections_named(path: Path, text: str, items: Any, known: set[str]) -> None:
    """An indicator written in the YAML whose section is not in `sections`: refused naming its
    line, as the indicators file names its row (the model alone could name neither)."""
    if not known or not isinstance(items, list):
        return
    for n, item in enumerate(items):
        if not isinstance(item, dict) or item.get("section") in (None, ""):
            continue  # a missing section is the model's finding, with its field
        if str(item["section"]) not in known:
            line = _line_of(text, ["indicators", n, "section"])
            where = f" baris {line}" if line else f" indicators[{n}]"
            raise ConfigError(
                f"{path}{where}: indikator {item.get('code', '?')} menyebut bagian "
                f"'{item['section']}' yang tidak ada di 'sections' (yang ada: "
                f"{', '.join(sorted(known))}). Periksa ejaannya.")


def _yaml_codes(path: Path, text: str, items: Any) -> dict[str, Callable[[], str]]:
    """The indicator codes written in the YAML itself -> where ('sync.yaml baris N', found
    only when shown: composing the YAML is slow); a code
    written twice is refused here, naming both lines (the model would name neither)."""
    if not isinstance(items, list):
        return {}
    def here(n: int) -> str:  # composing the YAML is slow: only for codes that clash
        line = _line_of(text, ["indicators", n])
        return f"{path.name} baris {line}" if line else f"{path.name} indicators[{n}]"

    index: dict[str, int] = {}
    for n, item in enumerate(items):
        if not isinstance(item, dict) or item.get("code") in (None, ""):
            continue
        code = str(item["code"])
        if code in index:
            raise ConfigError(f"{path}: kode indikator '{code}' ditulis dua kali "
                              f"({here(index[code])} dan {here(n)}); setiap indikator butuh "
                              "kode sendiri.")
        index[code] = n
    return {code: functools.partial(here, n) for code, n in index.items()}


def _read_text(path: Path, what: str) -> str:
    """A text file as Windows tools save it: UTF-8 (with or without BOM), else ANSI (cp1252)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{what} {path} tidak dapat dibaca ({why(exc)}).") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _explain(path: Path, text: str, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} kesalahan"]
    for err in exc.errors()[:10]:
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        field = _dotted(loc)
        message = _message(err)
        line = _line_of(text, loc) or line_of_item(text, message)
        where = f" (baris {line})" if line else ""
        lines.append(f"  - {field or 'berkas'}{where}: {message}")
    if exc.error_count() > 10:
        lines.append(f"  ... dan {exc.error_count() - 10} lagi")
    return "\n".join(lines)


def _dotted(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Any, model: type[BaseModel] | None = None) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        meant = close_key(model or Config, [p for p in err["loc"] if not str(p).startswith("function-")])
        return ("kunci ini tidak dikenal: " + (f"maksudnya '{meant}'? " if meant else "")
                + "periksa ejaannya atau hapus (lihat README, Konfigurasi)")
    if kind == "missing":
        return "wajib diisi"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind.startswith(("float", "int")):
        return f"harus berupa angka (tertulis: {err.get('input')!r})"
    if kind == "enum" or kind == "literal_error":
        # pydantic joins the choices in English: "'a', 'b' or 'c'"
        expected = re.sub(r" or (?=[^,]*$)", " atau ",
                          str(err.get("ctx", {}).get("expected", "")))
        return f"nilai {err.get('input')!r} tidak dikenal; pilih salah satu: {expected}"
    if kind.startswith("time_") and not kind.startswith("time_delta"):
        return f"jam {str(err.get('input'))!r} tidak dikenali; tulis seperti 08:00"
    if kind.startswith(("date", "datetime")):
        return _date_message(err.get("input"), msg)
    return pydantic_problem(err)


def _date_message(value: Any, msg: str) -> str:
    text = str(value)
    if "outside expected range" in msg or "out of range" in msg:
        return (f"tanggal {text!r} tidak ada di kalender (periksa bulan 01-12 dan jumlah hari "
                "bulan itu); tulis seperti 2026-10-01")
    return (f"tanggal/waktu {text!r} tidak dikenali; tulis seperti 2026-10-01, "
            "2026-10-01T09:00 atau 2026-10-01T09:00 WIB")


def _line_of(text: str, loc: list[Any]) -> int | None:
    """The YAML line of a field, by walking the composed node tree along the error's path."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


# --------------------------------------------------------------------------- indicators file


def load_indicators(file: Path, sections: set[str] | None = None,
                    taken: dict[str, Callable[[], str]] | None = None) -> list[dict[str, Any]]:
    """Rows of a CSV or .xlsx indicators file as dicts for `Indicator`, Indonesian numbers
    parsed. Errors name the file, the row and the column (as the file's header writes it);
    with `sections`, an indicator of a section not in the config is one of them, and a code
    used twice (in the file, or already in `taken`: code -> where) too."""
    seen: dict[str, Callable[[], str]] = dict(taken or {})
    if not file.exists():
        raise ConfigError(f"berkas indikator {file} (indicators_file) tidak ada.")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _read_xlsx(file)
    elif file.suffix.lower() in (".csv", ".txt"):
        rows = _read_csv(file)
    else:
        raise ConfigError(f"berkas indikator {file}: pakai .csv atau .xlsx.")
    if not rows:
        raise ConfigError(f"berkas indikator {file} kosong.")
    header = [str(h or "").strip().casefold() for h in rows[0]]
    fields = [INDICATOR_COLUMNS.get(h) for h in header]
    unknown = [rows[0][i] for i, f in enumerate(fields) if f is None and header[i]]
    if unknown:
        raise ConfigError(
            f"berkas indikator {file}: kolom {', '.join(map(repr, unknown))} tidak dikenal. "
            "Kolom yang dikenal: kode, bagian, sasaran, indikator, satuan, target, target_min, "
            "target_max, polaritas, agregasi, pagu, target_tw1 ... target_tw4."
        )
    # errors name the column as the file's own header says it, not the internal field name
    shown = {f: str(rows[0][i]).strip() for i, f in enumerate(fields) if f is not None}
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in row):
            continue
        item: dict[str, Any] = {}
        for field, value in zip(fields, row, strict=False):
            if field is None or value in (None, ""):
                continue
            if field in _NUMERIC:
                parsed = parse_number(value)
                if not parsed.ok:
                    raise ConfigError(
                        f"berkas indikator {file}, baris {n}, kolom '{shown[field]}': "
                        f"{parsed.error}."
                    )
                value = parsed.value
            item[field] = value.strip() if isinstance(value, str) else value
        for key in ("code", "section"):
            if key in item:
                item[key] = str(item[key])
        try:
            Indicator.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [p for p in err["loc"] if isinstance(p, str)]
            where = f", kolom '{shown.get(loc[0], loc[0])}'" if loc else ""
            message = _message(err, Indicator)
            for key, header in shown.items():  # internal names inside the message, too
                if header.casefold() != key:
                    message = re.sub(rf"\b{key}\b", f"'{header}'", message)
            raise ConfigError(f"berkas indikator {file}, baris {n}{where}: {message}") from None
        if sections is not None and item.get("section") not in sections:
            raise ConfigError(
                f"berkas indikator {file}, baris {n}, kolom '{shown.get('section', 'bagian')}': "
                f"bagian '{item.get('section')}' tidak ada di 'sections' (yang ada: "
                f"{', '.join(sorted(sections))}).")
        code = str(item.get("code"))
        if code in seen:
            raise ConfigError(
                f"berkas indikator {file}, baris {n}, kolom '{shown.get('code', 'kode')}': kode "
                f"'{code}' sudah dipakai ({seen[code]()}); setiap indikator butuh kode sendiri.")
        seen[code] = functools.partial(str, f"{file.name} baris {n}")
        out.append(item)
    if not out:
        raise ConfigError(
            f"berkas indikator {file} tidak berisi satu indikator pun (hanya baris judul). "
            "Isi satu indikator per baris di bawah judul kolom.")
    return out


def _read_csv(file: Path) -> list[list[Any]]:
    text = _read_text(file, "berkas indikator")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error, IndexError):  # one column, or empty: plain commas
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    return [list(r) for r in csv.reader(text.splitlines(), dialect)]


def _read_xlsx(file: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        from sheets_sync.adapters.local.file_problems import unreadable

        why = unreadable(file, "pakai salinan yang baik")
        raise ConfigError(f"berkas indikator (indicators_file) {file}: {why}. Atau pakai .csv.") from None
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
