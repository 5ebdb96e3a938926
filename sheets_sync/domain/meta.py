"""The hidden meta sheet of a section's workbook, read back: what distribute wrote (the
period, the section, the snapshot of its indicators' targets) and the service's records
(the feedback last written, review events, the hand-in), as JSON in columns J:K."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sheets_sync.domain.models import Labels

META_KEYS = ("template_version", "section", "period", "distributed_at", "header_row")
SNAPSHOT_HEADER = ("code", "row", "target", "target_min", "target_max", "polarity", "unit")
SNAPSHOT_ROW = 8  # where the snapshot table starts on the meta sheet


@dataclass(frozen=True)
class SnapshotRow:
    code: str
    row: int
    target: float | None
    target_min: float | None
    target_max: float | None
    polarity: str
    unit: str


# Service records on the meta sheet (column J key, column K JSON).
FEEDBACK_KEY = "feedback"  # what validation last wrote, incl. the status it set
REVIEW_PREFIX = "review:"  # approve / reopen / confirm events, numbered


@dataclass
class Meta:
    values: dict[str, str] = field(default_factory=dict)
    snapshot: list[SnapshotRow] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # service records, e.g. confirmations

    def vouches_for(self, status: str, labels: Labels) -> bool:
        """Whether the service itself set this service-only status (Perlu Konfirmasi, Valid,
        Disetujui): a section picking one from the dropdown must not approve itself."""
        if status == labels.status_approved:
            events = [v for k, v in sorted(self.extra.items())
                      if k.startswith(REVIEW_PREFIX) and isinstance(v, dict)
                      and v.get("action") in ("approve", "reopen")]
            return bool(events) and events[-1].get("action") == "approve"
        record = self.extra.get(FEEDBACK_KEY)
        return isinstance(record, dict) and record.get("status") == status

    @property
    def distributed(self) -> bool:
        """True once distribute finished the prefill (the snapshot is the last thing written)."""
        return bool(self.values.get("section")) and bool(self.values.get("distributed_at"))


def parse_meta(grid: list[list[Any]] | None) -> Meta:
    meta = Meta()
    if not grid:
        return meta
    for row in grid[: SNAPSHOT_ROW - 2]:
        if len(row) >= 2 and row[0] in META_KEYS:
            meta.values[str(row[0])] = "" if row[1] is None else str(row[1])
    for row in grid[SNAPSHOT_ROW - 1:]:
        if not row or row[0] in (None, ""):
            break
        cells = [*row, *([None] * len(SNAPSHOT_HEADER))][: len(SNAPSHOT_HEADER)]
        try:
            meta.snapshot.append(SnapshotRow(
                code=str(cells[0]), row=int(cells[1]), target=_float(cells[2]),
                target_min=_float(cells[3]), target_max=_float(cells[4]),
                polarity=str(cells[5] or ""), unit=str(cells[6] or "")))
        except (TypeError, ValueError):
            continue
    # Service records (confirmations, approvals) live as JSON in column J: key | json.
    for row in grid:
        if len(row) >= 11 and isinstance(row[9], str) and row[9] and row[10]:
            try:
                meta.extra[row[9]] = json.loads(str(row[10]))
            except ValueError:
                continue
    return meta


def _float(v: Any) -> float | None:
    if v is None or v == "":
        return None
    return float(v)
