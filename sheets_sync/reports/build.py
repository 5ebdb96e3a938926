"""The formal reports built from the recap's rows (the same figures as the recap workbook).
Pure: a `Recap` (with quarters attached for a quarterly period) in, a `Report` out.

- `pengukuran`: Laporan Pengukuran Kinerja (PermenPAN-RB 53/2014), grouped by sasaran;
- `renja`: Evaluasi terhadap hasil Renja Perangkat Daerah (Permendagri 86/2017, form E.81):
  per quarter TW I-IV kinerja (K) and anggaran (Rp), the year to date and its capaian, the
  Renstra columns (blank: the office keeps no Renstra data), faktor and tindak lanjut below;
- `rekap`: the per-section summary leadership reads, with the capaian chart, and the units'
  roll-up under it when the config has `units:` (`units.py`).

Each takes a `scope.Scope`: with `--unit` the recap arrives limited to the unit's subtree,
and the frame names the unit and its head signs. The Tren report is `tren.py`.

A value that does not count (an open error, an implausible value: `RecapRow.counts`) is shown
but marked `tidak dihitung` with its reason, and has no predikat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sheets_sync.domain import glossary
from sheets_sync.domain.capaian import NOT_COMPUTABLE, rate
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import MONTHS_ID, Config, Indicator, PeriodKind, Polarity, Severity
from sheets_sync.domain.numbers import format_number
from sheets_sync.domain.presentation import band_styles
from sheets_sync.domain.quarters import (
    MISSING,
    QUARTERS,
    ROMAN,
    mean_ytd_capaian,
    quarter_label,
    ytd_rating,
)
from sheets_sync.domain.recap import Recap, RecapRow, SectionSummary
from sheets_sync.reports.model import BarChart, Cell, Column, Kind, Report, Row
from sheets_sync.reports.scope import OFFICE, Scope, signatory
from sheets_sync.reports.units import unit_rows

NOT_COUNTED = "tidak dihitung"
MISSING_MARK = "–"  # how the PDF prints a quarter without data (narrow columns)
NO_SASARAN = "(tanpa sasaran)"
AGGREGATION_ID = {"sum": "jumlah", "last": "terakhir", "avg": "rata-rata", "manual": "manual"}


def frame(config: Config, key: str, title: str, today: date, columns: list[Column],
           scope: Scope = OFFICE) -> Report:
    o = config.opening
    letter = ""
    if o.letter_number:
        letter = f"Dasar: Surat Sekda Nomor {o.letter_number}" + (
            f" tanggal {o.letter_date.day} {MONTHS_ID[o.letter_date.month - 1]} {o.letter_date.year}"
            if o.letter_date else "")
    return Report(key=key, title=title, office=config.office.name,
                  period_label=config.period.label, letter=letter, made_on=today,
                  columns=columns, signatory=signatory(config, scope),
                  paper=config.reports.paper, bands=band_styles(config.rating),
                  unit=scope.unit.name if scope.unit else "")


def _by_sasaran(rows: list[RecapRow]) -> list[tuple[str, list[RecapRow]]]:
    groups: dict[str, list[RecapRow]] = {}
    for r in rows:
        groups.setdefault(r.sasaran or NO_SASARAN, []).append(r)
    return list(groups.items())


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _capaian(value: float | None) -> Cell:
    return NOT_COMPUTABLE if value is None else value


def _rating(r: RecapRow) -> str:
    if r.capaian is None:
        return NOT_COMPUTABLE  # nothing to count: saying "not counted" as well is noise
    return r.rating if r.counts else NOT_COUNTED


def _not_counted(r: RecapRow) -> str:
    """`tidak dihitung: <why>` for a value shown but not counted; empty when it counts."""
    if r.counts or r.capaian is None:
        return ""
    why = r.not_counted_reason.strip().rstrip(".") if r.not_counted_reason else ""
    return f"{NOT_COUNTED}: {why}" if why else NOT_COUNTED


def _remark(r: RecapRow) -> str:
    text = "" if r.keterangan is None else str(r.keterangan).strip()
    why = _not_counted(r)
    return f"{why}. {text}" if why and text else (why or text)


def _typed(v: object) -> Cell:
    if v is None or isinstance(v, (str, int, float)):
        return v  # type: ignore[return-value]
    return str(v)


# --------------------------------------------------------------------------- pengukuran


def pengukuran(config: Config, recap: Recap, today: date, scope: Scope = OFFICE) -> Report:
    budget = any(r.budget for r in recap.rows)
    columns = [Column("No", 3, key="no"), Column("Sasaran", 14, key="sasaran"),
               Column("Kode", 7.5, key="kode"), Column("Indikator Kinerja", 18, key="indikator"),
               Column("Satuan", 6.5, key="satuan"), Column("Target", 6, "number", "target"),
               Column("Realisasi", 6.5, "number", "realisasi"),
               Column("Capaian (%)", 6, "percent", "capaian"),
               Column("Predikat", 8.5, key="predikat", banded=True)]
    if budget:
        columns += [Column("Pagu (Rp)", 9, "money", "pagu"),
                    Column("Realisasi Anggaran (Rp)", 9, "money", "realisasi_anggaran"),
                    Column("Capaian Anggaran (%)", 6.5, "percent", "capaian_anggaran")]
    columns.append(Column("Keterangan", 14, key="keterangan"))
    report = frame(config, "pengukuran", "LAPORAN PENGUKURAN KINERJA", today, columns, scope)
    report.abbreviations = {NOT_COMPUTABLE: MISSING_MARK}
    n = 0
    for g, (sasaran, rows) in enumerate(_by_sasaran(recap.rows), start=1):
        report.rows.append(Row([_roman(g), sasaran, *[None] * (len(columns) - 2)], heading=True))
        for r in rows:
            n += 1
            cells: list[Cell] = [n, r.sasaran or None, r.code, r.indicator, r.unit, _typed(r.target),
                                 _typed(r.realisasi), _capaian(r.capaian), _rating(r)]
            if budget:
                cells += [r.budget, _typed(r.budget_real), r.budget_capaian]
            cells.append(_remark(r))
            report.rows.append(Row(cells, rating=_rating(r)))
    skipped = sum(not r.counts and r.capaian is not None for r in recap.rows)
    report.notes = [
        "Capaian dihitung dari realisasi (R) terhadap target (T) yang ditetapkan: polaritas "
        "positif R/T x 100; negatif (2T - R)/T x 100, paling kecil 0; rentang [a, b] 100 di "
        "dalam rentang, di bawahnya R/a x 100, di atasnya (2b - R)/b x 100, paling kecil 0. "
        f"Capaian '{NOT_COMPUTABLE}' (di PDF: {MISSING_MARK}): realisasi kosong atau bukan "
        "angka, atau target 0.",
        f"Predikat menurut skema {config.rating.name}: "
        + "; ".join(f"{b.label} >= {b.min:g}" if b.min != float("-inf") else b.label
                    for b in config.rating.bands) + ".",
    ]
    if skipped:
        report.notes.append(f"{skipped} nilai ditampilkan tetapi {NOT_COUNTED} dalam rata-rata "
                            "dan predikat (alasannya di kolom Keterangan).")
    return report


# --------------------------------------------------------------------------- renja


def _target_year(ind: Indicator | None, r: RecapRow) -> Cell:
    if ind is None or ind.polarity is Polarity.range:
        return _typed(r.target)
    return ind.yearly_target


def _pair(group: str, k_key: str, rp_key: str, k_kind: Kind = "number",
          rp_kind: Kind = "money", *, blank: bool = False) -> list[Column]:
    """A form E.81 column pair: kinerja (K) and anggaran (Rp) under one heading; `blank`
    (Renstra: data the office does not keep) makes them narrow."""
    k, rp = (3.0, 3.5) if blank else (5.0, 7.5 if rp_kind == "money" else 5.0)
    return [Column("K", k, k_kind, k_key, group=group),
            Column("Rp", rp, rp_kind, rp_key, group=group)]


def _renja_remark(r: RecapRow, rating: str, current: int) -> str:
    """Keterangan: the year-to-date predikat (or why there is none), the quarters' note and
    the section's own note."""
    parts = []
    not_counted = _not_counted(r)
    if not_counted:
        parts.append(f"{quarter_label(current)} {not_counted}")
    elif rating != NOT_COMPUTABLE:
        parts.append(f"Predikat s.d. {quarter_label(current)}: {rating}")
    if r.quarters and r.quarters.note:
        parts.append(r.quarters.note)
    own = "" if r.keterangan is None else str(r.keterangan).strip()
    if own:
        parts.append(f"Bagian: {own}")
    # each part a sentence of its own: "... Sangat Tinggi. Tanpa TW I ..."
    return ". ".join(p[:1].upper() + p[1:].rstrip(".") for p in parts)


