"""Evaluating rules over one section's sheet: `evaluate(config, sheet, history) -> issues`.

Pure and total: whatever a section typed (any text, any size, formulas, booleans, dates), the
engine reports it and never raises; it only reads the `SectionSheet`.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sheets_sync.domain import capaian as capaian_mod
from sheets_sync.domain.models import (
    Config,
    Indicator,
    Issue,
    Period,
    PeriodKind,
    Polarity,
    Severity,
)
from sheets_sync.domain.numbers import ParsedNumber, format_number, is_percent_unit, parse_number
from sheets_sync.domain.patch import a1
from sheets_sync.domain.rules import expr as expression
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.rules.spec import (
    BoundsRule,
    CumulativeRule,
    EvidenceRule,
    ExplanationRule,
    ExpressionRule,
    NumberRule,
    OutlierRule,
    RequiredRule,
    RuleSpec,
    Scope,
    StructureRule,
)
from sheets_sync.domain.worksheet import EntryRow, SectionSheet, column_label, is_blank

CONFIRM_PREFIX = "confirm:"
_SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


# --------------------------------------------------------------------------- default set


def default_rules(config: Config) -> list[RuleSpec]:
    """The built-in set used when the config has no `rules:`."""
    percent = Scope(units=["%", "persen"])
    rules: list[RuleSpec] = [
        StructureRule(kind="structure", id="struktur"),
        RequiredRule(kind="required", id="wajib-realisasi", column="realisasi",
                     only_when_done=True),
        NumberRule(kind="number", id="angka-realisasi", column="realisasi"),
        NumberRule(kind="number", id="angka-anggaran", column="budget_real"),
        BoundsRule(kind="bounds", id="nonnegatif-realisasi", column="realisasi", min=0),
        BoundsRule(kind="bounds", id="nonnegatif-anggaran", column="budget_real", min=0),
        BoundsRule(kind="bounds", id="persen-0-100", column="realisasi", min=0, max=100,
                   severity="warning", scope=percent,
                   message="Realisasi {nilai} untuk satuan persen berada di luar 0 sampai 100."),
        ExplanationRule(kind="explanation", id="keterangan-capaian", severity="warning",
                        below=100, above=120),
        EvidenceRule(kind="evidence", id="bukti-dukung", severity="warning"),
        CumulativeRule(kind="cumulative", id="kumulatif", severity="warning"),
        OutlierRule(kind="outlier", id="pencilan", severity="info"),
    ]
    if any(i.budget is not None for i in config.indicators):
        rules.append(ExpressionRule(
            kind="expression", id="anggaran-pagu", severity="error",
            expr="realisasi_anggaran <= pagu", column="budget_real",
            message="Realisasi Anggaran melebihi Pagu ({detail}).",
            suggestion="Periksa Realisasi Anggaran: tidak boleh lebih besar dari Pagu.",
        ))
    return rules


def active_rules(config: Config) -> list[RuleSpec]:
    return list(config.rules) if config.rules is not None else default_rules(config)


# --------------------------------------------------------------------------- helpers


def show(value: Any, limit: int = 40) -> str:
    """A cell value as a person reads it in a message: short, one line."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "(kosong)"
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if isinstance(value, (int, float)):
        return format_number(float(value)) if math.isfinite(value) else str(value)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(v: float | None) -> str:
    return "" if v is None else format_number(v)


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, fields: Mapping[str, str]) -> str:
    """Fill a (checked) template; a template that still fails renders as is, never raises."""
    # format_map is safe here: config templates are checked to hold only plain `{name}`s
    # (`spec.check_template`), so no attribute or index access can reach into objects.
    try:
        return template.format_map(_Fill(fields))
    except (ValueError, KeyError, IndexError, AttributeError):
        return template


def value_token(value: Any) -> str:
    """A short fingerprint of a cell value, stored with a confirmation so that a confirmation
    lapses when the section changes the value PEP confirmed."""
    text = f"{type(value).__name__}:{value!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def confirmation_token(issue: Issue, value: Any) -> str:
    return value_token((issue.message, value_token(value)))


@dataclass
class Target:
    polarity: Polarity
    target: float | None
    target_min: float | None
    target_max: float | None


