"""The domain's data: configuration, indicators, periods, entries and issues.

Pure pydantic models, no I/O. The config loader (`sheets_sync.config`) turns YAML into these;
flows and adapters only ever see these types.
"""

from __future__ import annotations

from collections import Counter
from datetime import timezone
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from sheets_sync.domain.averages import RekapSettings
from sheets_sync.domain.identifiers import ID_RE, Emails
from sheets_sync.domain.issues import Issue, Severity
from sheets_sync.domain.labels import Labels
from sheets_sync.domain.numbers import LIMIT, TOO_LARGE
from sheets_sync.domain.organisation import Consolidate, ConsolidateSource, Unit
from sheets_sync.domain.period import MONTHS_ID, Period, PeriodKind
from sheets_sync.domain.rules.spec import RuleList
from sheets_sync.domain.sop_settings import Opening, Sop, SopDurations
from sheets_sync.domain.timezones import parse_zone
from sheets_sync.domain.unit_tree import check_tree
from sheets_sync.settings.backend import Backend
from sheets_sync.settings.notify import NotifySettings
from sheets_sync.settings.strict import Strict

# The config's domain parts that live in their own modules (period, labels, issues, the SOP
# clock) stay importable from here. The backend's settings are imported from `settings`.
__all__ = ["MONTHS_ID", "Consolidate", "ConsolidateSource", "Issue", "Labels", "Opening", "Period",
           "PeriodKind", "Severity", "Sop", "SopDurations", "Strict", "Unit"]




# --------------------------------------------------------------------------- office, sections




class Office(Strict):
    name: str = "Sekretariat DPRD Provinsi Jambi"
    short_name: str = ""
    # The office's local time (WIB for Jambi): a time written with another zone in the config
    # is converted to it, and every deadline and hand-in time is shown in it.
    timezone: str = "WIB"
    pep_accounts: Emails = Field(
        default_factory=list, description="PEP / analyst accounts: editors of every workbook"
    )
    leadership_accounts: Emails = Field(
        default_factory=list, description="Leadership: readers of the recap"
    )

    # When set, every configured account must be in one of these domains (e.g. a Workspace
    # domain): a typo or a private address is refused before anything is shared.
    allowed_domains: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        if parse_zone(v) is None:
            raise ValueError(f"zona waktu '{v}' tidak dikenal; tulis WIB, WITA atau WIT "
                             "(atau selisih dari UTC, mis. +07:00)")
        return v.strip().upper()

    @property
    def tzinfo(self) -> timezone:
        zone = parse_zone(self.timezone)
        assert zone is not None  # checked on load
        return zone

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in v if d.strip()]


class Section(Strict):
    """A section (Bagian / Subbag / Seksi) that fills one worksheet per period."""

    id: str = Field(description="short lowercase id, e.g. 'umum' or 'keuangan'")
    name: str
    head: str = ""
    editors: Emails = Field(default_factory=list)
    unit: str | None = Field(default=None, description="id of the unit it belongs to (units:)")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(
                f"id '{v}' hanya boleh huruf kecil, angka, '-' dan '_' (contoh: keuangan)"
            )
        return v


# --------------------------------------------------------------------------- indicators


class Polarity(StrEnum):
    positive = "positif"  # higher is better
    negative = "negatif"  # lower is better
    range = "rentang"  # a target band [a, b]


class Aggregation(StrEnum):
    """How quarterly values roll up into the year (used by recap and the cumulative rule)."""

    sum = "sum"
    last = "last"
    avg = "avg"
    manual = "manual"


