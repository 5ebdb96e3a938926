"""Reading numbers the way Indonesian offices type them.

`1.234,5` (thousands dot, decimal comma), `87,5%`, `Rp 1.500.000`, `1.500.000,00`. Text that
could mean two different numbers (`1.500` is 1500 in Indonesian but 1.5 in English) is not
guessed: the caller gets `ambiguous=True` and reports it to the section.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

_CURRENCY = re.compile(r"^\s*(?:rp\.?|idr)\s*", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Groups of three after the first: 1.234.567 / 1.234.567,89
_ID_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_ID_DECIMAL = re.compile(r"^\d+,\d+$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


class PercentValue(float):
    """A number read from a cell formatted as a percentage, given as the percentage it shows.

    Excel, LibreOffice and Google Sheets store `87,5%` as 0.875 with a percent number format;
    the adapters read such a cell as `PercentValue(87.5)`, so every figure uses what the section
    saw. It is still a float; `fraction` is what the cell holds (never write the percentage
    back into a cell: the service writes no cell a section types)."""

    __slots__ = ()

    @classmethod
    def from_fraction(cls, fraction: float) -> PercentValue:
        # shift the decimal point of the shortest repr: 0.1 -> 10, not 10.000000000000002
        return cls(float(Decimal(repr(float(fraction))).scaleb(2)))

    @property
    def fraction(self) -> float:
        return float(Decimal(repr(float(self))).scaleb(-2))

    def __repr__(self) -> str:
        return f"PercentValue({float(self)!r})"

    def __str__(self) -> str:
        return repr(float(self))

    def __reduce__(self) -> tuple[type[PercentValue], tuple[float]]:
        return (PercentValue, (float(self),))


class CurrencyValue(float):
    """A number read from a cell formatted as money (`Rp 1.500.000` typed in Excel or Sheets
    becomes 1500000 with a currency format). The value is unchanged; the mark lets the
    plausibility rule see a rupiah amount typed for, say, a number of documents."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CurrencyValue({float(self)!r})"

    def __str__(self) -> str:
        return repr(float(self))

    def __reduce__(self) -> tuple[type[CurrencyValue], tuple[float]]:
        return (CurrencyValue, (float(self),))


# Excel and Sheets keep 15 significant digits: a value of 10^15 or more is no figure anyone
# measured (a stray 1e308), and printing it would fill a page. It is refused, not shown.
LIMIT = 1e15
TOO_LARGE = ("lebih besar dari 15 digit (1.000.000.000.000.000): bukan angka kinerja yang "
             "sebenarnya")


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None
    percent: bool = False  # the text carried a % sign (or the cell a percent format)
    currency: bool = False  # the text carried Rp / IDR or `,-` (or the cell a money format)
    ambiguous: bool = False  # could be read two ways; value is None then
    error: str = ""  # why it is not a number (Indonesian), empty when it is one
    too_large: bool = False  # beyond LIMIT: refused

    @property
    def ok(self) -> bool:
        return self.value is not None


def parse_number(raw: object, *, percent_unit: bool = False) -> ParsedNumber:
    """Parse a cell value into a number.

    Numbers pass through. Text is read the Indonesian way. `percent_unit` says the indicator's
    unit is a percentage, which makes `1.500` ambiguous (1.5 % or 1500 %?) instead of 1500.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ParsedNumber(None, error="kosong")
    if isinstance(raw, bool):
        return ParsedNumber(None, error="bukan angka")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return ParsedNumber(None, error="bukan angka yang sah")
        if abs(raw) >= LIMIT:
            return ParsedNumber(None, error=TOO_LARGE, too_large=True)
        return ParsedNumber(float(raw), percent=isinstance(raw, PercentValue),
                            currency=isinstance(raw, CurrencyValue))
    if not isinstance(raw, str):
        return ParsedNumber(None, error="bukan angka")

    # "Rp 1.500.000,-" (the dash closes an amount) and a typographic minus sign
    text = _SPACES.sub("", _CURRENCY.sub("", raw.strip())).replace("\u2212", "-")
    currency = bool(_CURRENCY.match(raw)) or text.endswith((",-", ".-"))
    text = text.removesuffix(",-").removesuffix(".-")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    if not text:
        return ParsedNumber(None, error="bukan angka")

    def done(v: float) -> ParsedNumber:
        if v >= LIMIT:
            return ParsedNumber(None, percent=percent, error=TOO_LARGE, too_large=True)
        return ParsedNumber(-v if negative else v, percent=percent, currency=currency)

    if text.isdigit():
        return done(float(text))
    if _ID_DECIMAL.match(text):  # 87,5
        return done(float(text.replace(",", ".")))
    if _ID_THOUSANDS.match(text):  # 1.234 or 1.234.567,5
        single_group = text.count(".") == 1 and "," not in text
        if single_group and (percent or percent_unit):
            return ParsedNumber(
                None, percent=percent, ambiguous=True,
                error=f"'{raw}' bisa dibaca dua cara (misalnya 1,5 atau 1.500): tulis dengan koma "
                      "untuk desimal, contoh 1,5",
            )
        return done(float(text.replace(".", "").replace(",", ".")))
    if _PLAIN.match(text):  # 12.75: a dot but not a thousands group -> English decimal
        return ParsedNumber(
            None, percent=percent, ambiguous=True,
            error=f"'{raw}' memakai titik sebagai desimal: tulis {text.replace('.', ',')} "
                  "(koma untuk desimal)",
        )
    if _EN_THOUSANDS.match(text):  # 1,234,567.5 (English)
        return ParsedNumber(
            None, percent=percent, ambiguous=True,
            error=f"'{raw}' ditulis dengan format Inggris: tulis dengan titik untuk ribuan dan "
                  "koma untuk desimal, contoh 1.234,5",
        )
    return ParsedNumber(None, error=f"'{_clip(raw)}' bukan angka")


_PERCENT_UNITS = {"%", "persen", "persentase", "prosentase", "percent"}


def is_percent_unit(unit: str) -> bool:
    """An indicator measured in percent: there `1.500` could be 1,5 % or 1500 %."""
    u = " ".join(str(unit).split()).casefold()
    return u in _PERCENT_UNITS or "%" in u


_CURRENCY_UNIT = re.compile(r"\b(?:rp|rupiah|idr)\b", re.IGNORECASE)


def is_currency_unit(unit: str) -> bool:
    return bool(_CURRENCY_UNIT.search(str(unit)))


def unit_mismatch(unit: str, *, percent: bool, currency: bool) -> str:
    """Why the typed value is in another unit than the indicator's; empty when it is not.
    `percent` / `currency`: the value was typed (or formatted) as a percentage / as money."""
    if currency and not is_currency_unit(unit):
        return f"ditulis sebagai jumlah rupiah, padahal satuannya {unit}"
    if percent and not is_percent_unit(unit):
        return f"ditulis sebagai persen, padahal satuannya {unit}"
    return ""


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_number(value: float | None, decimals: int = 2) -> str:
    """Indonesian display: 1234.5 -> '1.234,5'. Trailing zeros dropped."""
    if value is None:
        return ""
    if not math.isfinite(value) or abs(value) >= LIMIT:  # never 309 digits in a message
        return f"{value:.6g}".replace(".", ",")
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