class _Ctx:
    """What every check needs about the sheet, computed once."""

    def __init__(self, config: Config, sheet: SectionSheet, history: History) -> None:
        self.config = config
        self.sheet = sheet
        self.labels = config.labels
        self.history = history
        self.indicators: dict[str, Indicator] = {
            i.code: i for i in config.indicators_of(sheet.section_id)}
        self.snapshot = {s.code: s for s in sheet.meta.snapshot}
        labels = self.labels
        self.done = sheet.status in (labels.status_done, labels.status_confirm,
                                     labels.status_valid, labels.status_approved)
        # A repeated code (a tampered sheet) would give two issues the same key: later copies
        # are reported by their cell instead of their code.
        self.rows: list[tuple[EntryRow, str | None]] = []
        seen: set[str] = set()
        for row in sheet.rows:
            self.rows.append((row, None if row.code in seen else row.code))
            seen.add(row.code)
        self._numbers: dict[tuple[int, str], ParsedNumber] = {}
        self.values: dict[str, Any] = {}  # issue key -> the raw value it is about

    def unit(self, row: EntryRow) -> str:
        ind = self.indicators.get(row.code)
        if ind is not None:
            return ind.unit
        snap = self.snapshot.get(row.code)
        return snap.unit if snap else str(row.cells.get("unit") or "")

    def number(self, row: EntryRow, key: str) -> ParsedNumber:
        cached = self._numbers.get((row.row, key))
        if cached is None:
            percent = key == "realisasi" and is_percent_unit(self.unit(row))
            cached = parse_number(row.cells.get(key), percent_unit=percent)
            self._numbers[(row.row, key)] = cached
        return cached

    def target(self, code: str) -> Target | None:
        """The service's own target (config; else the snapshot): the sheet is never trusted."""
        ind = self.indicators.get(code)
        if ind is not None:
            return Target(ind.polarity, ind.target, ind.target_min, ind.target_max)
        snap = self.snapshot.get(code)
        if snap is None:
            return None
        try:
            polarity = Polarity(snap.polarity)
        except ValueError:
            polarity = Polarity.positive
        return Target(polarity, snap.target, snap.target_min, snap.target_max)

    def capaian(self, row: EntryRow) -> float | None:
        t = self.target(row.code)
        n = self.number(row, "realisasi")
        if t is None or n.value is None:
            return None
        return capaian_mod.compute(t.polarity, n.value, t.target, t.target_min,
                                   t.target_max).value

    def budget(self, row: EntryRow) -> float | None:
        ind = self.indicators.get(row.code)
        if ind is not None and ind.budget is not None:
            return ind.budget
        return self.number(row, "budget").value

    def in_scope(self, scope: Scope, row: EntryRow) -> bool:
        return scope.matches(self.sheet.section_id, row.code, self.unit(row))

    def rows_for(self, rule: RuleSpec) -> Iterator[tuple[EntryRow, str | None]]:
        for row, code in self.rows:
            if self.in_scope(rule.scope, row):
                yield row, code

    def fields(self, row: EntryRow | None, key: str | None, **extra: str) -> dict[str, str]:
        out = {"bagian": self.sheet.section_id, "kolom": column_label(self.labels, key) if key
               else ""}
        if row is not None:
            ind = self.indicators.get(row.code)
            out["kode"] = row.code if len(row.code) <= 40 else show(row.code)
            out["indikator"] = ind.name if ind else show(row.cells.get("indicator"), 80)
            out["satuan"] = self.unit(row)
            if key is not None:
                out["nilai"] = show(row.cells.get(key))
        out.update(extra)
        return out

    def issue(self, rule: RuleSpec, row: EntryRow | None, code: str | None, key: str | None,
              message: str, suggestion: str, fields: dict[str, str],
              cell: tuple[int, int] | None = None) -> Issue:
        col = self.sheet.layout.col(key) if key else None
        if cell is None and row is not None and col is not None:
            cell = (row.row, col)
        issue = Issue(
            section=self.sheet.section_id, rule=rule.id, severity=Severity(rule.severity),
            message=render(rule.message or message, fields),
            suggestion=render(rule.suggestion if rule.suggestion is not None else suggestion,
                              fields),
            indicator=code, cell=a1(*cell) if cell else None,
            row=cell[0] if cell else (row.row if row else None),
            column=column_label(self.labels, key) if key else None,
            sheet=self.labels.sheet_worksheet, spreadsheet=self.sheet.file_name or None,
        )
        if row is not None and key is not None:
            self.values[issue.key] = row.cells.get(key)
        return issue

    def missing(self, rule: RuleSpec, row: EntryRow, code: str | None, key: str,
                what: str = "") -> list[Issue]:
        """The `missing` strategy: skip, or report the blank operand."""
        if rule.missing == "skip":
            return []
        f = self.fields(row, key)
        name = what or f["kolom"]
        return [self.issue(rule, row, code, key,
                           f"{name} untuk indikator {{kode}} kosong, sehingga aturan "
                           f"'{rule.id}' tidak dapat diperiksa.",
                           f"Isi {name}.", f)]


Check = Callable[[_Ctx, Any], list[Issue]]


