"""What Google refuses beyond the schema: the meaning of a request, as its reference states.

The schema check (schema.py) admits any well-typed body; Google also refuses bodies whose
*meaning* is wrong. Each rule below names the reference page it comes from (the same text
is in the field descriptions of the discovery documents shipped with
google-api-python-client). The handlers call in with one line each:

- `check_request(ctx, kind, body)`: every spreadsheets.batchUpdate request, before it runs;
- `check_fields_param(api, method_id, fields)`: the `fields` query parameter of every call;
- `check_permission(f, body, params)`: Drive permissions.create.

Messages follow Google's wording where it is known (see README.md for which are exact).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from . import presentation_rules
from .errors import drive_error, sheets_error
from .masks import Mask, parse_mask
from .schema import discovery, methods

if TYPE_CHECKING:
    from .core import DriveFile

SHEETS_REF = "https://developers.google.com/sheets/api/reference/rest/v4/"
# BooleanCondition.type -> how many ConditionValues it takes (min, max); None = any number.
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionType
_NONE = (0, 0)
_ONE = (1, 1)
_TWO = (2, 2)
CONDITION_VALUES: dict[str, tuple[int, int | None]] = {
    "NUMBER_GREATER": _ONE, "NUMBER_GREATER_THAN_EQ": _ONE, "NUMBER_LESS": _ONE,
    "NUMBER_LESS_THAN_EQ": _ONE, "NUMBER_EQ": _ONE, "NUMBER_NOT_EQ": _ONE,
    "NUMBER_BETWEEN": _TWO, "NUMBER_NOT_BETWEEN": _TWO,
    "TEXT_CONTAINS": _ONE, "TEXT_NOT_CONTAINS": _ONE, "TEXT_STARTS_WITH": _ONE,
    "TEXT_ENDS_WITH": _ONE, "TEXT_EQ": _ONE, "TEXT_IS_EMAIL": _NONE, "TEXT_IS_URL": _NONE,
    "DATE_EQ": _ONE, "DATE_BEFORE": _ONE, "DATE_AFTER": _ONE, "DATE_ON_OR_BEFORE": _ONE,
    "DATE_ON_OR_AFTER": _ONE, "DATE_BETWEEN": _TWO, "DATE_NOT_BETWEEN": _TWO,
    "DATE_IS_VALID": _NONE, "ONE_OF_RANGE": _ONE, "ONE_OF_LIST": (1, None),
    "BLANK": _NONE, "NOT_BLANK": _NONE, "CUSTOM_FORMULA": _ONE, "BOOLEAN": (0, 2),
    "TEXT_NOT_EQ": (1, None), "DATE_NOT_EQ": (1, None), "FILTER_EXPRESSION": _ONE,
}
# Which request field carries a FieldMask, and the schema its paths are relative to.
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
_REQUEST_MASKS: dict[str, tuple[str, str]] = {
    "repeatCell": ("fields", "CellData"),
    "updateCells": ("fields", "CellData"),
    "updateSheetProperties": ("fields", "SheetProperties"),
    "updateSpreadsheetProperties": ("fields", "SpreadsheetProperties"),
    "updateDimensionProperties": ("fields", "DimensionProperties"),
    "updateProtectedRange": ("fields", "ProtectedRange"),
    "updateNamedRange": ("fields", "NamedRange"),
    "updateBanding": ("fields", "BandedRange"),
    "updateFilterView": ("fields", "FilterView"),
    "updateEmbeddedObjectPosition": ("fields", "EmbeddedObjectPosition"),
    "updateDeveloperMetadata": ("fields", "DeveloperMetadata"),
}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CHART_KINDS = ("basicChart", "pieChart", "bubbleChart", "candlestickChart", "orgChart",
                "histogramChart", "waterfallChart", "treemapChart", "scorecardChart")


class SemanticError(Exception):
    """A request Google refuses; the batch wraps it as 'Invalid requests[i].<kind>: ...'."""


# ---------------------------------------------------------------- batchUpdate requests
def check_request(kind: str, body: dict[str, Any]) -> None:
    """Raise SemanticError for a request whose meaning Google refuses."""
    if kind in _REQUEST_MASKS:
        key, schema = _REQUEST_MASKS[kind]
        if key in body:
            bad = unknown_paths("sheets.v4", schema, str(body.get(key) or ""))
            if bad:
                # FieldMask: https://protobuf.dev/reference/protobuf/google.protobuf/#field-mask
                raise SemanticError(f"Invalid field mask: '{bad[0]}' is not a field of {schema}.")
    if kind in ("addSheet", "updateSheetProperties"):
        _sheet_id(body.get("properties") or {})
    if kind == "duplicateSheet" and (body.get("newSheetId") or 0) < 0:
        raise SemanticError("The sheet id must be non-negative.")
    if kind == "addChart":
        _chart_spec((body.get("chart") or {}).get("spec"))
    if kind == "updateChartSpec":
        _chart_spec(body.get("spec"))
    if kind == "setDataValidation" and body.get("rule"):
        _condition((body["rule"] or {}).get("condition"))
    if kind == "repeatCell":
        _cell(body.get("cell") or {})
    if kind == "updateCells":
        for row in body.get("rows") or []:
            for cell in row.get("values") or []:
                _cell(cell or {})
    if kind == "addConditionalFormatRule":
        rule = body.get("rule") or {}
        if rule.get("booleanRule"):
            _condition(rule["booleanRule"].get("condition"))
    if kind in ("addProtectedRange", "updateProtectedRange"):
        _protected_range(body.get("protectedRange") or {}, kind == "updateProtectedRange")
    try:  # conditional formats, combo charts, links, filters, locale: presentation_rules.py
        presentation_rules.check(kind, body)
    except presentation_rules.PresentationError as exc:
        raise SemanticError(str(exc)) from None


def _sheet_id(props: dict[str, Any]) -> None:
    # SheetProperties.sheetId: "Must be non-negative." (spreadsheets/sheets#SheetProperties)
    sid = props.get("sheetId")
    if isinstance(sid, int) and sid < 0:
        raise SemanticError(f"Invalid sheetId: {sid}. The sheet id must be non-negative.")


def _cell(cell: dict[str, Any]) -> None:
    dv = cell.get("dataValidation")
    if dv:
        _condition(dv.get("condition"))


def _condition(cond: dict[str, Any] | None) -> None:
    """BooleanCondition: each ConditionType takes a fixed number of ConditionValues."""
    if not cond:
        raise SemanticError("A condition is required.")
    ctype = cond.get("type") or "CONDITION_TYPE_UNSPECIFIED"
    if ctype not in CONDITION_VALUES:
        raise SemanticError(f"Invalid ConditionType: {ctype}.")
    n = len(cond.get("values") or [])
    lo, hi = CONDITION_VALUES[ctype]
    if n < lo or (hi is not None and n > hi):
        want = {(0, 0): "no ConditionValues", (1, 1): "exactly one ConditionValue",
                (2, 2): "exactly two ConditionValues"}.get((lo, hi or -1), f"{lo}..{hi} values")
        if hi is None:
            want = "at least one ConditionValue"
        raise SemanticError(f"Condition type {ctype} requires {want} (got {n}).")


def _chart_spec(spec: dict[str, Any] | None) -> None:
    """ChartSpec: exactly one chart kind; BasicChartSpec: at most one domain, and every
    domain and series source is one row or one column wide (ChartSourceRange)."""
    kinds = [k for k in _CHART_KINDS if (spec or {}).get(k) is not None]
    if not kinds:
        raise SemanticError("ChartSpec must have a chart type set (e.g. basicChart).")
    if len(kinds) > 1:
        raise SemanticError(f"ChartSpec may have only one chart type; got {', '.join(kinds)}.")
    basic = (spec or {}).get("basicChart")
    if basic is None:
        return
    domains = basic.get("domains") or []
    if len(domains) > 1:
        raise SemanticError("Only a single domain is supported.")
    series = basic.get("series") or []
    if not series:
        raise SemanticError("A basic chart needs at least one series.")
    counts = set()
    for what, data in [("domain", d.get("domain")) for d in domains] + [
            ("series", s.get("series")) for s in series]:
        sources = ((data or {}).get("sourceRange") or {}).get("sources") or []
        if not sources:
            raise SemanticError(f"Each {what} needs a sourceRange with at least one source.")
        counts.add(len(sources))
        for src in sources:
            rows = (src.get("endRowIndex") or 0) - (src.get("startRowIndex") or 0)
            cols = (src.get("endColumnIndex") or 0) - (src.get("startColumnIndex") or 0)
            if "endRowIndex" not in src or "endColumnIndex" not in src or (
                    rows != 1 and cols != 1):
                raise SemanticError(
                    f"The {what} source range must be exactly one row or one column wide "
                    "(ChartSourceRange: exactly one dimension must have a length of 1).")
    if len(counts) > 1:
        raise SemanticError("The domain and all series must have the same number of source "
                            "ranges.")


def _protected_range(pr: dict[str, Any], update: bool) -> None:
    """ProtectedRange: unprotectedRanges only within a protected sheet (a range with no row
    or column bounds); no editors with warningOnly; editors.users are e-mail addresses."""
    rng = pr.get("range")
    if pr.get("unprotectedRanges") and rng is not None:
        bounded = any(k in rng for k in ("startRowIndex", "endRowIndex", "startColumnIndex",
                                         "endColumnIndex"))
        if bounded:
            raise SemanticError("Unprotected ranges are only supported on protected sheets "
                                "(a range covering the whole sheet).")
    editors = pr.get("editors") or {}
    has_editors = bool(editors.get("users") or editors.get("groups")
                       or editors.get("domainUsersCanEdit"))
    if pr.get("warningOnly") and has_editors:
        raise SemanticError("Editors are not supported with warning_only protection.")
    for who in [*(editors.get("users") or []), *(editors.get("groups") or [])]:
        if not isinstance(who, str) or not _EMAIL_RE.match(who):
            raise SemanticError(f"Invalid editor: '{who}' is not an e-mail address.")


# ---------------------------------------------------------------- field masks
@cache
def _schema_props(api: str, ref: str) -> dict[str, Any]:
    return dict(discovery(api)["schemas"].get(ref, {}).get("properties", {}))


def _ref_of(prop: dict[str, Any]) -> str | None:
    if "$ref" in prop:
        return str(prop["$ref"])
    items = prop.get("items") or {}
    if "$ref" in items:
        return str(items["$ref"])
    extra = prop.get("additionalProperties") or {}
    if "$ref" in extra:
        return str(extra["$ref"])
    return None


def unknown_paths(api: str, root: str, fields: str) -> list[str]:
    """The paths of a field mask (`a.b,c(d,e/f)`) that name no field of `root`."""
    bad: list[str] = []

    def walk(mask: Mask, ref: str | None, prefix: str) -> None:
        for name, sub in mask.items():
            if name == "*" or ref is None:
                continue  # everything below, or a free-form value: nothing to check
            props = _schema_props(api, ref)
            if name not in props:
                bad.append(prefix + name)
            elif sub:
                walk(sub, _ref_of(props[name]), f"{prefix}{name}.")

    walk(parse_mask(fields), root, "")
    return bad


def check_fields_param(api: str, method_id: str | None, fields: str | None) -> None:
    """`fields=` (partial response) must name fields of the method's response: an unknown
    path is a 400 (https://developers.google.com/sheets/api/guides/field-masks,
    https://developers.google.com/drive/api/guides/fields-parameter)."""
    if not fields or not method_id:
        return
    method = methods(api).get(method_id) or {}
    root = (method.get("response") or {}).get("$ref")
    if not root:
        return
    bad = unknown_paths(api, root, fields)
    if not bad:
        return
    if api.startswith("drive"):
        raise drive_error(400, f"Invalid field selection {bad[0].split('.')[-1]}",
                          "invalidParameter", location="fields")
    raise sheets_error(400, "Request contains an invalid argument.", details=[{
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [{"field": "fields", "description": (
            f"Error expanding 'fields' parameter. Cannot find matching fields for path "
            f"'{bad[0]}'.")}]}])


# ---------------------------------------------------------------- permissions
def check_permission(f: DriveFile, body: dict[str, Any]) -> None:
    """permissions.create: a user or group is named by an e-mail address; the role must fit
    the item (https://developers.google.com/drive/api/guides/ref-roles): `organizer` and
    `fileOrganizer` exist only in Shared Drives, and a Shared Drive item has no `owner`."""
    ptype, role, email = body.get("type"), body.get("role"), body.get("emailAddress")
    if ptype in ("user", "group") and email and not _EMAIL_RE.match(str(email)):
        raise drive_error(400, f"Invalid value for emailAddress: {email} is not an e-mail "
                          "address.", "invalid", location="permission.emailAddress",
                          location_type="other")
    if role in ("organizer", "fileOrganizer") and not f.drive_id:
        raise drive_error(400, f"The role {role} is only valid on items in a shared drive.",
                          "invalid", location="permission.role", location_type="other")
    if role == "owner" and f.drive_id:
        raise drive_error(403, "Shared drive items cannot be owned by users.",
                          "forbidden",
                          location="permission.role", location_type="other")