class Indicator(Strict):
    code: str
    section: str
    sasaran: str = ""
    name: str = Field(description="indikator kinerja")
    unit: str = ""
    target: float | None = None
    target_min: float | None = None
    target_max: float | None = None
    polarity: Polarity = Polarity.positive
    aggregation: Aggregation = Aggregation.last
    budget: float | None = Field(default=None, description="pagu anggaran (Rp)")
    # Optional targets per quarter (TW I-IV); without them every quarter uses `target`.
    target_tw1: float | None = None
    target_tw2: float | None = None
    target_tw3: float | None = None
    target_tw4: float | None = None
    # Set by Config for a quarterly period whose quarter has its own target: the yearly
    # target, while `target` holds the quarter's (what the section's sheet shows).
    annual_target: float | None = None

    def quarter_target(self, quarter: int) -> float | None:
        """The target of one quarter: `target_twN` when given, else the yearly target."""
        own = getattr(self, f"target_tw{quarter}")
        return own if own is not None else self.yearly_target

    @property
    def yearly_target(self) -> float | None:
        return self.annual_target if self.annual_target is not None else self.target

    @field_validator("target", "target_min", "target_max", "budget", "target_tw1", "target_tw2",
                     "target_tw3", "target_tw4")
    @classmethod
    def _not_negative(cls, v: float | None) -> float | None:
        if v is not None and not abs(v) < LIMIT:  # 1e308 would fail in every report
            raise ValueError(f"angka terlalu besar (tertulis {v:g}): {TOO_LARGE}; tulis "
                             "target atau pagu yang sebenarnya")
        if v is not None and v < 0:
            raise ValueError(f"tidak boleh negatif (tertulis {_num(v)}); untuk indikator yang "
                             "makin kecil makin baik tulis target positif dan polaritas 'negatif'")
        return v

    @model_validator(mode="after")
    def _target_fits_polarity(self) -> Indicator:
        if self.polarity is Polarity.range:
            if self.target_min is None or self.target_max is None:
                raise ValueError(
                    f"indikator {self.code}: polaritas 'rentang' butuh target_min dan target_max"
                )
            if self.target_min > self.target_max:
                raise ValueError(f"indikator {self.code}: target_min lebih besar dari target_max")
        elif self.target is None:
            raise ValueError(f"indikator {self.code}: target wajib diisi")
        return self

    @property
    def target_text(self) -> str:
        """How the target is shown on the sheet; ranges as '80 - 90'."""
        if self.polarity is Polarity.range:
            return f"{_num(self.target_min)} - {_num(self.target_max)}"
        return _num(self.target)


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


# --------------------------------------------------------------------------- rating


class RatingBand(Strict):
    min: float = Field(default=float("-inf"),
                       description="lowest capaian (%) of this band, inclusive; none = no floor")
    label: str


class RatingScheme(Strict):
    """Rating bands as data. A band runs from its `min` up to the next band's `min`."""

    name: str = "Evaluasi Renja"
    bands: list[RatingBand] = Field(
        default_factory=lambda: [
            RatingBand(min=91, label="Sangat Tinggi"),
            RatingBand(min=76, label="Tinggi"),
            RatingBand(min=66, label="Sedang"),
            RatingBand(min=51, label="Rendah"),
            RatingBand(min=float("-inf"), label="Sangat Rendah"),
        ]
    )

    @field_validator("bands")
    @classmethod
    def _sorted(cls, v: list[RatingBand]) -> list[RatingBand]:
        if not v:
            raise ValueError("skema predikat butuh paling sedikit satu rentang")
        # Refused rather than sorted: a list typed in the wrong order is usually a typo in a
        # 'min', and guessing would give leadership a wrong predikat.
        for upper, lower in pairwise(v):
            if lower.min >= upper.min:
                raise ValueError(
                    f"rentang predikat harus urut dari yang tertinggi: '{lower.label}' (min "
                    f"{_num(lower.min) if lower.min > float('-inf') else '-'}) tidak boleh di bawah "
                    f"'{upper.label}' (min {_num(upper.min) if upper.min > float('-inf') else '-'}); "
                    "urutkan min dari besar ke kecil, yang tanpa min paling akhir")
        return v


# --------------------------------------------------------------------------- reports


class Signatory(Strict):
    """Who signs the formal reports (the signature block under every export)."""

    place: str = "Jambi"
    position: str = ""
    name: str = ""
    nip: str = ""


class Reports(Strict):
    signatory: Signatory = Field(default_factory=Signatory)
    # The paper the office prints on: A4, or F4 (Folio, 215 x 330 mm), common in Indonesian
    # government offices. Every xlsx the service writes and every PDF report uses it.
    paper: Literal["A4", "F4"] = "A4"


CellValue = Annotated[Any, "a raw cell value: str, int, float, bool, datetime or None"]


# --------------------------------------------------------------------------- the whole config


