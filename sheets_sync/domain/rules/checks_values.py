"""Checks of the values a section typed: required, number, bounds, explanation, evidence."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sheets_sync.domain.models import Issue
from sheets_sync.domain.rules.context import RuleContext, show, shown_number
from sheets_sync.domain.rules.spec import (
    BoundsRule,
    EvidenceRule,
    ExplanationRule,
    NumberRule,
    RequiredRule,
)
from sheets_sync.domain.worksheet import is_blank


def check_required(ctx: RuleContext, rule: RequiredRule) -> list[Issue]:
    if ctx.sheet.layout.col(rule.column) is None:
        return []  # a missing column is the structure rule's finding
    out = []
    for row, code in ctx.rows_for(rule):
        if is_blank(row.cells.get(rule.column)):
            lead = "Status sudah Selesai, tetapi " if rule.only_when_done else ""
            out.append(ctx.issue(
                rule, row, code, rule.column,
                lead + "{kolom} untuk indikator {kode} belum diisi.",
                "Isi kolom {kolom}, atau ubah Status kembali ke "
                f"'{ctx.labels.status_filling}' bila belum selesai." if rule.only_when_done
                else "Isi kolom {kolom}.",
                ctx.fields(row, rule.column)))
    return out


def check_number(ctx: RuleContext, rule: NumberRule) -> list[Issue]:
    if ctx.sheet.layout.col(rule.column) is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        raw = row.cells.get(rule.column)
        if is_blank(raw):
            out += ctx.missing(rule, row, code, rule.column)
            continue
        parsed = ctx.number(row, rule.column)
        if parsed.ok:
            continue
        f = ctx.fields(row, rule.column)
        if parsed.too_large:
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} '{nilai}' untuk indikator {kode} terlalu besar: " + parsed.error + ".",
                "Periksa angkanya dan tulis nilai yang sebenarnya (Excel hanya menyimpan 15 "
                "digit).", f))
        elif parsed.ambiguous:
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} '{nilai}' untuk indikator {kode} bisa dibaca lebih dari satu cara; "
                "angka tidak ditebak.", parsed.error or "Tulis ulang angkanya.", f))
        else:
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} '{nilai}' untuk indikator {kode} bukan angka.",
                "Tulis angka saja, mis. 1.234,5 (titik untuk ribuan, koma untuk desimal); "
                "penjelasan tulis di kolom Keterangan.", f))
    return out


def _bounds_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{shown_number(lo)} sampai {shown_number(hi)}"
    return f"paling sedikit {shown_number(lo)}" if lo is not None else f"paling banyak {shown_number(hi)}"


def check_bounds(ctx: RuleContext, rule: BoundsRule) -> list[Issue]:
    if ctx.sheet.layout.col(rule.column) is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        if is_blank(row.cells.get(rule.column)):
            out += ctx.missing(rule, row, code, rule.column)
            continue
        value = ctx.number(row, rule.column).value
        if value is None:
            continue  # not a number: the number rule says so
        below = rule.min is not None and value < rule.min
        above = rule.max is not None and value > rule.max
        if below or above:
            batas = _bounds_text(rule.min, rule.max)
            out.append(ctx.issue(
                rule, row, code, rule.column,
                "{kolom} indikator {kode} bernilai {nilai}, di luar batas ({batas}).",
                "Periksa kembali {kolom}: nilai yang wajar {batas}.",
                ctx.fields(row, rule.column, batas=batas, min=shown_number(rule.min),
                           max=shown_number(rule.max))))
    return out


def check_explanation(ctx: RuleContext, rule: ExplanationRule) -> list[Issue]:
    out = []
    for row, code in ctx.rows_for(rule):
        if is_blank(row.cells.get("realisasi")):
            out += ctx.missing(rule, row, code, "realisasi")
            continue
        value = ctx.capaian(row)
        if value is None:
            continue  # T = 0 or not a number: capaian "tidak dapat dihitung"
        if rule.below is not None and value < rule.below:
            detail, batas = f"di bawah {shown_number(rule.below)}%", shown_number(rule.below)
        elif rule.above is not None and value > rule.above:
            detail, batas = f"di atas {shown_number(rule.above)}%", shown_number(rule.above)
        else:
            continue
        if not is_blank(row.cells.get("keterangan")):
            continue
        key = "keterangan" if ctx.sheet.layout.col("keterangan") else "realisasi"
        f = ctx.fields(row, key, capaian=shown_number(value), batas=batas, detail=detail,
                       min=shown_number(rule.below), max=shown_number(rule.above),
                       nilai=show(row.cells.get("realisasi")))
        out.append(ctx.issue(
            rule, row, code, key,
            "Capaian indikator {kode} {capaian}% ({detail}) tetapi Keterangan kosong.",
            "Jelaskan di kolom Keterangan sebab capaian "
            + ("belum mencapai" if value < (rule.below or 0) else "jauh melampaui")
            + " target, atau periksa kembali Realisasi.", f))
    return out


_URL_SPLIT = re.compile(r"[\s;]+|,(?=\s|https?://)")
_HOST = re.compile(r"^(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$")


def well_formed_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(_HOST.match(host))


def check_evidence(ctx: RuleContext, rule: EvidenceRule) -> list[Issue]:
    if ctx.sheet.layout.col("bukti") is None:
        return []
    out = []
    for row, code in ctx.rows_for(rule):
        raw = row.cells.get("bukti")
        f = ctx.fields(row, "bukti")
        if is_blank(raw):
            if rule.required:
                out.append(ctx.issue(rule, row, code, "bukti",
                                     "Bukti Dukung untuk indikator {kode} belum diisi.",
                                     "Tempel tautan berkas bukti (mis. Google Drive) yang "
                                     "diawali https://.", f))
            continue
        links = [p.strip(",") for p in _URL_SPLIT.split(str(raw)) if p and p.strip(",")]
        if not isinstance(raw, str) or not links or not all(well_formed_url(x) for x in links):
            out.append(ctx.issue(rule, row, code, "bukti",
                                 "Bukti Dukung '{nilai}' untuk indikator {kode} bukan tautan "
                                 "yang sah.",
                                 "Tempel tautan lengkap yang diawali https:// (beberapa tautan "
                                 "dipisah spasi atau baris baru).", f))
    return out
