"""PEP's review of a section (SOP step 4), as pure functions: service records on the meta
sheet, the confirm / approve / reopen patches, and the recap's audit rows.

Service records live on the section's hidden meta sheet, one per row, key in column J and JSON
in column K (`worksheet.parse_meta` reads them into `Meta.extra`), so a confirmation made on
one computer is honoured on every other:

- `confirm:<issue key>` -> {who, when, note, token, rule, indicator, cell, message}
- `review:<NNNN>`       -> {action: confirm|approve|reopen, who, when, note, status_before,
                            status_after, issue}
- `feedback`            -> {fingerprint, cells} (see `feedback.py`)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sheets_sync.domain.meta import REVIEW_PREFIX, Meta
from sheets_sync.domain.models import Config, Issue, Labels, Severity
from sheets_sync.domain.numbers import parse_number
from sheets_sync.domain.patch import Protection, SheetPatch, Value, WorkbookPatch
from sheets_sync.domain.rules.engine import CONFIRM_PREFIX, blocking, confirmation_token
from sheets_sync.domain.worksheet import SectionSheet, column_label
from sheets_sync.domain.worksheet_prefill import prefill_patch

RECORD_KEY_COL = 10  # J
RECORD_VALUE_COL = 11  # K
NOTE_LIMIT = 1000

AUDIT_HEADERS = ("Waktu", "Bagian", "Indikator", "Sel", "Kolom", "Nilai Lama", "Nilai Baru",
                 "Diubah Oleh")
AUDIT_TEXT_LIMIT = 5000


class ReviewError(Exception):
    """A review step that cannot be done as asked; `message` says why and what to do.
    `open_issues` is set when the refusal is because of open issues (approve)."""

    def __init__(self, message: str, open_issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.open_issues = list(open_issues)


# --------------------------------------------------------------------------- service records


def records_patch(config: Config, meta: Meta, updates: Mapping[str, Any]) -> SheetPatch:
    """Rewrite the records in J:K: existing ones keep their row, `updates` replace or append,
    an update of `None` deletes (its row and the rows freed at the end are blanked)."""
    records = _merged(meta.extra, updates)
    # hidden again on every write: an office program may have made it merely hidden
    patch = SheetPatch(config.labels.sheet_meta, hidden=True)
    rows = max(len(meta.extra), len(records))
    items = list(records.items())
    for n in range(rows):
        if n < len(items):
            key, value = items[n]
            cells: list[Value] = [key, json.dumps(value, ensure_ascii=False, default=str,
                                                  separators=(",", ":"))]
        else:
            cells = [None, None]
        patch.put_row(n + 1, RECORD_KEY_COL, cells)
    return patch


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def review_events(meta: Meta) -> list[tuple[str, dict[str, Any]]]:
    """The approve / reopen / confirm events with their record keys, oldest first."""
    return [(k, v) for k, v in sorted(meta.extra.items())
            if k.startswith(REVIEW_PREFIX) and isinstance(v, dict)]


def review_history(meta: Meta) -> list[dict[str, Any]]:
    """The approve / reopen / confirm events, oldest first."""
    return [v for _, v in review_events(meta)]


def last_review_key(meta: Meta) -> str | None:
    events = review_events(meta)
    return events[-1][0] if events else None


def _next_review_key(meta: Meta) -> str:
    numbers = [int(k[len(REVIEW_PREFIX):]) for k in meta.extra
               if k.startswith(REVIEW_PREFIX) and k[len(REVIEW_PREFIX):].isdigit()]
    return f"{REVIEW_PREFIX}{max(numbers, default=0) + 1:04d}"


def _clip(text: str, limit: int = NOTE_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- confirm


def find_issue(issues: Sequence[Issue], ref: str) -> Issue:
    """The issue PEP means by `ref`: its key (`rule:indicator`, any case), or its cell (`G7`)
    when exactly one issue sits there."""
    wanted = ref.strip()
    for issue in issues:
        if issue.key == wanted:
            return issue
    for issue in issues:
        if issue.key.casefold() == wanted.casefold():
            return issue
    at_cell = [i for i in issues if i.cell and i.cell.casefold() == wanted.casefold()]
    if len(at_cell) == 1:
        return at_cell[0]
    if at_cell:
        raise ReviewError(
            f"sel {wanted} punya beberapa temuan; sebut kodenya: "
            + ", ".join(i.key for i in at_cell))
    known = ", ".join(i.key for i in issues
                      if i.severity is not Severity.error and not i.confirmed) or "tidak ada"
    raise ReviewError(
        f"temuan '{wanted}' tidak ada pada lembar ini (mungkin sudah diperbaiki). "
        f"Temuan yang dapat dikonfirmasi: {known}. Lihat 'sync validate'.")


def confirm_records(sheet: SectionSheet, issue: Issue, value: Any, note: str, who: str,
                    now: datetime) -> dict[str, Any]:
    """The records a confirmation adds. `value` is the raw cell value the issue is about
    (`rules.subject_values`): the confirmation lapses if the section changes it."""
    if issue.severity is Severity.error:
        raise ReviewError(
            f"temuan {issue.key} adalah kesalahan (error): kesalahan harus diperbaiki oleh "
            "bagian, tidak dapat dikonfirmasi. Hanya peringatan dan info yang dapat "
            "dikonfirmasi.")
    if not note.strip():
        raise ReviewError("tulis alasan konfirmasi dengan --note, mis. --note \"sudah dicek "
                          "dengan Kasubbag, angka benar\"")
    record = {"who": who, "when": _stamp(now), "note": _clip(note),
              "token": confirmation_token(issue, value), "rule": issue.rule,
              "indicator": issue.indicator, "cell": issue.cell, "message": _clip(issue.message)}
    event = {"action": "confirm", "who": who, "when": _stamp(now), "note": _clip(note),
             "issue": issue.key, "cell": issue.cell, "indicator": issue.indicator}
    return {CONFIRM_PREFIX + issue.key: record, _next_review_key(sheet.meta): event}


def with_records(sheet: SectionSheet, updates: Mapping[str, Any]) -> SectionSheet:
    """A copy of `sheet` as it reads once `updates` are written (the original is untouched),
    for computing feedback that already reflects them."""
    return replace(sheet, meta=replace(sheet.meta, extra=_merged(sheet.meta.extra, updates)))


def _merged(records: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """Records after `updates`: a value replaces or adds, `None` deletes."""
    out = dict(records)
    for key, value in updates.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out



def _status_patch(config: Config, sheet: SectionSheet, status: str) -> SheetPatch:
    cell = sheet.layout.header_cells.get("status")
    if cell is None:
        raise ReviewError(
            f"sel '{config.labels.status}' tidak ditemukan pada lembar "
            f"'{config.labels.sheet_worksheet}'; bentuk lembar berubah, periksa dengan "
            "'sync validate'.")
    ws = SheetPatch(config.labels.sheet_worksheet)
    ws.values[cell] = status
    ws.expected[cell] = sheet.header.get("status")  # unless the section changed it meanwhile
    return ws


def approve_patch(config: Config, sheet: SectionSheet, issues: Sequence[Issue], who: str,
                  now: datetime, note: str = "") -> WorkbookPatch:
    """Status `Disetujui` and the whole sheet locked (PEP accounts may still edit)."""
    labels = config.labels
    # The state first: a sheet still being filled has "open findings" only because it is
    # unfinished, and saying so would send PEP after the wrong cause.
    if sheet.status not in (labels.status_done, labels.status_confirm, labels.status_valid):
        raise ReviewError(
            f"bagian {sheet.section_id} belum menyerahkan lembar kerjanya (status "
            f"'{sheet.status or '(kosong)'}'): hanya lembar berstatus '{labels.status_done}', "
            f"'{labels.status_confirm}' atau '{labels.status_valid}' yang dapat disetujui. "
            f"Tunggu bagian itu mengubah Status menjadi '{labels.status_done}', lalu "
            "jalankan 'sync validate' dan 'sync approve' lagi.")
    open_ = blocking(list(issues))
    if open_:
        listed = ", ".join(i.key for i in open_[:10]) + (" ..." if len(open_) > 10 else "")
        raise ReviewError(
            f"bagian {sheet.section_id} belum dapat disetujui: masih ada {len(open_)} temuan "
            f"terbuka ({listed}). Minta bagian memperbaiki kesalahan; konfirmasi peringatan "
            "dengan 'sync confirm'.", open_)
    ws = _status_patch(config, sheet, labels.status_approved)
    ws.protection = Protection(
        editable=(), editors=tuple(config.office.pep_accounts),
        description=f"Disetujui PEP ({who}, {now:%d-%m-%Y %H:%M}): lembar dikunci")
    event = {"action": "approve", "who": who, "when": _stamp(now), "note": _clip(note),
             "status_before": sheet.status, "status_after": labels.status_approved}
    meta = records_patch(config, sheet.meta, {_next_review_key(sheet.meta): event})
    return WorkbookPatch(sheets=[ws, meta])


def input_protection(config: Config, sheet: SectionSheet, now: datetime) -> Protection:
    """The protection distribute set: the same editable input ranges, computed by the same
    code (`worksheet.prefill_patch`), so reopen cannot drift from distribute."""
    section = config.section(sheet.section_id)
    prefill = prefill_patch(config, section, sheet.layout, "", now,
                            tuple(config.office.pep_accounts))
    for patch in prefill.sheets:
        if patch.title == config.labels.sheet_worksheet and patch.protection is not None:
            return patch.protection
    return Protection(editors=tuple(config.office.pep_accounts))


def reopen_patch(config: Config, sheet: SectionSheet, reason: str, who: str,
                 now: datetime) -> WorkbookPatch:
    """Status `Sedang Diisi` and the input cells editable again."""
    if not reason.strip():
        raise ReviewError("tulis alasan membuka kembali dengan --reason, mis. --reason "
                          "\"revisi realisasi TW III\"")
    try:
        protection = input_protection(config, sheet, now)
    except KeyError as exc:
        raise ReviewError(f"bagian '{sheet.section_id}' tidak ada di konfigurasi") from exc
    ws = _status_patch(config, sheet, config.labels.status_filling)
    ws.protection = protection
    event = {"action": "reopen", "who": who, "when": _stamp(now), "note": _clip(reason),
             "status_before": sheet.status, "status_after": config.labels.status_filling}
    meta = records_patch(config, sheet.meta, {_next_review_key(sheet.meta): event})
    return WorkbookPatch(sheets=[ws, meta])


# --------------------------------------------------------------------------- audit

AuditKey = tuple[str, str, str]  # (section id, indicator code, column label)


def _comparable(value: Any) -> Any:
    """Blank is blank, 5 == 5.0 == '5'; other text compared as typed (trimmed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        parsed = parse_number(value)
        return parsed.value if parsed.ok else value.strip()
    return str(value)


comparable = _comparable  # shared with the duplicate check


def _cell_value(value: Any) -> Value:
    if value is None or isinstance(value, (bool, int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return value
    text = str(value)
    return text if len(text) <= AUDIT_TEXT_LIMIT else text[: AUDIT_TEXT_LIMIT - 1] + "…"


def _when(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def audit_rows(previous: Mapping[AuditKey, Any], current: Mapping[AuditKey, Any],
               when: datetime, modified_by: Mapping[str, str | None] | str | None = None,
               cells: Mapping[AuditKey, str] | None = None,
               labels: Labels | None = None) -> list[list[Value]]:
    """Rows for the recap's append-only `Audit` sheet (columns `AUDIT_HEADERS`): one per value
    that changed between the last recap (`previous`) and now (`current`). A key on one side
    only counts as blank on the other. `modified_by` is one name, or one per section (Drive's
    last modifying user of each file); `cells` gives each key's A1 cell where known. A column
    given as a worksheet column key (`realisasi`) is shown by its header text."""
    labels = labels or Labels()
    rows: list[list[Value]] = []
    for key in sorted(set(previous) | set(current), key=lambda k: tuple(map(str, k))):
        old, new = previous.get(key), current.get(key)
        if (old == new and type(old) is type(new)) or _comparable(old) == _comparable(new):
            continue  # the first test settles nearly every value, without parsing it
        section, code, column = key
        by = modified_by.get(section) if isinstance(modified_by, Mapping) else modified_by
        title = column_label(labels, column) if hasattr(labels, f"col_{column}") else column
        rows.append([_when(when), section, code, (cells or {}).get(key, ""), title,
                     _cell_value(old), _cell_value(new), by or ""])
    return rows


_ACTIONS = {"confirm": "Konfirmasi PEP", "approve": "Persetujuan PEP", "reopen": "Dibuka kembali"}


def review_audit_rows(section_id: str, meta: Meta, after: str | None = None,
                      status_cell: str = "") -> list[list[Value]]:
    """Audit rows for the review events recorded on a section's meta sheet after the record
    `after` (the last one already audited; None = all), same columns as `audit_rows`. By
    record, not by time: the events carry the clock of whichever computer recorded them."""
    rows: list[list[Value]] = []
    for key, event in review_events(meta):
        if after is not None and key <= after:
            continue
        try:
            at = datetime.fromisoformat(str(event.get("when")))
        except ValueError:
            continue
        action = str(event.get("action", ""))
        note = str(event.get("note") or "")
        if action == "confirm":
            old: Value = str(event.get("issue") or "")
            new: Value = f"Dikonfirmasi: {note}" if note else "Dikonfirmasi"
            cell, code = str(event.get("cell") or ""), str(event.get("indicator") or "")
        else:
            old, new = str(event.get("status_before") or ""), str(event.get("status_after") or "")
            if note:
                new = f"{new} ({note})"
            cell, code = status_cell, ""
        rows.append([_when(at), section_id, code, cell, _ACTIONS.get(action, action),
                     _cell_value(old), _cell_value(new), str(event.get("who") or "")])
    return rows


def review_lines(sheets: dict[str, SectionSheet],
                 audited: dict[str, str]) -> tuple[list[list[Value]], dict[str, str]]:
    """Audit lines for the review events of `sheets` not audited yet, and the new
    last-audited records."""
    lines: list[list[Value]] = []
    latest = dict(audited)
    for s, sheet in sheets.items():
        lines += review_audit_rows(s, sheet.meta, audited.get(s), sheet.status_cell or "")
        if (last := last_review_key(sheet.meta)) is not None:
            latest[s] = last
    return lines, latest
