"""What Google refuses in the presentation requests the recap sends (beyond the schema):
conditional-format rules, combo charts, links, filters and the spreadsheet locale.

Each rule cites the reference page it comes from; `semantics.check_request` calls `check`.
"""

from __future__ import annotations

import re
from typing import Any

REF = "https://developers.google.com/sheets/api/reference/rest/v4/"
# spreadsheets/other#ConditionalFormatRule (BooleanRule.format): "Conditional formatting can
# only apply a subset of formatting: bold, italic, strikethrough, foreground color and,
# background color."
_COND_FORMAT = {"backgroundColor", "backgroundColorStyle", "textFormat"}
_COND_TEXT = {"bold", "italic", "strikethrough", "underline", "foregroundColor",
              "foregroundColorStyle"}
# spreadsheets/charts#BasicChartSeries.type: "Valid only if the chartType is COMBO ... Only
# LINE, AREA, and COLUMN are supported."
_COMBO_TYPES = {"LINE", "AREA", "COLUMN"}
# spreadsheets#SpreadsheetProperties.locale: "en", "fil" or "en_US".
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


class PresentationError(Exception):
    pass


def check(kind: str, body: dict[str, Any]) -> None:
    if kind == "addConditionalFormatRule":
        _cond_rule(body.get("rule") or {})
    elif kind == "addChart":
        _chart(((body.get("chart") or {}).get("spec") or {}),
               ((body.get("chart") or {}).get("position") or {}))
    elif kind == "setBasicFilter":
        if not (body.get("filter") or {}).get("range"):
            raise PresentationError("A basic filter needs a range (spreadsheets/sheets#BasicFilter).")
    elif kind == "updateSpreadsheetProperties":
        locale = (body.get("properties") or {}).get("locale")
        if locale is not None and not _LOCALE.match(str(locale)):
            raise PresentationError(f"Invalid locale: '{locale}'.")
    elif kind in ("updateCells", "repeatCell"):
        cells = [body.get("cell") or {}] if kind == "repeatCell" else [
            c or {} for row in body.get("rows") or [] for c in row.get("values") or []]
        for cell in cells:
            link = ((cell.get("userEnteredFormat") or {}).get("textFormat") or {}).get("link")
            if link is not None and not str(link.get("uri") or "").strip():
                raise PresentationError("A link needs a uri (spreadsheets/cells#Link).")


def _cond_rule(rule: dict[str, Any]) -> None:
    kinds = [k for k in ("booleanRule", "gradientRule") if rule.get(k)]
    if len(kinds) != 1:
        raise PresentationError("A conditional format rule needs exactly one of booleanRule or "
                                "gradientRule (spreadsheets/other#ConditionalFormatRule).")
    # all ranges on one grid: rules_sheets._conditional_format (one home per rule)
    boolean = rule.get("booleanRule")
    if not boolean:
        return
    fmt = boolean.get("format") or {}
    extra = set(fmt) - _COND_FORMAT
    extra |= {f"textFormat.{k}" for k in set(fmt.get("textFormat") or {}) - _COND_TEXT}
    if extra:
        raise PresentationError(
            "Conditional formatting can only apply bold, italic, strikethrough, foreground "
            f"color and background color; not {', '.join(sorted(extra))}.")
    cond = boolean.get("condition") or {}
    if cond.get("type") == "CUSTOM_FORMULA":
        value = str(((cond.get("values") or [{}])[0] or {}).get("userEnteredValue") or "")
        if not value.startswith("="):
            raise PresentationError("A CUSTOM_FORMULA condition value must be a formula "
                                    "starting with '=' (spreadsheets/other#ConditionType).")


def _chart(spec: dict[str, Any], position: dict[str, Any]) -> None:
    basic = spec.get("basicChart")
    if basic:
        combo = basic.get("chartType") == "COMBO"
        for s in basic.get("series") or []:
            stype = s.get("type")
            if stype is not None and not combo:
                raise PresentationError("BasicChartSeries.type is valid only if the chartType "
                                        "is COMBO.")
            if combo and stype not in _COMBO_TYPES:
                raise PresentationError(f"A COMBO chart series must be LINE, AREA or COLUMN, "
                                        f"not {stype}.")
    overlay = position.get("overlayPosition") or {}
    for key in ("widthPixels", "heightPixels", "offsetXPixels", "offsetYPixels"):
        if (overlay.get(key) or 0) < 0:
            raise PresentationError(f"OverlayPosition.{key} must be non-negative.")
