"""A parser and evaluator for Drive v3's files.list `q` language.

Supported: `name = 'x'`, `name != 'x'`, `name contains 'x'` (prefix match on words, as
Drive does), `fullText contains 'x'`, `mimeType = 'x'`, `'id' in parents` (and the
reversed `parents in 'id'` that gspread writes), `'me'|'email' in owners|writers|readers`,
`trashed = true|false`, `starred = ...`, `visibility = 'limited'|...`, `viewedByMeTime` and
`shortcutDetails.targetId` (never true: no views, no shortcuts), `modifiedTime` and `createdTime` with
= != < <= > >=, `appProperties has { key='k' and value='v' }` and `properties has {...}`,
combined with and / or / not and parentheses. Strings take 'single' or "double" quotes
with backslash escapes (\\' \\" \\\\).
A malformed query raises QueryError (the handler answers 400 Invalid Value, like Drive).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .core import DriveFile, parse_rfc3339


class QueryError(ValueError):
    pass


@dataclass
class Tok:
    kind: str  # str, word, op, punct
    value: str


_OPS = ("<=", ">=", "!=", "=", "<", ">")


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "'\"":
            quote = ch
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise QueryError("unterminated string")
                c = text[i]
                if c == "\\" and i + 1 < n:
                    buf.append(text[i + 1])
                    i += 2
                    continue
                if c == quote:
                    i += 1
                    break
                buf.append(c)
                i += 1
            toks.append(Tok("str", "".join(buf)))
            continue
        if ch in "(){}":
            toks.append(Tok("punct", ch))
            i += 1
            continue
        for op in _OPS:
            if text.startswith(op, i):
                toks.append(Tok("op", op))
                i += len(op)
                break
        else:
            m = re.match(r"[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?", text[i:])
            if not m:
                raise QueryError(f"unexpected {ch!r}")
            toks.append(Tok("word", m.group(0)))
            i += len(m.group(0))
    return toks


Pred = Callable[[DriveFile, "Ctx"], bool]


@dataclass
class Ctx:
    user: str
    root_id: str
    role_of: Callable[[str, DriveFile], str | None]


def parse(text: str) -> Pred:
    toks = tokenize(text)
    pos = 0

    def peek() -> Tok | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> Tok:
        nonlocal pos
        if pos >= len(toks):
            raise QueryError("unexpected end")
        pos += 1
        return toks[pos - 1]

    def word(w: str) -> bool:
        t = peek()
        return t is not None and t.kind == "word" and t.value.lower() == w

    def expect(kind: str, value: str | None = None) -> Tok:
        t = take()
        if t.kind != kind or (value is not None and t.value.lower() != value):
            raise QueryError(f"expected {value or kind}, got {t.value!r}")
        return t

    def p_or() -> Pred:
        left = p_and()
        while word("or"):
            take()
            right = p_and()
            left = (lambda a, b: lambda f, c: a(f, c) or b(f, c))(left, right)
        return left

    def p_and() -> Pred:
        left = p_not()
        while word("and"):
            take()
            right = p_not()
            left = (lambda a, b: lambda f, c: a(f, c) and b(f, c))(left, right)
        return left

    def p_not() -> Pred:
        if word("not"):
            take()
            inner = p_not()
            return lambda f, c: not inner(f, c)
        return p_primary()

    def p_primary() -> Pred:
        t = peek()
        if t is not None and t.kind == "punct" and t.value == "(":
            take()
            inner = p_or()
            expect("punct", ")")
            return inner
        return p_term()

    def value() -> Any:
        t = take()
        if t.kind == "str":
            return t.value
        if t.kind == "word":
            low = t.value.lower()
            if low in ("true", "false"):
                return low == "true"
            if re.fullmatch(r"-?\d+(?:\.\d+)?", t.value):
                return float(t.value)
        raise QueryError(f"bad value {t.value!r}")

    def p_term() -> Pred:
        t = take()
        if t.kind == "str":
            # 'x' in parents / owners / writers / readers
            expect("word", "in")
            fld = take().value
            return _membership(t.value, fld)
        if t.kind != "word":
            raise QueryError(f"unexpected {t.value!r}")
        fld = t.value
        nxt = take()
        if nxt.kind == "word" and nxt.value.lower() == "in":
            # the reversed form `parents in 'id'` (gspread writes it) means the same
            return _membership(expect("str").value, fld)
        if nxt.kind == "word" and nxt.value.lower() == "has":
            expect("punct", "{")
            expect("word", "key")
            expect("op", "=")
            key = expect("str").value
            expect("word", "and")
            expect("word", "value")
            expect("op", "=")
            val = expect("str").value
            expect("punct", "}")
            return _has(fld, key, val)
        if nxt.kind == "word" and nxt.value.lower() == "contains":
            return _contains(fld, value())
        if nxt.kind != "op":
            raise QueryError(f"expected operator after {fld}")
        return _compare(fld, nxt.value, value())

    pred = p_or()
    if pos != len(toks):
        raise QueryError(f"unexpected {toks[pos].value!r}")
    return pred


def _membership(val: str, fld: str) -> Pred:
    if fld == "parents":
        return lambda f, c: (c.root_id if val == "root" else val) in f.parents
    if fld in ("owners", "writers", "readers"):
        need = {
            "owners": ("owner",),
            "writers": ("owner", "organizer", "fileOrganizer", "writer"),
            "readers": ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"),
        }[fld]

        def pred(f: DriveFile, c: Ctx) -> bool:
            who = c.user if val == "me" else val
            if fld == "owners":
                return f.owner == who
            return any(p.email_address == who and p.role in need for p in f.permissions) or f.owner == who

        return pred
    raise QueryError(f"field {fld} does not support 'in'")


def _has(fld: str, key: str, val: str) -> Pred:
    if fld == "appProperties":
        return lambda f, c: f.app_properties.get(key) == val
    if fld == "properties":
        return lambda f, c: f.properties.get(key) == val
    raise QueryError(f"field {fld} does not support has")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", name.lower()) if w]


def _contains(fld: str, val: Any) -> Pred:
    if not isinstance(val, str):
        raise QueryError("contains needs a string")
    low = val.lower()
    if fld == "name":
        # Drive matches name terms by prefix: 'Hello' finds "HelloWorld", 'World' does not.
        def pred(f: DriveFile, c: Ctx) -> bool:
            name = f.name.lower()
            if name.startswith(low):
                return True
            if " " in low.strip():
                return low in name
            return any(w.startswith(low) for w in _words(f.name))

        return pred
    if fld == "fullText":
        return lambda f, c: low in f.name.lower() or low in (f.description or "").lower()
    if fld == "mimeType":
        return lambda f, c: low in f.mime_type.lower()
    raise QueryError(f"field {fld} does not support contains")


def _cmp(a: Any, op: str, b: Any) -> bool:
    if op == "=":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    if a is None or b is None:
        return False
    return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def _compare(fld: str, op: str, val: Any) -> Pred:
    if fld in ("name", "mimeType", "description"):
        if not isinstance(val, str) or op not in ("=", "!="):
            raise QueryError(f"bad comparison on {fld}")
        attr = {"name": "name", "mimeType": "mime_type", "description": "description"}[fld]
        return lambda f, c: _cmp(getattr(f, attr), op, val)
    if fld in ("trashed", "starred"):
        if not isinstance(val, bool) or op not in ("=", "!="):
            raise QueryError(f"bad comparison on {fld}")
        return lambda f, c: _cmp(getattr(f, fld), op, val)
    if fld in ("modifiedTime", "createdTime"):
        if not isinstance(val, str):
            raise QueryError("time needs a string")
        try:
            ts = parse_rfc3339(val)
        except ValueError:
            raise QueryError(f"bad time {val!r}") from None
        attr = "modified_time" if fld == "modifiedTime" else "created_time"
        return lambda f, c: _cmp(round(getattr(f, attr), 3), op, round(ts, 3))
    if fld == "sharedWithMe":
        return lambda f, c: _cmp(f.owner != c.user and c.role_of(c.user, f) is not None, op, val)
    if fld == "driveId":
        return lambda f, c: _cmp(f.drive_id, op, val)
    # more query terms of https://developers.google.com/drive/api/guides/ref-search-terms
    if fld == "visibility":
        if val not in _VISIBILITY or op not in ("=", "!="):
            raise QueryError(f"bad comparison on {fld}")
        return lambda f, c: _cmp(_visibility(f), op, val)
    if fld == "viewedByMeTime":  # the fake keeps no view times: never viewed
        if not isinstance(val, str):
            raise QueryError("time needs a string")
        return lambda f, c: _cmp(None, op, val)
    if fld == "shortcutDetails.targetId":  # the fake makes no shortcuts
        if not isinstance(val, str) or op not in ("=", "!="):
            raise QueryError(f"bad comparison on {fld}")
        return lambda f, c: _cmp(None, op, val)
    raise QueryError(f"unknown field {fld}")


_VISIBILITY = ("anyoneCanFind", "anyoneWithLink", "domainCanFind", "domainWithLink", "limited")


def _visibility(f: DriveFile) -> str:
    """The widest sharing of a file, as Drive's `visibility` term names it."""
    kinds = {(p.type, bool(p.allow_file_discovery)) for p in f.permissions}
    for name, kind in (("anyoneCanFind", ("anyone", True)), ("anyoneWithLink", ("anyone", False)),
                       ("domainCanFind", ("domain", True)), ("domainWithLink", ("domain", False))):
        if kind in kinds:
            return name
    return "limited"
