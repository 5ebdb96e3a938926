"""Cell values: parsing user input, rendering values, a tiny formula evaluator.

Formulas: a small evaluator computes arithmetic (+ - * / ^ %, unary minus, parentheses),
comparisons (= <> < > <= >=), & concatenation, numbers, strings, TRUE/FALSE, cell
references (also 'Other Sheet'!A1) and SUM AVERAGE MIN MAX COUNT COUNTA IF IFERROR ISERROR
ROUND ABS AND OR NOT LEN CONCATENATE ISBLANK ISNUMBER. Errors evaluate to #DIV/0!,
#VALUE! ... A formula the fake cannot evaluate (other functions) evaluates to empty:
FORMATTED_VALUE / UNFORMATTED_VALUE return "" (and no value) for it, FORMULA returns the
formula text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
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


# ---------------------------------------------------------------- formulas
class FormulaError(Exception):
    pass


_REF = r"(?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?"
_TOKEN = re.compile(
    r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)|(" + _REF + r")(?![A-Za-z0-9_(])"
    r"|([A-Za-z_][A-Za-z0-9_.]*)\s*\(|(\"(?:[^\"]|\"\")*\")|(TRUE|FALSE)\b|(<=|>=|<>|.))",
    re.IGNORECASE,
)

Lookup = Callable[[str | None, int, int], Any]


class _ErrorValue(str):
    """A formula error travelling as a value (so IFERROR can catch it)."""


def evaluate(formula: str, lookup: Lookup) -> Any:
    """Evaluate a simple formula; `lookup(sheet_title_or_None, row, col)` gives a referenced
    cell's value. Raises FormulaError("#DIV/0!"...) for errors, FormulaError("unsupported")
    for what the fake does not evaluate."""
    from .a1 import parse_cells, split_sheet

    text = formula[1:] if formula.startswith("=") else formula
    tokens: list[tuple[str, Any]] = []
    for m in _TOKEN.finditer(text):
        num, ref, func, string, boolean, other = m.groups()
        if num is not None:
            tokens.append(("num", float(num)))
        elif ref is not None:
            sheet, cells = split_sheet(ref.replace("$", ""))
            if cells is None:
                raise FormulaError("syntax")
            tokens.append(("ref", (sheet, parse_cells(cells))))
        elif func is not None:
            tokens.append(("func", func.upper()))
        elif string is not None:
            tokens.append(("str", string[1:-1].replace('""', '"')))
        elif boolean is not None:
            tokens.append(("bool", boolean.upper() == "TRUE"))
        elif other is not None and other.strip():
            tokens.append(("op", other))
    pos = 0

    def peek(offset: int = 0) -> tuple[str, Any] | None:
        return tokens[pos + offset] if pos + offset < len(tokens) else None

    def take() -> tuple[str, Any]:
        nonlocal pos
        if pos >= len(tokens):
            raise FormulaError("end")
        pos += 1
        return tokens[pos - 1]

    def cells_of(ref: tuple[Any, Any]) -> list[Any]:
        sheet, (r0, r1, c0, c1) = ref
        return [lookup(sheet, r, c) for r in range(r0, r1) for c in range(c0, c1)]

    def num(v: Any) -> float:
        if isinstance(v, _ErrorValue):
            raise FormulaError(str(v))
        if v is None or v == "":
            return 0.0
        if isinstance(v, bool):
            return 1.0 if v else 0.0
        if isinstance(v, int | float):
            return float(v)
        raise FormulaError("#VALUE!")

    def text_of(v: Any) -> str:
        if isinstance(v, _ErrorValue):
            raise FormulaError(str(v))
        if v is None:
            return ""
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float):
            return general_format(v)
        return str(v)

    def comparison() -> Any:
        left = concat()
        t = peek()
        if t and t[0] == "op" and t[1] in ("=", "<>", "<", ">", "<=", ">="):
            take()
            right = concat()
            a, b = left, right
            if isinstance(a, str) and isinstance(b, str):
                a, b = a.lower(), b.lower()
            elif isinstance(a, str) or isinstance(b, str):
                a, b = text_of(a).lower(), text_of(b).lower()
            else:
                a, b = num(a), num(b)
            return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[t[1]]
        return left

    def concat() -> Any:
        left = additive()
        while (t := peek()) and t == ("op", "&"):
            take()
            left = text_of(left) + text_of(additive())
        return left

    def additive() -> Any:
        left = term()
        while (t := peek()) and t[0] == "op" and t[1] in ("+", "-"):
            take()
            right = term()
            left = num(left) + num(right) if t[1] == "+" else num(left) - num(right)
        return left

    def term() -> Any:
        left = power()
        while (t := peek()) and t[0] == "op" and t[1] in ("*", "/"):
            take()
            right = power()
            if t[1] == "*":
                left = num(left) * num(right)
            else:
                if num(right) == 0:
                    raise FormulaError("#DIV/0!")
                left = num(left) / num(right)
        return left

    def power() -> Any:
        base = unary()
        if peek() == ("op", "^"):
            take()
            return num(base) ** num(power())
        return base

    def unary() -> Any:
        t = peek()
        if t and t[0] == "op" and t[1] in ("+", "-"):
            take()
            v = num(unary())
            return -v if t[1] == "-" else v
        v = atom()
        if peek() == ("op", "%"):
            take()
            return num(v) / 100
        return v

    def argument() -> Any:
        """One function argument: a list for a bare range, an _ErrorValue on error."""
        t = peek()
        nxt = peek(1)
        if t and t[0] == "ref" and (nxt is None or nxt[1] in (",", ")")):
            take()
            return cells_of(t[1])
        start = pos
        try:
            return comparison()
        except FormulaError as e:
            if not str(e).startswith("#"):
                raise
            skip_argument(start)
            return _ErrorValue(str(e))

    def skip_argument(start: int) -> None:
        nonlocal pos
        pos = start
        depth = 0
        while pos < len(tokens):
            kind, val = tokens[pos]
            if kind == "func" or (kind == "op" and val == "("):
                depth += 1
            elif kind == "op" and val == ")":
                if depth == 0:
                    return
                depth -= 1
            elif kind == "op" and val == "," and depth == 0:
                return
            pos += 1

    def call(name: str) -> Any:
        args: list[Any] = []
        if peek() == ("op", ")"):
            take()
        else:
            while True:
                args.append(argument())
                sep = take()
                if sep == ("op", ")"):
                    break
                if sep != ("op", ","):
                    raise FormulaError("args")
        flat: list[Any] = []
        for a in args:
            flat.extend(a if isinstance(a, list) else [a])

        def scalar(i: int) -> Any:
            if i >= len(args):
                raise FormulaError("#N/A")
            a = args[i]
            return a[0] if isinstance(a, list) and a else a

        nums = [float(a) for a in flat if isinstance(a, int | float) and not isinstance(a, bool)]
        for a in flat:
            if isinstance(a, _ErrorValue) and name not in ("IFERROR", "IF", "ISERROR"):
                raise FormulaError(str(a))
        if name == "SUM":
            return sum(nums)
        if name == "AVERAGE":
            if not nums:
                raise FormulaError("#DIV/0!")
            return sum(nums) / len(nums)
        if name in ("MIN", "MAX"):
            return (min if name == "MIN" else max)(nums) if nums else 0.0
        if name == "COUNT":
            return float(len(nums))
        if name == "COUNTA":
            return float(len([a for a in flat if a not in (None, "")]))
        if name == "IF":
            cond = scalar(0)
            if isinstance(cond, _ErrorValue):
                raise FormulaError(str(cond))
            chosen = scalar(1) if num(cond) else (scalar(2) if len(args) > 2 else False)
            if isinstance(chosen, _ErrorValue):
                raise FormulaError(str(chosen))
            return chosen
        if name == "IFERROR":
            first = scalar(0)
            return (scalar(1) if len(args) > 1 else "") if isinstance(first, _ErrorValue) else first
        if name == "ISERROR":
            return isinstance(scalar(0), _ErrorValue)
        if name == "ROUND":
            digits = int(num(scalar(1))) if len(args) > 1 else 0
            return float(round(num(scalar(0)), digits))
        if name == "ABS":
            return abs(num(scalar(0)))
        if name == "AND":
            return all(num(a) for a in flat)
        if name == "OR":
            return any(num(a) for a in flat)
        if name == "NOT":
            return not num(scalar(0))
        if name == "LEN":
            return float(len(text_of(scalar(0))))
        if name == "CONCATENATE":
            return "".join(text_of(a) for a in flat)
        if name == "ISBLANK":
            return scalar(0) in (None, "")
        if name == "ISNUMBER":
            v = scalar(0)
            return isinstance(v, int | float) and not isinstance(v, bool)
        raise FormulaError("unsupported")

    def atom() -> Any:
        kind, val = take()
        if kind in ("num", "str", "bool"):
            return val
        if kind == "ref":
            sheet, (r0, _r1, c0, _c1) = val
            return lookup(sheet, r0, c0)
        if kind == "op" and val == "(":
            v = comparison()
            if take() != ("op", ")"):
                raise FormulaError("paren")
            return v
        if kind == "func":
            return call(val)
        raise FormulaError("syntax")

    result = comparison()
    if pos != len(tokens):
        raise FormulaError("trailing")
    if isinstance(result, _ErrorValue):
        raise FormulaError(str(result))
    return result