class Config(Strict):
    """Everything one collection round needs. Loaded by `sheets_sync.config.load_config`."""

    office: Office = Field(default_factory=Office)
    period: Period
    opening: Opening = Field(default_factory=Opening)
    backend: Backend = Field(default_factory=Backend)
    sections: list[Section]
    # The organisation tree (optional): without it the office is a flat list of sections.
    units: list[Unit] = Field(default_factory=list)
    indicators_file: str | None = None  # CSV or .xlsx, relative to the config file
    indicators: list[Indicator] = Field(default_factory=list)
    _by_section: tuple[tuple[int, int], dict[str, list[Indicator]]] = PrivateAttr(
        default=((0, -1), {}))
    # Earlier periods' values the office already has (CSV: periode, kode, realisasi), for
    # the cumulative and outlier rules before sheets-sync has recaps of its own.
    history_file: str | None = None
    rating: RatingScheme = Field(default_factory=RatingScheme)
    # How the recap summarises: the cap on a capaian inside any mean (domain.averages).
    rekap: RekapSettings = Field(default_factory=RekapSettings)
    sop: Sop = Field(default_factory=Sop)
    labels: Labels = Field(default_factory=Labels)
    # Validation rules as data (see sheets_sync.domain.rules); None = the built-in default set.
    rules: RuleList | None = None
    reports: Reports = Field(default_factory=Reports)  # formal reports (sync export)
    # Reminders to sections, PEP and leadership (sheets_sync.notify); off unless enabled.
    notify: NotifySettings = Field(default_factory=NotifySettings)
    # Other offices' recaps rolled up here (sync consolidate); empty for an office.
    consolidate: Consolidate = Field(default_factory=Consolidate)

    @field_validator("period", mode="before")
    @classmethod
    def _parse_period(cls, v: Any) -> Any:
        return Period.parse(str(v)) if isinstance(v, (str, int)) else v

    @model_validator(mode="after")
    def _office_time(self) -> Config:
        """A disposition time written with a zone becomes the office's local time (naive, as
        every other time the service compares with)."""
        at = self.opening.disposition_at
        if at is not None and at.tzinfo is not None:
            local = at.astimezone(self.office.tzinfo).replace(tzinfo=None)
            object.__setattr__(self.opening, "disposition_at", local)
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        ids = [s.id for s in self.sections]
        dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
        if dupes:
            raise ValueError(f"id bagian ganda: {', '.join(dupes)}; setiap bagian butuh id sendiri")
        dupes = sorted(c for c, n in Counter(i.code for i in self.indicators).items() if n > 1)
        if dupes:
            raise ValueError(f"kode indikator ganda: {', '.join(dupes)}")
        if self.office.allowed_domains:
            _check_domains(self)
        if self.units or any(s.unit for s in self.sections):
            check_tree([(u.id, u.parent) for u in self.units],
                       [(s.id, s.unit) for s in self.sections])
        known = set(ids)
        for ind in self.indicators:
            if ind.section not in known:
                raise ValueError(
                    f"indikator {ind.code} menyebut bagian '{ind.section}' yang tidak ada di "
                    f"'sections' (yang ada: {', '.join(ids)})"
                )
            # a quarter with its own target: the sheet, the rules and the recap use it
            quarter = self.period.number if self.period.kind is PeriodKind.quarterly else 0
            own = getattr(ind, f"target_tw{quarter}") if quarter else None
            if own is not None and ind.annual_target is None and ind.polarity is not Polarity.range:
                ind.annual_target, ind.target = ind.target, own
        return self

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def indicators_of(self, section_id: str) -> list[Indicator]:
        # Indexed once (rebuilt if the list is replaced or grows): flows ask once per section,
        # and a scan of every indicator per call made them quadratic in S.
        key = (id(self.indicators), len(self.indicators))
        if self._by_section[0] != key:
            index: dict[str, list[Indicator]] = {}
            for i in self.indicators:
                index.setdefault(i.section, []).append(i)
            self._by_section = (key, index)
        return list(self._by_section[1].get(section_id, ()))


def _check_domains(config: Config) -> None:
    """office.allowed_domains: refuse any configured account outside them, naming it."""
    allowed = config.office.allowed_domains
    places = [("office.pep_accounts", config.office.pep_accounts),
              ("office.leadership_accounts", config.office.leadership_accounts)]
    places += [(f"sections[{s.id}].editors", s.editors) for s in config.sections]
    places += [(f"units[{u.id}].viewers", u.viewers) for u in config.units]
    for where, emails in places:
        for email in emails:
            domain = email.rsplit("@", 1)[-1].lower()
            if domain not in allowed:
                raise ValueError(
                    f"akun {email} di {where} berada di luar domain yang diizinkan "
                    f"(office.allowed_domains: {', '.join(allowed)}); perbaiki alamatnya "
                    "atau tambahkan domainnya bila memang disengaja")
