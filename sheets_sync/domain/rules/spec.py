"""Validation rules as data: what an office writes under `rules:` in its config.

Every rule has an `id` (unique), a `kind` (which check), a `severity`, an Indonesian `message`
template with `{placeholders}`, a `scope` (which rows it applies to), a `missing` strategy
(`skip`: a blank operand means the rule is not checked; `issue`: a blank operand is itself
reported) and `only_when_done` (check only once the section set its status to `Selesai`).

Messages name the rule id and the field, in Indonesian, because the config loader shows them
to PEP staff as they are.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from sheets_sync.domain.rules import expr as expression

# `models.Config` holds a `RuleList`, so this module must not import `models` (a cycle):
# severities and aggregations are spelled as their string values here.
SeverityName = Literal["error", "warning", "info"]
AggregationName = Literal["sum", "last", "avg", "manual"]

# Columns a rule may point at (keys of `worksheet.TABLE_COLUMNS` / `BUDGET_COLUMNS` a section
# types, plus the prefilled target for bounds and structure).
InputColumn = Literal["realisasi", "keterangan", "bukti", "budget_real"]
NumberColumn = Literal["realisasi", "budget_real", "target", "budget"]

# Placeholders a message template may use; each kind fills those that apply, the rest are "".
PLACEHOLDERS = ("nilai", "kolom", "indikator", "kode", "satuan", "bagian", "batas", "min",
                "max", "target", "capaian", "ekspresi", "sebelumnya", "periode_lalu", "median",
                "skor", "detail")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _norm_unit(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class Scope(_Strict):
    """Which rows a rule looks at. Every filter given must match; none given = all rows.
    In YAML: `scope: all`, or e.g. `scope: {sections: [keuangan], units: ["%"]}`."""

    sections: list[str] | None = None
    indicators: list[str] | None = None  # indicator codes
    units: list[str] | None = None  # compared case-insensitively, spaces ignored

    def matches(self, section: str, code: str | None, unit: str) -> bool:
        if self.sections is not None and section not in self.sections:
            return False
        if self.indicators is not None and code not in self.indicators:
            return False
        return self.units is None or _norm_unit(unit) in {_norm_unit(u) for u in self.units}


def check_template(template: str) -> str:
    """A message template may only use the known `{name}` placeholders: no attribute access,
    indexing or conversions (str.format on config text could otherwise reach into objects)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # Python's own words ("Single '}' encountered") stay out
        raise ValueError(
            "pesan tidak sah: ada '{' atau '}' tanpa pasangan; tulis {{ dan }} untuk kurung "
            "kurawal biasa"
        ) from exc
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValueError(
                f"isian '{{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}}' dalam pesan tidak dikenal; yang boleh: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
    return template


class RuleBase(_Strict):
    id: str = Field(min_length=1, max_length=60)
    severity: SeverityName = "error"
    message: str | None = None  # None: the kind's default text
    suggestion: str | None = None  # None: the kind's default suggestion
    scope: Scope = Field(default_factory=Scope)
    missing: Literal["skip", "issue"] = "skip"
    only_when_done: bool = False
    enabled: bool = True

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if any(ch.isspace() for ch in v) or ":" in v:
            raise ValueError(f"id aturan '{v}' tidak boleh memuat spasi atau ':' "
                             "(contoh: anggaran-pagu)")
        return v

    @field_validator("scope", mode="before")
    @classmethod
    def _scope_all(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and v.strip().lower() in ("all", "semua")):
            return {}
        if isinstance(v, str):
            raise ValueError("scope: tulis 'all', atau sections/indicators/units berisi daftar")
        return v

    @field_validator("message", "suggestion")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        return None if v is None else check_template(v)


class RequiredRule(RuleBase):
    """A column must be filled (typically Realisasi, once the section says it is done)."""

    kind: Literal["required"]
    column: InputColumn = "realisasi"


class NumberRule(RuleBase):
    """A column must hold a number, typed the Indonesian way; ambiguous text is reported with
    what to write instead, never guessed."""

    kind: Literal["number"]
    column: Literal["realisasi", "budget_real"] = "realisasi"


class BoundsRule(RuleBase):
    """A number must lie within [min, max] (either may be left out)."""

    kind: Literal["bounds"]
    column: NumberColumn = "realisasi"
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> BoundsRule:
        if self.min is None and self.max is None:
            raise ValueError("butuh 'min', 'max' atau keduanya")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min:g}) lebih besar dari 'max' ({self.max:g})")
        return self