def _faktor(rows: list[RecapRow], reached: bool) -> str:
    """The sections' own notes on the indicators that reached (or missed) their target s.d.
    triwulan: the raw material for the evaluator's faktor pendorong / penghambat."""
    picked = []
    for r in rows:
        value = r.quarters.ytd_capaian if r.quarters else None
        own = "" if r.keterangan is None else str(r.keterangan).strip()
        if own and reached == (value is not None and value >= 100):
            shown = NOT_COMPUTABLE if value is None else f"{format_number(value, 2)} %"
            picked.append(f"{r.code} ({shown}): {own.rstrip('.')}")
    return ". ".join(picked) + "." if picked else ""


def renja(config: Config, recap: Recap, today: date, scope: Scope = OFFICE) -> Report:
    """Evaluasi terhadap hasil Renja Perangkat Daerah (Permendagri 86/2017, form E.81)."""
    if config.period.kind is not PeriodKind.quarterly:
        raise UsageProblem(f"laporan renja dibuat per triwulan; periode {config.period.code} "
                           "bukan triwulan (tulis mis. period: 2026-TW3).")
    current, year = config.period.number, config.period.year
    tw = quarter_label(current)
    columns = [Column("No", 2.5, key="no"), Column("Sasaran", 11, key="sasaran"),
               Column("Kode", 5, key="kode"), Column("Indikator Kinerja", 15, key="indikator"),
               Column("Satuan", 5.5, key="satuan")]
    columns += _pair("Target Renstra (akhir periode)", "renstra_target", "renstra_pagu",
                     blank=True)
    columns += _pair(f"Realisasi Renstra s.d. {year - 1}", "renstra_lalu", "renstra_lalu_rp",
                     blank=True)
    columns += _pair(f"Target Renja {year}", "target_tahun", "pagu")
    for q in QUARTERS:
        columns += _pair(f"Realisasi TW {ROMAN[q]}", f"tw{q}", f"anggaran_tw{q}")
    columns += _pair(f"Realisasi s.d. {tw}", "realisasi_sd", "anggaran_sd")
    columns += _pair("Capaian Renja (%)", "capaian_sd", "capaian_anggaran", "percent", "percent")
    columns[-2] = Column("K", 5, "percent", "capaian_sd", group="Capaian Renja (%)", banded=True)
    columns += _pair(f"Realisasi Renstra s.d. {year}", "renstra_sd", "renstra_sd_rp",
                     blank=True)
    columns += _pair("Capaian Renstra (%)", "renstra_capaian", "renstra_capaian_rp",
                     "percent", "percent", blank=True)
    columns += [Column("Unit Penanggung Jawab", 9, key="unit_kerja"),
                Column("Keterangan", 30, key="keterangan")]
    report = frame(config, "renja", "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH", today,
                    columns, scope)
    report.abbreviations = {MISSING: MISSING_MARK, NOT_COMPUTABLE: MISSING_MARK}
    report.numbered = True
    by_code = {i.code: i for i in config.indicators}
    n = 0
    for sasaran, rows in _by_sasaran(recap.rows):
        for first, r in enumerate(rows):
            n += 1
            ind, q = by_code.get(r.code), r.quarters
            rating = NOT_COUNTED if _not_counted(r) else ytd_rating(q, config.rating)
            cells: list[Cell] = [n, sasaran if first == 0 else None, r.code, r.indicator,
                                 r.unit, None, None, None, None, _target_year(ind, r), r.budget]
            for t in QUARTERS:
                cells += [q.cell(t) if q else None,
                          q.budget.get(t) if q and t <= current else None]
            cells += [q.ytd if q else None, q.budget_ytd if q else None,
                      NOT_COMPUTABLE if q is None or q.ytd_capaian is None else q.ytd_capaian,
                      q.budget_capaian if q else None, None, None, None, None,
                      r.section_name, _renja_remark(r, rating, current)]
            report.rows.append(Row(cells, rating=rating))
    mean = mean_ytd_capaian([r.quarters for r in recap.rows if r.counts])
    none = "(tidak ada keterangan bagian)"
    report.summary = [
        ("Rata-rata capaian kinerja (%)", NOT_COMPUTABLE if mean is None else mean),
        ("Predikat kinerja", NOT_COMPUTABLE if mean is None else rate(mean, config.rating)),
        ("Faktor pendorong keberhasilan pencapaian",
         _faktor(recap.rows, reached=True) or none),
        ("Faktor penghambat pencapaian kinerja", _faktor(recap.rows, reached=False) or none),
        ("Tindak lanjut yang diperlukan dalam triwulan berikutnya" if current < 4 else
         "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya",
         "(diisi oleh evaluator)"),
    ]
    report.notes = [
        "Bentuk: Permendagri 86/2017, formulir E.81. K = kinerja (realisasi indikator), "
        "Rp = anggaran (pagu dan realisasi anggaran yang diisi bagian).",
        "Kolom Renstra (target akhir periode, realisasi s.d. tahun lalu dan s.d. tahun ini, "
        "capaiannya) dikosongkan: data Renstra tidak dikelola di sini; isi dari dokumen "
        "Renstra Perangkat Daerah.",
        f"Triwulan sesudah {tw} belum berjalan dan dikosongkan; '{MISSING}' (di PDF: "
        f"{MISSING_MARK}) = triwulan itu tidak punya data: tidak dihitung sebagai 0.",
        "Realisasi s.d. triwulan menurut agregasi indikator: jumlah (dijumlahkan, semua "
        "triwulan harus ada), terakhir (triwulan terakhir yang dilaporkan), rata-rata (rata-rata "
        "triwulan yang dilaporkan), manual (diisi bagian pada triwulan berjalan).",
        "Capaian Renja (K) dihitung terhadap target s.d. triwulan: target tahunan, atau bila ada "
        "target per triwulan: jumlahnya (agregasi jumlah), rata-ratanya (rata-rata), atau "
        f"target triwulan berjalan. Capaian '{NOT_COMPUTABLE}' (di PDF: {MISSING_MARK}): "
        "realisasi s.d. triwulan tidak ada. Capaian Rp: realisasi anggaran s.d. triwulan "
        "terhadap pagu.",
    ]
    return report


