"""Strict request checking against Google's own discovery documents.

The documents ship inside google-api-python-client; we read them, never the network.
Sheets bodies are checked strictly (unknown names and wrong types answer 400, messages in
Google's ESF wording with snake_case field paths); Drive bodies are checked leniently (known
fields type-checked, unknown ones ignored, as Drive v3 does).

`check_body` returns a cleaned copy: JSON nulls for optional fields dropped (Google treats
them as unset; gspread sends them), numeric strings for integers turned into ints.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from .errors import GoogleError, field_violation
from .oneofs import oneofs_of

_SNAKE_RE = re.compile(r"(?<!^)(?=[A-Z])")
_INT_RE = re.compile(r"^-?\d+$")
_FLOAT_RE = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

# Oneof groups whose members are plain properties in the discovery document.
_ONEOFS: dict[str, str] = {"Request": "kind", "ExtendedValue": "value"}


def snake(name: str) -> str:
    return _SNAKE_RE.sub("_", name).lower()


@cache
def discovery(api: str) -> dict[str, Any]:
    """Load 'sheets.v4' or 'drive.v3' from googleapiclient's discovery cache."""
    pkg = resources.files("googleapiclient") / "discovery_cache" / "documents"
    return json.loads((pkg / f"{api}.json").read_text(encoding="utf-8"))


@cache
def methods(api: str) -> dict[str, dict[str, Any]]:
    """Method id (e.g. 'sheets.spreadsheets.values.update') -> discovery method."""
    out: dict[str, dict[str, Any]] = {}

    def walk(res: dict[str, Any]) -> None:
        for m in res.get("methods", {}).values():
            out[m["id"]] = m
        for sub in res.get("resources", {}).values():
            walk(sub)

    walk(discovery(api))
    return out


def _render(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)
    if len(text) > 80:
        text = text[:80]
    return text


