"""What every check needs about one section's sheet, computed once, and the small helpers
that turn a finding into an Issue with a message in plain Indonesian."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sheets_sync.domain import capaian as capaian_mod
from sheets_sync.domain.models import Config, Indicator, Issue, Polarity, Severity
from sheets_sync.domain.numbers import (
    ParsedNumber,
    format_number,
    is_percent_unit,
    parse_number,
    unit_mismatch,
)
from sheets_sync.domain.patch import a1
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.rules.spec import RuleSpec, Scope
from sheets_sync.domain.worksheet import EntryRow, SectionSheet, column_label


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


def shown_number(v: float | None) -> str:
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


class RuleContext:
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
        # Every rule family asks the same things of a row: answered once per row (an
        # 80 x 80 office asks each of them four to six times).
        self._numbers: dict[tuple[int, str], ParsedNumber] = {}
        self._units: dict[int, str] = {}
        self._capaian: dict[int, float | None] = {}
        self._scoped: dict[str, list[tuple[EntryRow, str | None]]] = {}
        self.values: dict[str, Any] = {}  # issue key -> the raw value it is about

    def unit(self, row: EntryRow) -> str:
        unit = self._units.get(row.row)
        if unit is None:
            ind = self.indicators.get(row.code)
            snap = self.snapshot.get(row.code) if ind is None else None
            unit = ind.unit if ind is not None else (
                snap.unit if snap else str(row.cells.get("unit") or ""))
            self._units[row.row] = unit
        return unit

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
        if row.row not in self._capaian:
            self._capaian[row.row] = self._compute_capaian(row)
        return self._capaian[row.row]

    def _compute_capaian(self, row: EntryRow) -> float | None:
        t = self.target(row.code)
        n = self.number(row, "realisasi")
        if t is None or n.value is None:
            return None
        if unit_mismatch(self.unit(row), percent=n.percent, currency=n.currency):
            return None  # typed in another unit: its capaian means nothing to judge
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
        key = repr(rule.scope)  # most rules share one scope (all rows)
        scoped = self._scoped.get(key)
        if scoped is None:
            scoped = [(row, code) for row, code in self.rows if self.in_scope(rule.scope, row)]
            self._scoped[key] = scoped
        return iter(scoped)

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


Check = Callable[[RuleContext, Any], list[Issue]]  # one rule family: (context, rule) -> issues
