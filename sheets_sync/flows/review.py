"""PEP's review of one section over the port (SOP step 4): confirm, approve, reopen.

Each finds the section's workbook by its tags (`store.find(period, Role.section)`), reads it
once and writes one patch. Everything is recorded on the section's own meta sheet (so it holds
on every computer); the recap turns the records into Audit lines
(`domain.review.review_audit_rows`).

Google calls: confirm = 1 listing + 1 read + 1 write (+ reading earlier recaps when a history
rule is configured); approve and reopen = 1 + 1 + 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import feedback
from sheets_sync.domain.handin import hand_in_updates
from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.review import (
    ReviewError,
    approve_patch,
    confirm_records,
    find_issue,
    reopen_patch,
    with_records,
)
from sheets_sync.domain.rules import History, blocking, subject_values
from sheets_sync.domain.rules.engine import CONFIRM_PREFIX
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.flows.collect import index_files, read_sections
from sheets_sync.flows.status import identity_of
from sheets_sync.ports import FileRef, Role, WorkbookStore


@dataclass
class ReviewResult:
    section: str
    action: str  # confirm | approve | reopen
    changed: bool  # False: nothing to do (already so), nothing written
    message: str  # plain Indonesian, for the CLI
    status: str = ""  # the section's status afterwards
    issue: Issue | None = None
    open_issues: list[Issue] = field(default_factory=list)


def load_section(config: Config, store: WorkbookStore,
                 section_id: str) -> tuple[FileRef, SectionSheet]:
    """The section's workbook for the config's period, read once."""
    try:
        config.section(section_id)
    except KeyError:
        known = ", ".join(s.id for s in config.sections)
        raise ReviewError(f"bagian '{section_id}' tidak ada di konfigurasi (yang ada: {known})"
                          ) from None
    found = index_files(config, store.find(config.period.code, Role.section))
    ref = found.refs.get(section_id)
    if ref is None:
        raise ReviewError(
            f"lembar kerja bagian '{section_id}' untuk periode {config.period.code} belum ada; "
            "jalankan 'sync distribute' dulu")
    sheet = read_sections(config, store, [ref])[section_id]
    if not sheet.meta.distributed:
        raise ReviewError(
            f"lembar kerja bagian '{section_id}' belum selesai dibagikan (data sistem belum "
            "lengkap); jalankan 'sync distribute' lagi")
    return ref, sheet


def confirm(config: Config, store: WorkbookStore, section_id: str, issue_key: str, note: str,
            who: str, now: datetime, history: History | None = None) -> ReviewResult:
    """Record that PEP confirmed a warning with the section; its feedback is refreshed in the
    same write, so the section sees it confirmed (and `Valid` if nothing else is open)."""
    ref, sheet = load_section(config, store, section_id)
    issues, values = subject_values(config, sheet, history)
    issue = find_issue(issues, issue_key)
    if issue.confirmed:
        return ReviewResult(section_id, "confirm", False,
                            f"Temuan {issue.key} sudah dikonfirmasi ({issue.confirmation}).",
                            sheet.status, issue)
    updates = confirm_records(sheet, issue, values.get(issue.key), note, who, now)
    updates.update(hand_in_updates(config, sheet, identity_of(store), now, writing=True))
    # Feedback computed as if the records were written; its meta patch carries them all, so
    # the confirmation and the refreshed feedback are one write.
    after = with_records(sheet, updates)
    issues_after, _ = subject_values(config, after, history)
    store.apply(ref, feedback.feedback_patch(config, after, issues_after))
    status = feedback.target_status(config, after, issues_after) or sheet.status
    confirmed = next((i for i in issues_after if i.key == issue.key), issue)
    return ReviewResult(section_id, "confirm", True,
                        f"Temuan {issue.key} ({issue.cell or '-'}) pada bagian {section_id} "
                        f"dicatat sebagai sudah dikonfirmasi oleh {who}.",
                        status, confirmed, blocking(issues_after))


def approve(config: Config, store: WorkbookStore, section_id: str, who: str, now: datetime,
            note: str = "", history: History | None = None) -> ReviewResult:
    """`Disetujui` and the whole sheet locked, only when nothing is open."""
    ref, sheet = load_section(config, store, section_id)
    if sheet.status == config.labels.status_approved:
        return ReviewResult(section_id, "approve", False,
                            f"Bagian {section_id} sudah berstatus "
                            f"'{config.labels.status_approved}'.", sheet.status)
    issues, _ = subject_values(config, sheet, history)
    patch = approve_patch(config, with_service_records(config, store, sheet, now), issues,
                          who, now, note)
    store.apply(ref, patch)
    return ReviewResult(section_id, "approve", True,
                        f"Bagian {section_id} disetujui oleh {who}; lembar kerjanya dikunci "
                        "(hanya akun PEP yang dapat mengubah).", config.labels.status_approved)


def reopen(config: Config, store: WorkbookStore, section_id: str, reason: str, who: str,
           now: datetime) -> ReviewResult:
    """`Sedang Diisi` and the input cells editable again, as distribute left them."""
    ref, sheet = load_section(config, store, section_id)
    labels = config.labels
    if sheet.status in (labels.status_empty, labels.status_filling):
        return ReviewResult(section_id, "reopen", False,
                            f"Lembar kerja bagian {section_id} masih terbuka untuk diisi "
                            f"(status '{sheet.status}'); tidak ada yang diubah.", sheet.status)
    if not sheet.meta.vouches_for(labels.status_approved, labels):
        # reopen undoes an approval; before one, the section changes its own Status
        raise ReviewError(
            f"bagian {section_id} belum disetujui (status '{sheet.status}'), jadi tidak ada "
            f"yang dibuka kembali: 'sync reopen' hanya membatalkan 'sync approve'. Bila data "
            f"perlu diperbaiki, bagian itu sendiri mengubah Status menjadi "
            f"'{labels.status_filling}' di lembar kerjanya, lalu '{labels.status_done}' lagi.")
    store.apply(ref, reopen_patch(config, with_service_records(config, store, sheet, now),
                                  reason, who, now))
    return ReviewResult(section_id, "reopen", True,
                        f"Lembar kerja bagian {section_id} dibuka kembali oleh {who}; status "
                        f"'{labels.status_filling}', kolom isian dapat diubah lagi.",
                        labels.status_filling)


def with_service_records(config: Config, store: WorkbookStore, sheet: SectionSheet,
                         now: datetime) -> SectionSheet:
    """`sheet` as if the hand-in and last-editor records were already on it: a patch made
    from it (its `records_patch`) writes them in the same write, so our save does not hide
    who typed."""
    return with_records(sheet, hand_in_updates(config, sheet, identity_of(store), now,
                                               writing=True))


def confirmations(sheet: SectionSheet) -> dict[str, dict[str, object]]:
    """The confirmations recorded on a section's meta sheet, by issue key."""
    return {k[len(CONFIRM_PREFIX):]: v for k, v in sheet.meta.extra.items()
            if k.startswith(CONFIRM_PREFIX) and isinstance(v, dict)}


__all__ = ["ReviewError", "ReviewResult", "approve", "confirm", "confirmations", "load_section",
           "reopen"]
