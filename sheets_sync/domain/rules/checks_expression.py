"""The `expression` rule: a small safe language over a row's numbers."""

from __future__ import annotations

from collections.abc import Callable

from sheets_sync.domain.models import Issue
from sheets_sync.domain.rules import expr as expression
from sheets_sync.domain.rules.checks_history import previous_in_year
from sheets_sync.domain.rules.context import RuleContext, shown_number
from sheets_sync.domain.rules.spec import ExpressionRule
from sheets_sync.domain.worksheet import EntryRow, is_blank

_EXPR_COLUMNS = {"realisasi": "realisasi", "capaian": "realisasi", "realisasi_lalu": "realisasi",
                 "realisasi_anggaran": "budget_real", "capaian_anggaran": "budget_real"}
_EXPR_CELLS = {"realisasi": "realisasi", "realisasi_anggaran": "budget_real", "pagu": "budget"}


def _env(ctx: RuleContext, row: EntryRow, names: frozenset[str] | set[str]
         ) -> tuple[dict[str, float | None], set[str]]:
    """The row's numbers by expression name (only the `names` the expression uses), and the
    names whose cell holds text that is not a number (those are the number rule's finding,
    not a missing value)."""
    invalid = {name for name, key in _EXPR_CELLS.items()
               if not is_blank(row.cells.get(key)) and ctx.number(row, key).value is None}
    if "realisasi" in invalid:
        invalid.add("capaian")
    if invalid & {"realisasi_anggaran", "pagu"}:
        invalid.add("capaian_anggaran")
    env: dict[str, float | None] = {}
    for name in names:
        if name in _ROW_NUMBERS:
            env[name] = _ROW_NUMBERS[name](ctx, row)
    return env, invalid


def _capaian_anggaran(ctx: RuleContext, row: EntryRow) -> float | None:
    budget_real, pagu = ctx.number(row, "budget_real").value, ctx.budget(row)
    return budget_real / pagu * 100 if budget_real is not None and pagu else None


def _target(attr: str) -> Callable[[RuleContext, EntryRow], float | None]:
    def get(ctx: RuleContext, row: EntryRow) -> float | None:
        t = ctx.target(row.code)
        return getattr(t, attr) if t else None
    return get


def _previous(ctx: RuleContext, row: EntryRow) -> float | None:
    prev = previous_in_year(ctx.config.period)
    return ctx.history.value(prev.code, row.code) if prev else None


# What each name of the expression language is, for one row; computed only when used.
_ROW_NUMBERS: dict[str, Callable[[RuleContext, EntryRow], float | None]] = {
    "realisasi": lambda ctx, row: ctx.number(row, "realisasi").value,
    "target": _target("target"),
    "target_min": _target("target_min"),
    "target_max": _target("target_max"),
    "capaian": lambda ctx, row: ctx.capaian(row),
    "pagu": lambda ctx, row: ctx.budget(row),
    "realisasi_anggaran": lambda ctx, row: ctx.number(row, "budget_real").value,
    "capaian_anggaran": _capaian_anggaran,
    "realisasi_lalu": _previous,
}


def check_expression(ctx: RuleContext, rule: ExpressionRule) -> list[Issue]:
    parsed = rule.parsed
    names = parsed.names
    key = rule.column or next((_EXPR_COLUMNS[n] for n in names if n in _EXPR_COLUMNS),
                              "realisasi")
    out = []
    for row, code in ctx.rows_for(rule):
        env, invalid = _env(ctx, row, names)
        try:
            ok = parsed.evaluate(env)
        except expression.NotComputable as exc:
            if exc.missing and exc.name not in invalid and rule.missing == "issue":
                f = ctx.fields(row, key, ekspresi=parsed.text, detail=exc.reason)
                out.append(ctx.issue(
                    rule, row, code, key,
                    "Syarat '{ekspresi}' untuk indikator {kode} tidak dapat diperiksa: "
                    "{detail}.", "Lengkapi nilai yang kosong.", f))
            continue
        if not ok:
            detail = "; ".join(f"{n} = {shown_number(env[n])}" for n in names if env.get(n) is not None)
            f = ctx.fields(row, key, ekspresi=parsed.text, detail=detail)
            out.append(ctx.issue(
                rule, row, code, key,
                "Syarat '{ekspresi}' tidak terpenuhi untuk indikator {kode} ({detail}).",
                "Periksa kembali nilai yang diisi.", f))
    return out
