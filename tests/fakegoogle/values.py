"""Cell values: parsing user input, rendering values, a tiny formula evaluator.

Formulas: a small evaluator computes arithmetic (+ - * / ^ %, unary minus, parentheses),
comparisons (= <> < > <= >=), & concatenation, numbers, strings, TRUE/FALSE, cell
references (also 'Other Sheet'!A1) and SUM AVERAGE MIN MAX COUNT COUNTA IF IFERROR ISERROR
ROUND ABS AND OR NOT LEN CONCATENATE ISBLANK ISNUMBER. Errors evaluate to #DIV/0!,
#VALUE! ... A formula the fake cannot evaluate (other functions) evaluates to empty:
FORMATTED_VALUE / UNFORMATTED_VALUE return "" (and no value) for it, FORMULA returns the
formula text. The evaluator is in formulas.py (re-exported here).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

EPOCH = date(1899, 12, 30)


# decimal, thousands separators by locale (the fake knows the two the project meets)
def separators(locale: str) -> tuple[str, str]:
    lang = (locale or "en_US").split("_")[0].lower()
    if lang in ("id", "de", "nl", "es", "it", "pt", "tr", "da"):
        return ",", "."
    if lang in ("fr", "ru", "pl", "cs", "sv", "fi", "nb"):
        return ",", "\u00a0"
    return ".", ","


def number_json(x: float | int) -> float | int:
    """Google prints integral doubles without a fraction (2, not 2.0)."""
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def general_format(x: float, locale: str = "en_US") -> str:
    dec, _ = separators(locale)
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return "#NUM!"
    if float(x).is_integer() and abs(x) < 1e15:
        text = str(int(x))
    elif abs(x) >= 1e15:
        text = f"{x:.5E}".replace("E+", "E+")
        mant, exp = text.split("E")
        mant = mant.rstrip("0").rstrip(".")
        text = f"{mant}E{exp[0]}{int(exp[1:])}"
    else:
        text = f"{x:.10f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            text = f"{x:.15g}"
    return text.replace(".", dec) if dec != "." else text


def _group(int_part: str, sep: str) -> str:
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    out.insert(0, int_part)
    return sep.join(out)


def format_number(x: float, fmt: dict[str, Any] | None, locale: str) -> str:
    """Render a number with a NumberFormat ({type, pattern}) the way Sheets would."""
    dec, thou = separators(locale)
    if not fmt:
        return general_format(x, locale)
    ftype = fmt.get("type", "NUMBER")
    pattern = fmt.get("pattern", "")
    if ftype in ("DATE", "DATE_TIME", "TIME") or (
        pattern and re.search(r"[yd]|mm?m|hh?", pattern) and "#" not in pattern
    ):
        return format_date(x, pattern or _default_date_pattern(ftype))
    if ftype == "TEXT":
        return general_format(x, locale)
    if ftype == "SCIENTIFIC" or "E+" in pattern:
        body = (pattern or "0.00E+00").split("E")[0]
        decimals = len(body.split(".")[1]) if "." in body else 0
        mant, _, exp = f"{x:.{decimals}E}".partition("E")
        return f"{mant}E{exp[0]}{int(exp[1:]):02d}".replace(".", dec)
    if not pattern:
        if ftype == "PERCENT":
            pattern = "0.00%"
        elif ftype == "CURRENCY":
            pattern = '"$"#,##0.00'
        elif ftype == "SCIENTIFIC":
            pattern = "0.00E+00"
        else:
            return general_format(x, locale)
    pattern = pattern.split(";")[0]
    prefix = ""
    suffix = ""
    m = re.match(r'^((?:"[^"]*"|[^#0.,%])*)([#0.,]+)(%?)((?:"[^"]*"|.)*)$', pattern)
    if not m:
        return general_format(x, locale)
    prefix = m.group(1).replace('"', "")
    body = m.group(2)
    pct = m.group(3)
    suffix = m.group(4).replace('"', "")
    value = x * 100 if pct else x
    decimals = len(body.split(".")[1]) if "." in body else 0
    grouping = "," in body.split(".")[0]
    neg = value < 0
    text = f"{abs(value):.{decimals}f}"
    int_part, _, frac = text.partition(".")
    if grouping:
        int_part = _group(int_part, thou)
    out = int_part + (dec + frac if decimals else "")
    return ("-" if neg else "") + prefix + out + pct + suffix


def _default_date_pattern(ftype: str) -> str:
    return {"DATE": "M/d/yyyy", "TIME": "h:mm:ss am/pm", "DATE_TIME": "M/d/yyyy H:mm:ss"}.get(
        ftype, "M/d/yyyy"
    )


def serial_to_datetime(x: float) -> datetime:
    return datetime(1899, 12, 30) + timedelta(days=x)


def format_date(x: float, pattern: str) -> str:
    dt = serial_to_datetime(x)
    tokens = re.findall(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|MM|M|HH|H|.", pattern)
    out = []
    has_hour = any(t.lower().startswith("h") for t in tokens)
    for i, t in enumerate(tokens):
        low = t.lower()
        if low == "yyyy":
            out.append(f"{dt.year:04d}")
        elif low == "yy":
            out.append(f"{dt.year % 100:02d}")
        elif low in ("mmmm", "mmm"):
            out.append(dt.strftime("%B" if low == "mmmm" else "%b"))
        elif low in ("mm", "m"):
            # minutes when after an hour token, else month
            prev = next((p for p in reversed(tokens[:i]) if p.isalpha()), "")
            minute = has_hour and prev.lower().startswith("h")
            v = dt.minute if minute else dt.month
            out.append(f"{v:02d}" if low == "mm" else str(v))
        elif low in ("dddd", "ddd"):
            out.append(dt.strftime("%A" if low == "dddd" else "%a"))
        elif low in ("dd", "d"):
            out.append(f"{dt.day:02d}" if low == "dd" else str(dt.day))
        elif low in ("hh", "h"):
            h = dt.hour
            if "am/pm" in pattern.lower():
                h = h % 12 or 12
            out.append(f"{h:02d}" if low == "hh" else str(h))
        elif low in ("ss", "s"):
            out.append(f"{dt.second:02d}" if low == "ss" else str(dt.second))
        elif low == "am/pm":
            out.append("AM" if dt.hour < 12 else "PM")
        else:
            out.append(t)
    return "".join(out)


_NUM_EN = re.compile(r"^([+-]?)(\$?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d*)?(?:[eE]([+-]?\d+))?(%?)$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DATE_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date_serial(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> float | None:
    try:
        dt = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    delta = dt - datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


def parse_user_entered(text: str, locale: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """USER_ENTERED input -> (ExtendedValue, implied NumberFormat or None)."""
    if text.startswith("="):
        return {"formulaValue": text}, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    s = text.strip()
    if s.upper() in ("TRUE", "FALSE"):
        return {"boolValue": s.upper() == "TRUE"}, None
    dec, thou = separators(locale)
    candidate = s
    # normalise the locale's number form to the en form before matching
    if dec != ".":
        if re.fullmatch(r"[+-]?(?:Rp\s?)?[\d" + re.escape(thou) + r"]*(?:,\d*)?%?", s):
            candidate = s.replace(thou, "\x00").replace(dec, ".").replace("\x00", ",")
            candidate = re.sub(r"Rp\s?", "$", candidate)
        elif not re.fullmatch(r"[+-]?\d+(?:[eE][+-]?\d+)?", s):
            candidate = ""  # e.g. "1,234.5" is not a number in this locale
    m = _NUM_EN.match(candidate)
    if m and (m.group(3) or (m.group(4) and len(m.group(4)) > 1)):
        sign, cur, int_part, frac, exp, pct = m.groups()
        num_text = int_part.replace(",", "") + (frac or "")
        if exp:
            num_text += "e" + exp
        try:
            value = float(num_text or "0")
        except ValueError:
            return {"stringValue": text}, None
        if sign == "-":
            value = -value
        fmt = None
        decimals = len(frac) - 1 if frac else 0
        zeros = "0" * decimals
        if pct:
            value /= 100
            fmt = {"type": "PERCENT", "pattern": f"0{'.' + zeros if decimals else ''}%"}
        elif cur:
            symbol = "Rp" if s.lstrip("+-").startswith("Rp") else "$"
            frac_pattern = "." + zeros if decimals else ""
            fmt = {"type": "CURRENCY", "pattern": f'"{symbol}"#,##0{frac_pattern}'}
        elif "," in int_part:
            fmt = {"type": "NUMBER", "pattern": f"#,##0{'.' + zeros if decimals else ''}"}
        elif exp:
            fmt = {"type": "SCIENTIFIC", "pattern": "0.00E+00"}
        return {"numberValue": number_json(value)}, fmt
    m = _DATE_ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if m.group(4):
            serial = _date_serial(y, mo, d, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
            fmt = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd h:mm:ss"}
        else:
            serial = _date_serial(y, mo, d)
            fmt = {"type": "DATE", "pattern": "yyyy-mm-dd"}
        if serial is not None:
            return {"numberValue": number_json(serial)}, fmt
    m = _DATE_SLASH.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        mo, d = (a, b) if dec == "." else (b, a)
        serial = _date_serial(y, mo, d)
        if serial is not None:
            pattern = "M/d/yyyy" if dec == "." else "d/M/yyyy"
            return {"numberValue": number_json(serial)}, {"type": "DATE", "pattern": pattern}
    return {"stringValue": text}, None


def raw_value(v: Any) -> dict[str, Any] | None:
    """RAW input -> ExtendedValue; None means 'clear the value'."""
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int | float):
        return {"numberValue": number_json(v)}
    s = str(v)
    if s == "":
        return None
    return {"stringValue": s}


# the evaluator (formulas.py) is reached as values.evaluate / values.FormulaError; imported
# last because it uses general_format above
from .formulas import FormulaError, Lookup, evaluate  # noqa: E402

__all__ = [
    "EPOCH",
    "FormulaError",
    "Lookup",
    "evaluate",
    "format_number",
    "general_format",
    "number_json",
    "parse_user_entered",
    "raw_value",
    "separators",
]