# --------------------------------------------------------------------------- the checks


def _required(ctx: _Ctx, rule: RequiredRule) -> list[Issue]:
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


def _number(ctx: _Ctx, rule: NumberRule) -> list[Issue]:
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
        if parsed.ambiguous:
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
        return f"{_num(lo)} sampai {_num(hi)}"
    return f"paling sedikit {_num(lo)}" if lo is not None else f"paling banyak {_num(hi)}"


def _bounds(ctx: _Ctx, rule: BoundsRule) -> list[Issue]:
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
                ctx.fields(row, rule.column, batas=batas, min=_num(rule.min),
                           max=_num(rule.max))))
    return out


def _explanation(ctx: _Ctx, rule: ExplanationRule) -> list[Issue]:
    out = []
    for row, code in ctx.rows_for(rule):
        if is_blank(row.cells.get("realisasi")):
            out += ctx.missing(rule, row, code, "realisasi")
            continue
        value = ctx.capaian(row)
        if value is None:
            continue  # T = 0 or not a number: capaian "tidak dapat dihitung"
        if rule.below is not None and value < rule.below:
            detail, batas = f"di bawah {_num(rule.below)}%", _num(rule.below)
        elif rule.above is not None and value > rule.above:
            detail, batas = f"di atas {_num(rule.above)}%", _num(rule.above)
        else:
            continue
        if not is_blank(row.cells.get("keterangan")):
            continue
        key = "keterangan" if ctx.sheet.layout.col("keterangan") else "realisasi"
        f = ctx.fields(row, key, capaian=_num(value), batas=batas, detail=detail,
                       min=_num(rule.below), max=_num(rule.above),
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


def _evidence(ctx: _Ctx, rule: EvidenceRule) -> list[Issue]:
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


def _previous_in_year(period: Period) -> Period | None:
    if period.kind is PeriodKind.annual or period.number <= 1:
        return None  # a new year starts a new running total
    return period.previous()


def _cumulative(ctx: _Ctx, rule: CumulativeRule) -> list[Issue]:
    prev = _previous_in_year(ctx.config.period)
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
                ctx.fields(row, rule.column, sebelumnya=_num(before), periode_lalu=prev.label,
                           batas=_num(before))))
    return out


def _earlier(ctx: _Ctx, code: str, column: str) -> list[float]:
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


def _outlier(ctx: _Ctx, rule: OutlierRule) -> list[Issue]:
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
                ctx.fields(row, rule.column, median=_num(med), min=_num(lo), max=_num(hi),
                           skor=skor)))
    return out


_EXPR_COLUMNS = {"realisasi": "realisasi", "capaian": "realisasi", "realisasi_lalu": "realisasi",
                 "realisasi_anggaran": "budget_real", "capaian_anggaran": "budget_real"}
_EXPR_CELLS = {"realisasi": "realisasi", "realisasi_anggaran": "budget_real", "pagu": "budget"}


def _env(ctx: _Ctx, row: EntryRow) -> tuple[dict[str, float | None], set[str]]:
    """The row's numbers by expression name, and the names whose cell holds text that is not
    a number (those are the number rule's finding, not a missing value)."""
    invalid = {name for name, key in _EXPR_CELLS.items()
               if not is_blank(row.cells.get(key)) and ctx.number(row, key).value is None}
    t = ctx.target(row.code)
    real = ctx.number(row, "realisasi").value
    budget_real = ctx.number(row, "budget_real").value
    pagu = ctx.budget(row)
    prev = _previous_in_year(ctx.config.period)
    env: dict[str, float | None] = {
        "realisasi": real,
        "target": t.target if t else None,
        "target_min": t.target_min if t else None,
        "target_max": t.target_max if t else None,
        "capaian": ctx.capaian(row),
        "pagu": pagu,
        "realisasi_anggaran": budget_real,
        "capaian_anggaran": (budget_real / pagu * 100
                             if budget_real is not None and pagu else None),
        "realisasi_lalu": ctx.history.value(prev.code, row.code) if prev else None,
    }
    if "realisasi" in invalid:
        invalid.add("capaian")
    if invalid & {"realisasi_anggaran", "pagu"}:
        invalid.add("capaian_anggaran")
    return env, invalid


def _expression(ctx: _Ctx, rule: ExpressionRule) -> list[Issue]:
    parsed = rule.parsed
    names = parsed.names
    key = rule.column or next((_EXPR_COLUMNS[n] for n in names if n in _EXPR_COLUMNS),
                              "realisasi")
    out = []
    for row, code in ctx.rows_for(rule):
        env, invalid = _env(ctx, row)
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
            detail = "; ".join(f"{n} = {_num(env[n])}" for n in names if env.get(n) is not None)
            f = ctx.fields(row, key, ekspresi=parsed.text, detail=detail)
            out.append(ctx.issue(
                rule, row, code, key,
                "Syarat '{ekspresi}' tidak terpenuhi untuk indikator {kode} ({detail}).",
                "Periksa kembali nilai yang diisi.", f))
    return out


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