class ExplanationRule(RuleBase):
    """Capaian below `below` or above `above` needs a Keterangan (why)."""

    kind: Literal["explanation"]
    below: float | None = 100
    above: float | None = 120

    @model_validator(mode="after")
    def _some_threshold(self) -> ExplanationRule:
        if self.below is None and self.above is None:
            raise ValueError("butuh 'below', 'above' atau keduanya")
        return self


class EvidenceRule(RuleBase):
    """Bukti Dukung must be a well-formed http(s) link (several may be separated by spaces,
    commas or new lines); with `required`, it must also be filled."""

    kind: Literal["evidence"]
    required: bool = False


class CumulativeRule(RuleBase):
    """A year-to-date realisation never falls from one period to the next within a year.

    Applies to indicators whose quarterly value is already cumulative: aggregation `last`
    (the year's value is the last quarter's). `sum` indicators report each quarter's own amount,
    which may rightly fall. Percentage units are left out unless `percent_units` is true: a
    percentage reported each quarter is a rate, not a running total."""

    kind: Literal["cumulative"]
    column: Literal["realisasi", "budget_real"] = "realisasi"
    aggregations: list[AggregationName] = Field(default_factory=lambda: ["last"])
    percent_units: bool = False


class OutlierRule(RuleBase):
    """A value far from the same indicator's earlier periods (needs `min_points` of them).

    `zscore`: modified z-score |0.6745 (x - median) / MAD| above `threshold` (3.5 is the usual
    cut-off). `band`: outside [min, max] of earlier values widened by `margin` x their width."""

    kind: Literal["outlier"]
    column: Literal["realisasi", "budget_real"] = "realisasi"
    method: Literal["zscore", "band"] = "zscore"
    threshold: float = Field(default=3.5, gt=0)
    margin: float = Field(default=0.25, ge=0)
    min_points: int = Field(default=3, ge=3)


class ExpressionRule(RuleBase):
    """A condition every row must meet, in the safe expression language of
    `sheets_sync.domain.rules.expr`, e.g. `realisasi_anggaran <= pagu`."""

    kind: Literal["expression"]
    expr: str
    column: InputColumn | None = None  # the cell to point at; default: first input used

    @field_validator("expr")
    @classmethod
    def _parses(cls, v: str) -> str:
        try:
            expression.parse(v)
        except expression.ExpressionError as exc:
            raise ValueError(f"ekspresi '{v[:80]}': {exc}") from exc
        return v

    @property
    def parsed(self) -> expression.Expression:
        return _parse_cached(self.expr)


_PARSED: dict[str, expression.Expression] = {}


def _parse_cached(text: str) -> expression.Expression:
    found = _PARSED.get(text)
    if found is None:
        found = _PARSED[text] = expression.parse(text)
    return found


class PlausibilityRule(RuleBase):
    """A realisasi the indicator cannot mean (DHIS2's outlier checks, without history): a
    capaian above `max_capaian` %, or a unit mismatch (`units`): a
    currency amount (`Rp 1.500.000,-`) in an indicator not counted in rupiah, a percentage
    (`87,5%`, or a percent-formatted cell) in one not counted in percent. Reported whatever the
    Keterangan says, at least as a warning; until PEP confirms it, the value does not count."""

    kind: Literal["plausibility"]
    severity: SeverityName = "warning"
    column: Literal["realisasi"] = "realisasi"
    max_capaian: float | None = Field(default=300, gt=0)  # None: no capaian check
    units: bool = True

    @field_validator("severity")
    @classmethod
    def _at_least_warning(cls, v: str) -> str:
        if v == "info":
            raise ValueError("'info' terlalu lemah untuk nilai yang tidak wajar; pilih warning "
                             "atau error")
        return v


