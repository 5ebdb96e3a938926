"""Every sheet-facing text (sheet names, column headers, status values), Indonesian by
default and configurable under `labels:`."""

from __future__ import annotations

from sheets_sync.settings.strict import Strict


class Labels(Strict):
    """Sheet-facing text (Indonesian by default). Columns are found by these header texts."""

    sheet_worksheet: str = "Kertas Kerja"
    sheet_validation: str = "Validasi"
    sheet_meta: str = "_meta"

    office: str = "Instansi"
    unit: str = "Unit Kerja"
    period: str = "Periode"
    deadline: str = "Batas Waktu"
    status: str = "Status"

    col_no: str = "No"
    col_code: str = "Kode"
    col_sasaran: str = "Sasaran"
    col_indicator: str = "Indikator Kinerja"
    col_unit: str = "Satuan"
    col_target: str = "Target"
    col_realisasi: str = "Realisasi"
    col_capaian: str = "Capaian (%)"
    col_keterangan: str = "Keterangan"
    col_bukti: str = "Bukti Dukung"
    col_budget: str = "Pagu (Rp)"
    col_budget_real: str = "Realisasi Anggaran (Rp)"
    col_budget_capaian: str = "Capaian Anggaran (%)"

    status_empty: str = "Belum Diisi"
    status_filling: str = "Sedang Diisi"
    status_done: str = "Selesai"
    status_confirm: str = "Perlu Konfirmasi"
    status_valid: str = "Valid"
    status_approved: str = "Disetujui"

    @property
    def section_statuses(self) -> list[str]:
        """The states a section may choose itself."""
        return [self.status_empty, self.status_filling, self.status_done]

    @property
    def all_statuses(self) -> list[str]:
        return [*self.section_statuses, self.status_confirm, self.status_valid,
                self.status_approved]