def _structure(ctx: _Ctx, rule: StructureRule) -> list[Issue]:
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
                want = f"{_num(snap.target_min)} - {_num(snap.target_max)}"
            else:
                changed = not _same(parse_number(raw).value, snap.target)
                want = _num(snap.target)
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


_CHECKS: dict[str, Check] = {
    "required": _required, "number": _number, "bounds": _bounds,
    "explanation": _explanation, "evidence": _evidence, "cumulative": _cumulative,
    "outlier": _outlier, "expression": _expression, "structure": _structure,
}


# --------------------------------------------------------------------------- evaluate


def evaluate(config: Config, sheet: SectionSheet,
             history: History | Mapping[str, Mapping[str, float]] | None = None) -> list[Issue]:
    """All issues of one section's sheet, confirmations applied, in sheet order.

    Pure: reads `sheet` only. Never raises on cell content: a check that fails unexpectedly
    becomes an info issue naming the rule, so the other rules still run."""
    issues, _values = _run(config, sheet, _history(sheet, history))
    return issues


HISTORY_RECORD = "history"  # meta record: earlier periods' values, captured at distribute


def _history(sheet: SectionSheet,
             given: History | Mapping[str, Mapping[str, float]] | None) -> History:
    """The history passed in, else the one distribute stored in the sheet's own meta: so
    validating costs no reads of earlier periods (the S + 1 call budget)."""
    if given is None:
        stored = sheet.meta.extra.get(HISTORY_RECORD)
        given = stored if isinstance(stored, Mapping) else None
    try:
        return History.coerce(given)
    except (AttributeError, TypeError, ValueError):  # a hand-edited, malformed record
        return History()


def _run(config: Config, sheet: SectionSheet,
         history: History) -> tuple[list[Issue], dict[str, Any]]:
    ctx = _Ctx(config, sheet, history)
    found: list[Issue] = []
    for rule in active_rules(config):
        if not rule.enabled or (rule.only_when_done and not ctx.done):
            continue
        try:
            found += _CHECKS[rule.kind](ctx, rule)
        except Exception as exc:  # a bug in one check must not hide the other findings
            found.append(Issue(
                section=sheet.section_id, rule=rule.id, severity=Severity.info,
                message=f"Aturan '{rule.id}' tidak dapat diperiksa ({type(exc).__name__}).",
                suggestion="Laporkan ke pengelola sheets-sync.",
                sheet=config.labels.sheet_worksheet, spreadsheet=sheet.file_name or None))
    issues: list[Issue] = []
    seen: set[str] = set()
    for issue in found:
        if issue.key in seen:
            continue  # two issues with one key could not be confirmed apart
        seen.add(issue.key)
        issues.append(_confirmed(issue, sheet, ctx.values.get(issue.key)))
    issues.sort(key=lambda i: (i.row or 0, _SEVERITY_ORDER[i.severity]))
    return issues, ctx.values


def subject_values(config: Config, sheet: SectionSheet,
                   history: History | Mapping[str, Mapping[str, float]] | None = None
                   ) -> tuple[list[Issue], dict[str, Any]]:
    """`evaluate`, plus the raw cell value each issue is about (by issue key): what a
    confirmation fingerprints."""
    return _run(config, sheet, _history(sheet, history))


def _confirmed(issue: Issue, sheet: SectionSheet, value: Any) -> Issue:
    if issue.severity is Severity.error:
        return issue  # errors are fixed by the section, not confirmed away
    record = sheet.meta.extra.get(CONFIRM_PREFIX + issue.key)
    if not isinstance(record, dict):
        return issue
    token = record.get("token")
    if token is not None and token != confirmation_token(issue, value):
        return issue  # the value changed since PEP confirmed it: check again
    who, when, note = (str(record.get(k) or "") for k in ("who", "when", "note"))
    text = f"Dikonfirmasi PEP ({who}, {when[:16].replace('T', ' ')})" + (f": {note}" if note
                                                                           else "")
    return issue.model_copy(update={"confirmed": True, "confirmation": text})


def blocking(issues: list[Issue]) -> list[Issue]:
    """Issues that keep a section from `Valid`: errors, and warnings not confirmed."""
    return [i for i in issues if i.severity is Severity.error
            or (i.severity is Severity.warning and not i.confirmed)]