class TargetRule(RuleBase):
    """Says which target capaian was computed with when the config's target differs from the
    one the sheet was distributed with (changed after distribution)."""

    kind: Literal["target"]
    severity: SeverityName = "info"


class StructureRule(RuleBase):
    """Rows, codes, targets (and units) unchanged from the snapshot taken at distribution;
    required columns and the status cell present."""

    kind: Literal["structure"]


RuleSpec = Annotated[
    RequiredRule | NumberRule | BoundsRule | ExplanationRule | EvidenceRule | CumulativeRule
    | OutlierRule | ExpressionRule | StructureRule | PlausibilityRule | TargetRule,
    Field(discriminator="kind"),
]
KINDS = ("required", "number", "bounds", "explanation", "evidence", "cumulative", "outlier",
         "expression", "structure", "plausibility", "target")


_ADAPTER: TypeAdapter[RuleSpec] = TypeAdapter(RuleSpec)


_PLAIN = {
    "literal_error": "tidak dikenal; pilih salah satu: {expected}",
    "float_parsing": "harus angka (titik untuk desimal, mis. 0.5)",
    "float_type": "harus angka",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "list_type": "harus berupa daftar, mis. [a, b]",
    "string_type": "harus berupa teks",
    "greater_than": "harus lebih besar dari {limit}",
    "greater_than_equal": "paling sedikit {limit}",
}


def _field_errors(exc: ValidationError, kind: object) -> list[str]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if p != kind]
        if err["type"] == "union_tag_not_found":
            out.append(f"'kind' wajib diisi; pilih salah satu: {', '.join(KINDS)}")
        elif err["type"] == "union_tag_invalid":
            out.append(f"kind '{kind}' tidak dikenal; pilih salah satu: {', '.join(KINDS)}")
        elif err["type"] == "extra_forbidden":
            out.append(f"isian '{'.'.join(loc)}' tidak dikenal untuk kind '{kind}'")
        elif err["type"] == "missing":
            out.append(f"'{'.'.join(loc)}' wajib diisi")
        elif err["type"] in _PLAIN:
            ctx = err.get("ctx", {})
            expected = str(ctx.get("expected", "")).replace(" or ", ", ")
            limit = ctx.get("ge", ctx.get("gt"))
            out.append(f"{'.'.join(loc)}: '{err.get('input')}' "
                       + _PLAIN[err["type"]].format(expected=expected, limit=limit))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
    return out


def parse_rules(raw: Any) -> Any:
    """Validate each rule on its own, so an error names the rule's id and the field rather
    than a list index; then require unique ids."""
    if not isinstance(raw, list):
        return raw  # None, or a wrong type the list schema reports
    rules: list[Any] = []
    problems: list[str] = []
    for n, item in enumerate(raw, start=1):
        if isinstance(item, BaseModel):
            rules.append(item)
            continue
        rid = item.get("id") if isinstance(item, dict) else None
        name = f"aturan '{rid}'" if rid else f"aturan ke-{n} (tanpa id)"
        if not isinstance(item, dict):
            problems.append(f"{name}: tulis sebagai pasangan isian, mis. "
                            "{id: ..., kind: required, column: realisasi}")
            continue
        try:
            rules.append(_ADAPTER.validate_python(item))
        except ValidationError as exc:
            problems.extend(f"{name}: {p}" for p in _field_errors(exc, item.get("kind")))
    if problems:
        raise ValueError("; ".join(problems))
    return check_unique_ids(rules)


def check_unique_ids(rules: list[Any]) -> list[Any]:
    """Rule ids identify confirmations, so two rules may not share one."""
    ids = [getattr(r, "id", None) for r in rules]
    dupes = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dupes:
        raise ValueError(f"id aturan ganda: {', '.join(dupes)}; setiap aturan butuh id sendiri")
    return rules


# The type of `Config.rules` (None there means `default_rules`).
RuleList = Annotated[list[RuleSpec], BeforeValidator(parse_rules)]
