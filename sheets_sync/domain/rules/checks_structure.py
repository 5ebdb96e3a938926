"""The `structure` rule: the locked part of the sheet is as distributed; and the `target`
rule: which target capaian uses when the config changed it after distribution."""

from __future__ import annotations

import math
import re
from typing import Any

from sheets_sync.domain.models import Issue
from sheets_sync.domain.numbers import parse_number
from sheets_sync.domain.rules.context import RuleContext, show, shown_number
from sheets_sync.domain.rules.spec import StructureRule, TargetRule


def _parse_range(raw: Any) -> tuple[float, float] | None:
    if not isinstance(raw, str):
        return None
    parts = re.split(r"\s+-\s+|\s*(?:s\.?d\.?|sampai)\s*", raw.strip())
    if len(parts) != 2:
        return None
    lo, hi = parse_number(parts[0]).value, parse_number(parts[1]).value
    return (lo, hi) if lo is not None and hi is not None else None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check_structure(ctx: RuleContext, rule: StructureRule) -> list[Issue]:
    sheet, layout, labels = ctx.sheet, ctx.sheet.layout, ctx.labels
    out: list[Issue] = []
    if layout.problems:
        out.append(ctx.issue(
            rule, None, None, None,
            "Bentuk lembar berubah: " + "; ".join(layout.problems) + ".",
            f"Kembalikan judul kolom dan sel '{labels.status}' seperti semula, atau minta PEP "
            "membagikan ulang lembar kerja.", ctx.fields(None, None)))
    if not layout.header_row:
        return out
    snapshot = sheet.meta.snapshot
    if not snapshot:
        if ctx.indicators:
            out.append(ctx.issue(
                rule, None, None, None,
                f"Data sistem pada lembar '{labels.sheet_meta}' hilang atau tidak lengkap; "
                "perubahan baris dan target tidak dapat diperiksa.",
                "Minta PEP memeriksa lembar kerja ini (jalankan ulang distribute).",
                ctx.fields(None, None)))
        return out
    code_col = layout.col("code")
    by_code = {s.code: s for s in snapshot}
    for row, code in ctx.rows:
        if code is None:
            out.append(ctx.issue(
                rule, row, None, "code", "Kode {kode} muncul lebih dari sekali.",
                "Kembalikan baris seperti semula; jangan menyalin baris indikator.",
                ctx.fields(row, "code")))
        elif row.code not in by_code:
            out.append(ctx.issue(
                rule, row, code, "code",
                "Kode {kode} tidak ada pada data awal (baris ditambah atau kode diubah).",
                "Kembalikan kode seperti semula; indikator baru diminta melalui PEP.",
                ctx.fields(row, "code")))
    present = {row.code: row for row, code in ctx.rows if code is not None}
    for snap in snapshot:
        row = present.get(snap.code)
        f = {"bagian": sheet.section_id, "kode": snap.code}
        if row is None:
            out.append(ctx.issue(
                rule, None, snap.code, "code",
                "Baris indikator {kode} hilang (kode dihapus atau diubah).",
                "Kembalikan baris dan kode indikator seperti semula.", f,
                cell=(snap.row, code_col) if code_col else None))
            continue
        findings: list[tuple[str, str]] = []
        if row.row != snap.row:
            findings.append(("code", f"baris berpindah dari {snap.row} ke {row.row}"))
        if layout.col("target") is not None:
            raw = row.cells.get("target")
            if snap.target_min is not None and snap.target_max is not None:
                got = _parse_range(raw)
                changed = got is None or not (_same(got[0], snap.target_min)
                                              and _same(got[1], snap.target_max))
                want = f"{shown_number(snap.target_min)} - {shown_number(snap.target_max)}"
            else:
                changed = not _same(parse_number(raw).value, snap.target)
                want = shown_number(snap.target)
            if changed:
                findings.append(("target", f"target diubah dari {want} menjadi {show(raw)}"))
        if layout.col("unit") is not None and snap.unit:
            typed = " ".join(str(row.cells.get("unit") or "").split())
            if typed.casefold() != " ".join(snap.unit.split()).casefold():
                findings.append(("unit", f"satuan diubah dari {snap.unit} menjadi "
                                         f"{show(row.cells.get('unit'))}"))
        if findings:
            key = findings[0][0]
            detail = "; ".join(text for _k, text in findings)
            out.append(ctx.issue(
                rule, row, snap.code, key,
                "Indikator {kode}: {detail}.",
                "Kembalikan isian yang dikunci seperti semula; perubahan target diminta "
                "melalui PEP.", ctx.fields(row, key, detail=detail)))
    return out


def _target_text(target: float | None, lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{shown_number(lo)} - {shown_number(hi)}"
    return shown_number(target) or "(kosong)"


def check_target(ctx: RuleContext, rule: TargetRule) -> list[Issue]:
    """The config's target changed after distribution: say which target capaian uses (the
    config's) and how to bring the sheet in line."""
    out = []
    for row, code in ctx.rows_for(rule):
        ind, snap = ctx.indicators.get(row.code), ctx.snapshot.get(row.code)
        if ind is None or snap is None or code is None:
            continue
        if (_same(ind.target, snap.target) and _same(ind.target_min, snap.target_min)
                and _same(ind.target_max, snap.target_max)):
            continue
        used = _target_text(ind.target, ind.target_min, ind.target_max)
        sheet = _target_text(snap.target, snap.target_min, snap.target_max)
        key = "target" if ctx.sheet.layout.col("target") else "realisasi"
        out.append(ctx.issue(
            rule, row, code, key,
            "Target indikator {kode} di konfigurasi ({target}) berbeda dari target di lembar "
            "({sebelumnya}); capaian dihitung dengan target konfigurasi {target}.",
            "Target ditetapkan PEP: PEP menjalankan 'sync distribute --update-targets' agar "
            "lembar ini memakai target baru (atau mengembalikan target di konfigurasi).",
            ctx.fields(row, key, target=used, sebelumnya=sheet, detail=f"{sheet} -> {used}")))
    return out
