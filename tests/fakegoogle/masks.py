"""Partial-response field masks (`fields=`), shared by Sheets and Drive.

Grammar: items separated by commas; an item is a path of names joined by '.' or '/',
optionally followed by a parenthesised sub-mask; '*' selects everything.
"""

from __future__ import annotations

from typing import Any

Mask = dict[str, "Mask | None"]  # None = take the whole value


def parse_mask(text: str) -> Mask:
    pos = 0

    def parse_list(end: str | None) -> Mask:
        nonlocal pos
        out: Mask = {}
        while pos < len(text):
            if end and text[pos] == end:
                pos += 1
                return out
            if text[pos] in ", ":
                pos += 1
                continue
            start = pos
            while pos < len(text) and text[pos] not in ",()":
                pos += 1
            path = [p for p in text[start:pos].strip().replace("/", ".").split(".") if p]
            sub: Mask | None = None
            if pos < len(text) and text[pos] == "(":
                pos += 1
                sub = parse_list(")")
            _insert(out, path, sub)
        return out

    return parse_list(None)


def _insert(mask: Mask, path: list[str], sub: Mask | None) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if not rest:
        existing = mask.get(head, "missing")
        if existing == "missing":
            mask[head] = sub
        elif existing is not None and sub is not None:
            for k, v in sub.items():
                _insert(existing, [k], v)  # type: ignore[arg-type]
        else:
            mask[head] = None
        return
    child = mask.get(head, "missing")
    if child is None:
        return  # already taking the whole value
    if child == "missing":
        child = {}
        mask[head] = child
    _insert(child, rest, sub)  # type: ignore[arg-type]


def apply_mask(value: Any, mask: Mask | None) -> Any:
    if mask is None or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, sub in mask.items():
        if k in value:
            v = apply_mask(value[k], sub)
            out[k] = v
    return out


def mask_wants(mask: Mask | None, *path: str) -> bool:
    """Does the mask select anything at or below `path`?"""
    cur: Mask | None = mask
    for p in path:
        if cur is None or "*" in cur:
            return True
        if p not in cur:
            return False
        cur = cur[p]
    return True