class _Checker:
    def __init__(self, api: str, strict: bool) -> None:
        self.schemas: dict[str, Any] = discovery(api)["schemas"]
        self.strict = strict
        self.sheets = api.startswith("sheets")
        self.pkg = "google.apps.sheets.v4" if self.sheets else "google.apps.drive.v3"

    def type_name(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return f"type.googleapis.com/{self.pkg}.{schema['$ref']}"
        t = schema.get("type")
        fmt = schema.get("format")
        if "enum" in schema:
            return "TYPE_ENUM"
        return {
            ("integer", "int32"): "TYPE_INT32",
            ("integer", "uint32"): "TYPE_UINT32",
            ("string", "int64"): "TYPE_INT64",
            ("string", "uint64"): "TYPE_UINT64",
            ("number", "double"): "TYPE_DOUBLE",
            ("number", "float"): "TYPE_FLOAT",
            ("boolean", None): "TYPE_BOOL",
        }.get((t, fmt), "TYPE_STRING")

    def invalid(self, path: str, schema: dict[str, Any], value: Any) -> GoogleError:
        msg = f"Invalid value at '{path}' ({self.type_name(schema)}), {_render(value)}"
        return field_violation(path, msg)

    def check(self, value: Any, schema: dict[str, Any], path: str) -> Any:
        if "$ref" in schema:
            ref = schema["$ref"]
            target = self.schemas[ref]
            if not isinstance(value, dict):
                raise self.invalid(path, schema, value)
            return self.check_object(value, target, path, ref)
        t = schema.get("type")
        if t == "any" or t is None:
            return value
        if t == "object":
            if not isinstance(value, dict):
                raise self.invalid(path, schema, value)
            if "properties" in schema:
                return self.check_object(value, schema, path, None)
            add = schema.get("additionalProperties")
            if add is None:
                return value
            return {k: self.check(v, add, f"{path}[{k}]") for k, v in value.items() if v is not None}
        if t == "array":
            items = schema.get("items", {})
            if not isinstance(value, list):
                # Protobuf JSON parsing takes a scalar for a repeated field as one element.
                if items.get("type") == "array":
                    msg = (
                        f"Invalid value at '{path}' "
                        f"(type.googleapis.com/google.protobuf.ListValue), {_render(value)}"
                    )
                    raise field_violation(path, msg)
                return [self.check(value, items, path)]
            if items.get("type") == "array":
                out = []
                for i, row in enumerate(value):
                    if not isinstance(row, list):
                        msg = (
                            f"Invalid value at '{path}[{i}]' "
                            f"(type.googleapis.com/google.protobuf.ListValue), {_render(row)}"
                        )
                        raise field_violation(f"{path}[{i}]", msg)
                    out.append(self.check(row, items, f"{path}[{i}]"))
                return out
            if items.get("type") == "any":
                return list(value)
            return [self.check(v, items, f"{path}[{i}]") for i, v in enumerate(value) if v is not None]
        return self.check_scalar(value, schema, path)

    def check_scalar(self, value: Any, schema: dict[str, Any], path: str) -> Any:
        t = schema.get("type")
        fmt = schema.get("format")
        if t == "integer":
            if isinstance(value, bool):
                raise self.invalid(path, schema, value)
            if isinstance(value, int):
                n = value
            elif isinstance(value, float) and value.is_integer():
                n = int(value)
            elif isinstance(value, str) and _INT_RE.match(value.strip()):
                n = int(value.strip())
            else:
                raise self.invalid(path, schema, value)
            lo, hi = (0, 2**32 - 1) if fmt == "uint32" else (-(2**31), 2**31 - 1)
            if not lo <= n <= hi:
                raise self.invalid(path, schema, value)
            return n
        if t == "number":
            if isinstance(value, bool):
                raise self.invalid(path, schema, value)
            if isinstance(value, int | float):
                return value
            if isinstance(value, str):
                s = value.strip()
                if _FLOAT_RE.match(s):
                    return float(s)
                if s in ("NaN", "Infinity", "-Infinity"):
                    return float(s)
            raise self.invalid(path, schema, value)
        if t == "boolean":
            if isinstance(value, bool):
                return value
            raise self.invalid(path, schema, value)
        if t == "string":
            if fmt in ("int64", "uint64") and isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            if not isinstance(value, str):
                raise self.invalid(path, schema, value)
            enum = schema.get("enum")
            if enum is not None and value not in enum:
                raise self.invalid(path, schema, value)
            return value
        return value

    def check_object(
        self, value: dict[str, Any], schema: dict[str, Any], path: str, ref: str | None
    ) -> dict[str, Any]:
        props: dict[str, Any] = schema.get("properties", {})
        out: dict[str, Any] = {}
        oneof = _ONEOFS.get(ref or "")
        set_members: list[str] = []
        for key, v in value.items():
            prop = props.get(key)
            if prop is None:
                # proto field names in snake_case are accepted by ESF as well
                camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
                prop = props.get(camel)
                if prop is not None:
                    key = camel
            if prop is None:
                if not self.strict:
                    out[key] = v
                    continue
                if path:
                    msg = (
                        f'Invalid JSON payload received. Unknown name "{key}" at '
                        f"'{path}': Cannot find field."
                    )
                else:
                    msg = f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
                raise field_violation(path or None, msg)
            if v is None:
                continue
            child = f"{path}.{snake(key)}" if path else snake(key)
            out[key] = self.check(v, prop, child)
            if oneof:
                set_members.append(key)
        if oneof and len(set_members) > 1:
            raise _oneof_error(path, oneof, set_members[1])
        if self.sheets and ref:
            for group, members in oneofs_of(ref).items():
                given = [k for k in out if k in members]
                if len(given) > 1:
                    raise _oneof_error(path, group, given[1])
        return out


def _oneof_error(path: str, group: str, second: str) -> GoogleError:
    msg = (
        f"Invalid value at '{path}' (oneof), oneof field '{group}' is already set. "
        f"Cannot set '{second}'"
    )
    return field_violation(path, msg)


@cache
def _checker(api: str, strict: bool) -> _Checker:
    return _Checker(api, strict)


def check_body(api: str, schema_ref: str, body: Any, root: str = "", strict: bool = True) -> Any:
    """Validate `body` against schema `schema_ref`; return the cleaned copy or raise 400."""
    checker = _checker(api, strict)
    if not isinstance(body, dict):
        msg = f"Invalid value at '{root}' (type.googleapis.com/{checker.pkg}.{schema_ref}), " + (
            _render(body)
        )
        raise field_violation(root or None, msg)
    return checker.check(body, {"$ref": schema_ref}, root)


_STANDARD_PARAMS = {
    "$.xgafv",
    "access_token",
    "alt",
    "callback",
    "fields",
    "key",
    "oauth_token",
    "prettyPrint",
    "quotaUser",
    "uploadType",
    "upload_protocol",
}


def check_params(
    api: str, method_id: str, params: dict[str, list[str]], strict: bool = True
) -> dict[str, Any]:
    """Validate query parameters of a method; return them typed (lists for repeated)."""
    method = methods(api)[method_id]
    spec: dict[str, Any] = method.get("parameters", {})
    out: dict[str, Any] = {}
    for name, values in params.items():
        p = spec.get(name)
        if p is None or p.get("location") != "query":
            if name in _STANDARD_PARAMS:
                out[name] = values[-1]
                continue
            if strict:
                msg = (
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query '
                    f"parameter. Field '{name}' could not be found in request message."
                )
                raise field_violation(None, msg)
            out[name] = values[-1]
            continue
        conv = [_coerce(_param_value(name, v, p), p) for v in values]
        out[name] = conv if p.get("repeated") else conv[-1]
    for name, p in spec.items():
        if p.get("required") and p.get("location") == "query" and name not in out:
            raise field_violation(None, f"'{name}' is required but not specified")
    return out


def _coerce(value: Any, p: dict[str, Any]) -> Any:
    """An integer above a parameter's maximum is coerced where the method says so, e.g.
    files.list pageSize: "The maximum value is 1000; values above 1000 will be coerced to
    1000." (https://developers.google.com/drive/api/reference/rest/v3/files/list; the same
    sentence is in the discovery document)."""
    top = p.get("maximum")
    coerces = "coerced" in str(p.get("description", ""))
    if isinstance(value, int) and top is not None and value > int(top) and coerces:
        return int(top)
    return value


def _param_value(name: str, raw: str, p: dict[str, Any]) -> Any:
    t = p.get("type")
    path = snake(name)
    if t == "boolean":
        low = raw.lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0", ""):
            return False
        raise field_violation(path, f"Invalid value at '{path}' (TYPE_BOOL), \"{raw}\"")
    if t == "integer":
        if not _INT_RE.match(raw.strip()):
            raise field_violation(path, f"Invalid value at '{path}' (TYPE_INT32), \"{raw}\"")
        return int(raw)
    enum = p.get("enum")
    if enum is not None and raw not in enum:
        raise field_violation(path, f"Invalid value at '{path}' (TYPE_ENUM), \"{raw}\"")
    return raw
