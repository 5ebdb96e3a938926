"""The formula evaluator of cell values (reached as values.evaluate).

Formulas: a small evaluator computes arithmetic (+ - * / ^ %, unary minus, parentheses),
comparisons (= <> < > <= >=), & concatenation, numbers, strings, TRUE/FALSE, cell
references (also 'Other Sheet'!A1) and SUM AVERAGE MIN MAX COUNT COUNTA IF IFERROR ISERROR
ROUND ABS AND OR NOT LEN CONCATENATE ISBLANK ISNUMBER. Errors evaluate to #DIV/0!,
#VALUE! ... A formula the fake cannot evaluate (other functions) evaluates to empty:
FORMATTED_VALUE / UNFORMATTED_VALUE return "" (and no value) for it, FORMULA returns the
formula text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .values import general_format


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
