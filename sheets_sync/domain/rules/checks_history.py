"""Checks against earlier periods: cumulative realisation and outliers."""

from __future__ import annotations

import math
import statistics

from sheets_sync.domain.models import Issue, Period, PeriodKind
from sheets_sync.domain.numbers import is_percent_unit
from sheets_sync.domain.rules.context import RuleContext, shown_number
from sheets_sync.domain.rules.spec import CumulativeRule, OutlierRule
from sheets_sync.domain.worksheet import is_blank


def previous_in_year(period: Period) -> Period | None:
    if period.kind is PeriodKind.annual or period.number <= 1:
        return None  # a new year starts a new running total
    return period.previous()


def check_cumulative(ctx: RuleContext, rule: CumulativeRule) -> list[Issue]:
    prev = previous_in_year(ctx.config.period)
    if prev is None or ctx.sheet.layout.col(rule.column) is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        ind = ctx.indicators.get(row.code)
        if ind is None or ind.aggregation.value not in rule.aggregations:
            continue
        if is_percent_unit(ind.unit) and not rule.percent_units:
            continue
        before = ctx.history.value(prev.code, row.code, rule.column)
        if before is None:
            continue
        if is_blank(row.cells.get(rule.column)):
            out += ctx.missing(rule, row, code, rule.column)
            continue
        value = ctx.number(row, rule.column).value
        if value is not None and value < before - 1e-9:
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} indikator {kode} ({nilai}) lebih kecil dari periode {periode_lalu} "
                "({sebelumnya}); nilai kumulatif tidak boleh turun.",
                "Isi nilai kumulatif s.d. periode ini (termasuk periode sebelumnya), atau "
                "jelaskan koreksinya di Keterangan.",
                ctx.fields(row, rule.column, sebelumnya=shown_number(before), periode_lalu=prev.label,
                           batas=shown_number(before))))
    return out


def _earlier(ctx: RuleContext, code: str, column: str) -> list[float]:
    now = ctx.config.period
    points = []
    for period_code, value in ctx.history.series(code, column).items():  # type: ignore[arg-type]
        try:
            p = Period.parse(period_code)
        except ValueError:
            continue
        if p.kind is now.kind and (p.year, p.number) < (now.year, now.number):
            points.append(value)
    return points


def modified_z(value: float, points: list[float]) -> float:
    """Iglewicz-Hoaglin modified z-score; falls back to the mean absolute deviation when more
    than half the points are equal (MAD = 0)."""
    med = statistics.median(points)
    mad = statistics.median(abs(p - med) for p in points)
    if mad > 0:
        return 0.6745 * (value - med) / mad
    mean_ad = statistics.fmean(abs(p - med) for p in points)
    if mean_ad > 0:
        return (value - med) / (1.253314 * mean_ad)
    return 0.0 if math.isclose(value, med, abs_tol=1e-9) else math.inf


def check_outlier(ctx: RuleContext, rule: OutlierRule) -> list[Issue]:
    if ctx.sheet.layout.col(rule.column) is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        points = _earlier(ctx, row.code, rule.column)
        if len(points) < rule.min_points:
            continue
        if is_blank(row.cells.get(rule.column)):
            out += ctx.missing(rule, row, code, rule.column)
            continue
        value = ctx.number(row, rule.column).value
        if value is None:
            continue
        lo, hi, med = min(points), max(points), statistics.median(points)
        if rule.method == "zscore":
            score = modified_z(value, points)
            flagged = abs(score) > rule.threshold
            skor = f"{score:.1f}" if math.isfinite(score) else "tak hingga"
        else:
            widen = rule.margin * max(hi - lo, abs(med))
            flagged = not (lo - widen <= value <= hi + widen)
            skor = ""
        if flagged:
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} indikator {kode} ({nilai}) jauh berbeda dari periode sebelumnya "
                "(median {median}, terendah {min}, tertinggi {max}).",
                "Periksa kembali angkanya; bila benar, jelaskan sebabnya di Keterangan.",
                ctx.fields(row, rule.column, median=shown_number(med), min=shown_number(lo),
                           max=shown_number(hi), skor=skor)))
    return out
