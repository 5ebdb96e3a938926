"""The consolidated recap (SOP step 5), computed from what the sections typed. Pure.

`build_recap` turns parsed section sheets + validation issues into rows and summaries;
`recap_layout.recap_patch` lays them out as the recap workbook (Ringkasan, Rekap Indikator,
Validasi, Jadwal SOP, Audit). Capaian is always computed here from realisasi and the *configured*
target; the sheet's own formula is never trusted.

Which values count (`counting`): a capaian enters a section's average and gets a predikat only
when it could be computed, its indicator has no open error, and no unconfirmed plausibility
finding. Every other value is still shown, with the reason it does not count.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sheets_sync.domain import averages, glossary
from sheets_sync.domain import capaian as cap
from sheets_sync.domain.handin import (
    Completeness,
    Timeliness,
    completeness,
    judge,
    submitted_statuses,
    timeliness_json,
)
from sheets_sync.domain.models import Config, Issue, Labels, Polarity, Severity
from sheets_sync.domain.numbers import LIMIT, is_percent_unit, parse_number
from sheets_sync.domain.patch import Value
from sheets_sync.domain.quarters import QuarterFigures
from sheets_sync.domain.worksheet import SectionSheet

SHEET_SUMMARY = "Ringkasan"
SHEET_INDICATORS = "Rekap Indikator"
SHEET_ISSUES = "Validasi"
SHEET_SCHEDULE = "Jadwal SOP"
SHEET_AUDIT = "Audit"
# hidden: the typed values the next recap's audit compares against (section, code and the
# AUDITED columns): read instead of the whole Rekap Indikator, a fifth of its cells
SHEET_AUDIT_VALUES = "_nilai"
SHEET_AUDITED = "_audit"  # hidden: per section, the last review record in Audit; its hand-in
RECAP_SHEETS = (SHEET_SUMMARY, SHEET_INDICATORS, SHEET_ISSUES, SHEET_SCHEDULE, SHEET_AUDIT)

INDICATOR_HEADERS = ("Periode", "Kode Bagian", "Bagian", "Kode", "Sasaran", "Indikator Kinerja",
                     "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat", "Keterangan",
                     "Bukti Dukung", "Pagu (Rp)", "Realisasi Anggaran (Rp)",
                     "Capaian Anggaran (%)", "Status Bagian", "Dihitung",
                     "Alasan Tidak Dihitung")
SUMMARY_HEADERS = ("Kode Bagian", "Bagian", "Kepala", "Status", "Terisi", "Jumlah Indikator",
                   "Terlambat", "Kesalahan", "Peringatan", "Rata-rata Capaian (%)", "Predikat",
                   "Perubahan Terakhir", "Tautan", "Diserahkan Pada", "Tepat Waktu",
                   "Indikator Terisi (%)")
ISSUE_HEADERS = ("Bagian", "Tingkat", "Sel", "Indikator", "Kolom", "Pesan", "Saran Perbaikan",
                 "Status")
SCHEDULE_HEADERS = ("Langkah", "Kegiatan", "Pelaksana", "Mutu Baku", "Batas Waktu",
                    "Keadaan")
SEVERITY_ID = glossary.SEVERITY  # the words the sections' own Validasi sheets use
# The typed columns the audit follows, as (column key, recap header).
AUDITED = (("realisasi", "Realisasi"), ("keterangan", "Keterangan"), ("bukti", "Bukti Dukung"),
           ("budget_real", "Realisasi Anggaran (Rp)"))


@dataclass
class RecapRow:
    section: str
    section_name: str
    code: str
    sasaran: str
    indicator: str
    unit: str
    target: str | float | None
    realisasi: Value  # a number when it parses, else the text as typed
    capaian: float | None
    rating: str
    keterangan: Value
    bukti: Value
    budget: float | None
    budget_real: Value
    budget_capaian: float | None
    status: str
    counts: bool = False  # enters the section's average and has a predikat
    not_counted_reason: str = ""  # why not (Indonesian), empty when it counts
    quarters: QuarterFigures | None = None  # TW I-IV and year to date (quarterly periods)
    capped: bool = False  # counts in its section's mean at rekap.batas_capaian, not as shown
    cap_note: str = ""  # said so where the reason column is (the typed Keterangan is theirs)

    def as_row(self, period: str) -> list[Value]:
        row: list[Value] = [
            period, self.section, self.section_name, self.code, self.sasaran,
            self.indicator, self.unit, self.target, self.realisasi, self.capaian,
            self.rating, self.keterangan, self.bukti, self.budget, self.budget_real,
            self.budget_capaian, self.status, "Ya" if self.counts else "Tidak",
            self.not_counted_reason or self.cap_note]
        return row + self.quarters.as_cells() if self.quarters else row

    def as_json(self) -> dict[str, Any]:
        out = {"section": self.section, "indicator": self.code, "target": self.target,
               "realisasi": self.realisasi, "capaian": self.capaian, "rating": self.rating,
               "counts": self.counts, "not_counted_reason": self.not_counted_reason or None,
               "capped": self.capped, "cap_note": self.cap_note or None}
        return {**out, **self.quarters.as_json()} if self.quarters else out


@dataclass
class SectionSummary:
    section: str
    name: str
    head: str
    status: str
    filled: int
    total: int
    late: bool
    errors: int
    warnings: int
    mean_capaian: float | None
    rating: str
    modified: datetime | None
    url: str
    distributed: bool
    counted: int = 0  # values in `mean_capaian`
    timeliness: Timeliness | None = None  # hand-in time, on time / late (domain.handin)
    capped: int = 0  # values in `mean_capaian` counted at the cap (domain.averages)
    no_mean_reason: str = ""  # why there is no mean and no predikat (Indonesian)


def section_json(s: SectionSummary) -> dict[str, Any]:
    """One section as `sync recap --format json` prints it (the one place to add a field)."""
    timely = (timeliness_json(s.timeliness) if s.timeliness is not None
              else {"handed_in_at": None, "on_time": None, "late": s.late})
    return {"section": s.section, "name": s.name, "state": s.status, "filled": s.filled,
            "total": s.total, "late": s.late, "errors": s.errors, "warnings": s.warnings,
            "counted": s.counted, "capped": s.capped, "mean_capaian": s.mean_capaian,
            "rating": s.rating or None, "no_mean_reason": s.no_mean_reason or None, **timely}


def office_mean(config: Config, summaries: list[SectionSummary]) -> averages.Mean:
    """The office's mean capaian: over the sections that have a mean (handed in, something
    counted), each already capped; `count` says how many sections it covers."""
    return averages.mean_of((s.mean_capaian for s in summaries if s.mean_capaian is not None),
                            config.rekap.batas_capaian)


def office_json(config: Config, summaries: list[SectionSummary]) -> dict[str, Any]:
    m = office_mean(config, summaries)
    return {"mean_capaian": m.value, "rating": cap.rate(m.value, config.rating) or None,
            "sections_counted": m.count, "sections_total": len(summaries),
            "cap": config.rekap.batas_capaian}


@dataclass
class Recap:
    rows: list[RecapRow] = field(default_factory=list)
    summaries: list[SectionSummary] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    office: dict[str, Any] = field(default_factory=dict)  # office_json, set by build_recap
    units: list[dict[str, Any]] = field(default_factory=list)  # the roll-up (domain.units)

    def as_json(self) -> dict[str, Any]:
        out = {"sections": [section_json(s) for s in self.summaries],
               "office": self.office,
               "rows": [r.as_json() for r in self.rows],
               "completeness": self.completeness.as_json()}
        return {**out, "units": self.units} if self.units else out

    @property
    def completeness(self) -> Completeness:
        return completeness(s.timeliness or judge(None, None, datetime.min)
                            for s in self.summaries)


def implausibility_rules(config: Config) -> set[str]:
    """Ids of the rules whose open (unconfirmed) finding means "this value is not believed":
    the plausibility rules, and outlier rules set to warning or error."""
    from sheets_sync.domain.rules import active_rules

    return {r.id for r in active_rules(config)
            if r.kind == "plausibility" or (r.kind == "outlier" and r.severity != "info")}


def counting(c: cap.Capaian, issues: list[Issue], implausible: set[str],
             labels: Labels) -> tuple[bool, str]:
    """Whether a capaian counts (average, predikat), and if not, why (Indonesian).

    `issues` are its indicator's. An open error counts against the value unless it is about
    the budget columns (they have their own capaian); an unconfirmed plausibility finding
    too, whatever the Keterangan says."""
    if c.value is None:
        return False, c.reason or cap.NOT_COMPUTABLE
    budget = {labels.col_budget, labels.col_budget_real, labels.col_budget_capaian}
    for i in issues:
        if i.severity is Severity.error and i.column not in budget:
            return False, f"ada kesalahan terbuka: {i.message}"
    for i in issues:
        if i.rule in implausible and not i.confirmed and i.severity is not Severity.info:
            return False, f"nilai tidak wajar, belum dikonfirmasi PEP: {i.message}"
    return True, ""


_DIGIT = re.compile(r"\d")


def typed_value(raw: Any, *, percent_unit: bool = False) -> Value:
    """A typed cell as the recap stores it: the number when it parses unambiguously, the text
    as typed otherwise."""
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):  # an absurd number (1e308) is shown as typed, not used
        return raw if abs(raw) < LIMIT else f"{raw:g}"
    text = str(raw).strip()
    if not text:
        return None
    if not _DIGIT.search(text):  # an explanation, a link: no number to parse
        return text
    parsed = parse_number(text, percent_unit=percent_unit)
    return parsed.value if parsed.ok else text


def is_late(config: Config, status: str, deadline: datetime | None, now: datetime) -> bool:
    labels = config.labels
    submitted = {labels.status_done, labels.status_confirm, labels.status_valid,
                 labels.status_approved}
    return deadline is not None and now > deadline and status not in submitted


def build_recap(config: Config, sheets: dict[str, SectionSheet], issues: list[Issue],
                deadline: datetime | None, now: datetime,
                timeliness: dict[str, Timeliness] | None = None,
                unreadable: Collection[str] = ()) -> Recap:
    """`unreadable`: sections whose workbook exists but could not be read this run (damaged,
    open): said so, never shown as not distributed."""
    recap = Recap(issues=issues)
    limit = config.rekap.batas_capaian
    handed_in = submitted_statuses(config.labels)
    implausible = implausibility_rules(config)
    by_indicator: dict[tuple[str, str | None], list[Issue]] = {}
    for issue in issues:
        by_indicator.setdefault((issue.section, issue.indicator), []).append(issue)
    for section in config.sections:
        sheet = sheets.get(section.id)
        status = sheet.status if sheet else (
            glossary.UNREADABLE if section.id in unreadable else glossary.NOT_DISTRIBUTED)
        capaians: list[float] = []
        filled = 0
        # one index per section: a search of the rows per indicator was quadratic in I
        entries = {r.code: r for r in reversed(sheet.rows)} if sheet else {}
        for ind in config.indicators_of(section.id):
            entry = entries.get(ind.code)
            cells = entry.cells if entry else {}
            raw = cells.get("realisasi")
            c = cap.for_indicator(ind, raw)
            realisasi = typed_value(raw, percent_unit=is_percent_unit(ind.unit))
            if realisasi is not None:
                filled += 1
            counts, why = counting(c, by_indicator.get((section.id, ind.code), []),
                                   implausible, config.labels)
            if counts and status not in handed_in:
                # a draft, not a figure: no predikat, and nothing in any count or band
                counts, why = False, f"belum diserahkan (status: {status})"
            was_capped = False
            if counts and c.value is not None:
                capaians.append(c.value)
                was_capped = averages.capped(c.value, limit)[1]
            budget_real = typed_value(cells.get("budget_real"))
            budget_c = None
            if ind.budget and isinstance(budget_real, (int, float)):
                budget_c = round(budget_real / ind.budget * 100, 2)
            recap.rows.append(RecapRow(
                section=section.id, section_name=section.name, code=ind.code,
                sasaran=ind.sasaran, indicator=ind.name, unit=ind.unit,
                target=ind.target_text if ind.polarity is Polarity.range else ind.target,
                realisasi=realisasi, capaian=c.value,
                rating=cap.rate(c.value, config.rating) if counts else "",
                keterangan=typed_value(cells.get("keterangan")),
                bukti=typed_value(cells.get("bukti")), budget=ind.budget,
                budget_real=budget_real, budget_capaian=budget_c, status=status,
                counts=counts, not_counted_reason=why, capped=was_capped,
                cap_note=averages.cap_note(limit) if was_capped and limit else "",
            ))
        mine = [i for i in issues if i.section == section.id and not i.confirmed]
        # a section that has not handed in has drafts, not figures: no mean, no predikat
        mean = (averages.mean_of(capaians, limit) if status in handed_in
                else averages.Mean(None, 0))
        no_mean = ("" if mean.value is not None else
                   f"belum diserahkan (status: {status})" if status not in handed_in
                   else "tidak ada nilai yang dihitung")
        t = (timeliness or {}).get(section.id)
        recap.summaries.append(SectionSummary(
            section=section.id, name=section.name, head=section.head, status=status,
            filled=filled, total=len(config.indicators_of(section.id)),
            late=t.late if t else is_late(config, status, deadline, now),
            errors=sum(i.severity is Severity.error for i in mine),
            warnings=sum(i.severity is Severity.warning for i in mine),
            mean_capaian=mean.value, rating=cap.rate(mean.value, config.rating),
            modified=sheet.modified if sheet else None, url=sheet.url if sheet else "",
            distributed=sheet is not None, counted=mean.count, timeliness=t,
            capped=mean.capped, no_mean_reason=no_mean,
        ))
    recap.office = office_json(config, recap.summaries)
    return recap


def completeness_facts(rates: Completeness) -> list[tuple[str, Value]]:
    """The Ringkasan lines for completeness and timeliness, as DHIS2 reports them."""
    return [(glossary.EXPECTED, rates.expected), (glossary.HANDED_IN, rates.handed_in),
            (glossary.HANDED_IN_ON_TIME, rates.on_time),
            (glossary.COMPLETENESS, rates.completeness_rate),
            (glossary.TIMELINESS, rates.timeliness_rate)]


def timeliness_cells(t: Timeliness | None) -> list[Value]:
    if t is None or t.handed_in_at is None:
        return ["", ""]
    return [t.handed_in_at.isoformat(sep=" ", timespec="minutes"),
            glossary.yes_no(t.on_time)]


def previous_values(grid: list[list[Any]] | None) -> dict[tuple[str, str, str], Any]:
    """Last seen typed values from an existing recap's `_nilai` sheet (or, written by an
    older version, its Rekap Indikator sheet), for the audit."""
    if not grid or len(grid) < 2:
        return {}
    header = [str(h) for h in grid[0]]
    idx = {h: i for i, h in enumerate(header)}
    if "Kode Bagian" not in idx or "Kode" not in idx:
        return {}
    out = {}
    for row in grid[1:]:
        cells = [*row, *([None] * len(header))]
        section, code = cells[idx["Kode Bagian"]], cells[idx["Kode"]]
        for key, title in AUDITED:
            if title in idx:
                # stored as the recap wrote it (numbers as numbers, text as text): not re-parsed
                value = cells[idx[title]]
                out[(str(section), str(code), key)] = None if value == "" else value
    return out


def audit_values_rows(recap: Recap) -> list[list[Value]]:
    """The `_nilai` sheet's rows: a header `previous_values` reads by its titles, then each
    row's section, code and AUDITED values as the recap shows them."""
    rows: list[list[Value]] = [["Kode Bagian", "Kode", *(title for _key, title in AUDITED)]]
    rows += [[r.section, r.code, *(getattr(r, key) for key, _title in AUDITED)]
             for r in recap.rows]
    return rows


def current_values(recap: Recap) -> dict[tuple[str, str, str], Any]:
    out = {}
    for r in recap.rows:
        for key, _title in AUDITED:
            out[(r.section, r.code, key)] = getattr(r, key)
    return out


NO_MEAN = "—"  # no mean: nothing counts yet, or the section has not handed in


def audited_records(grid: list[list[Any]] | None) -> dict[str, str]:
    """Section -> last review record already audited, from the hidden `_audit` sheet."""
    return {str(r[0]): str(r[1]) for r in (grid or []) if len(r) >= 2 and r[0] and r[1]}
