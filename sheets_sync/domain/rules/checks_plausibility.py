"""The `plausibility` rule: values an indicator cannot mean, whatever the Keterangan says.

DHIS2 calls these outlier checks; unlike the `outlier` rule they need no history: a capaian far
above anything the indicator allows, or a value typed in another unit than the indicator's
(a rupiah amount in a count of documents, a percentage in a count of activities).
"""

from __future__ import annotations

from sheets_sync.domain.models import Issue
from sheets_sync.domain.numbers import unit_mismatch
from sheets_sync.domain.rules.context import RuleContext, shown_number
from sheets_sync.domain.rules.spec import PlausibilityRule
from sheets_sync.domain.worksheet import is_blank


def check_plausibility(ctx: RuleContext, rule: PlausibilityRule) -> list[Issue]:
    if ctx.sheet.layout.col(rule.column) is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        raw = row.cells.get(rule.column)
        if is_blank(raw):
            continue
        parsed = ctx.number(row, rule.column)
        if not parsed.ok:
            continue  # not a number: the number rule says so
        unit = ctx.unit(row)
        findings = []
        if rule.units and (why := unit_mismatch(unit, percent=parsed.percent,
                                                 currency=parsed.currency)):
            findings.append(why)
        value = ctx.capaian(row)
        if rule.max_capaian is not None and value is not None and value > rule.max_capaian:
            findings.append(f"capaian {shown_number(value)}% jauh di atas batas wajar "
                            f"{shown_number(rule.max_capaian)}%")
        if not findings:
            continue
        detail = "; ".join(findings)
        # an error cannot be confirmed (review.confirm_records): do not offer it
        confirmable = rule.severity != "error"
        out.append(ctx.issue(
            rule, row, code, rule.column,
            "{kolom} '{nilai}' untuk indikator {kode} tidak wajar: {detail}. Nilai ini tidak "
            "dihitung dalam rekap sampai diperbaiki"
            + (" atau dikonfirmasi PEP." if confirmable else "."),
            "Tulis {kolom} dalam satuan {satuan} (angka saja)"
            + ("; bila angkanya memang benar, PEP mengonfirmasinya dengan bagian (sync confirm)."
               if confirmable else "."),
            ctx.fields(row, rule.column, detail=detail,
                       capaian=shown_number(value), max=shown_number(rule.max_capaian),
                       batas=shown_number(rule.max_capaian))))
    return out