# --------------------------------------------------------------------------- rekap


def rekap(config: Config, recap: Recap, today: date, scope: Scope = OFFICE) -> Report:
    columns = [Column("No", 3, key="no"), Column("Kode", 8, key="kode"),
               Column("Bagian", 24, key="bagian"), Column("Status", 9, key="status"),
               Column("Terisi", 6, key="terisi"),
               Column("Indikator Terisi (%)", 7, "percent", "kelengkapan"),
               Column(glossary.ON_TIME, 7, key="tepat_waktu"),
               Column(glossary.SEVERITY[Severity.error], 5, "number", "error"),
               Column("Peringatan", 6, "number", "peringatan"),
               Column("Rata-rata Capaian (%)", 8, "percent", "capaian"),
               Column("Predikat", 8, key="predikat", banded=True)]
    report = frame(config, "rekap", "REKAPITULASI DATA KINERJA", today, columns, scope)
    for n, s in enumerate(recap.summaries, start=1):
        share = round(s.filled / s.total * 100, 1) if s.total else None
        report.rows.append(Row([n, s.section, s.name, s.status, f"{s.filled}/{s.total}", share,
                                _on_time(s), s.errors, s.warnings,
                                s.mean_capaian, s.rating], rating=s.rating))
    report.chart = BarChart("Rata-rata capaian per bagian (%)",
                            [s.section for s in recap.summaries],
                            [s.mean_capaian for s in recap.summaries])
    report.notes = ["Rata-rata capaian hanya dari nilai yang dihitung (nilai dengan kesalahan "
                    "terbuka atau yang tidak wajar tidak dihitung).",
                    "Tepat waktu: 'Ya' atau 'Tidak' menurut saat bagian pertama kali menyerahkan "
                    "(status Selesai); 'belum diserahkan' selama batas waktu belum lewat."]
    unit_rows(config, recap, scope, report)
    return report


def _on_time(s: SectionSummary) -> str:
    """On time is judged from the first hand-in, never from the state now (issue 7)."""
    t = s.timeliness
    if t is not None and t.handed_in_at is not None:
        return glossary.yes_no(t.on_time)
    return glossary.NO if s.late else "belum diserahkan"


REPORTS: dict[str, Callable[[Config, Recap, date, Scope], Report]] = {
    "pengukuran": pengukuran, "renja": renja, "rekap": rekap}
