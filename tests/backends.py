"""Test harness: one interface over both backends, so every flow scenario runs on each.

- `LocalEnv`: a workspace of .xlsx files; a section types the way Excel saves.
- `GoogleEnv`: the in-process fake of Sheets + Drive under the real gspread client; a section
  types through the real API *as its own account*, so protections apply to it as on Google.

Each `run` is a fresh CLI invocation (a fresh store, as a new process would have).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import gspread
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import locate
from sheets_sync.ports import FileRef, Role, WorkbookStore
from tests.conftest import write_config

NOW = "2026-10-07T10:00"  # after the fill deadline (Tue 6 Oct 16:00)
PEP = "pep@setwan.example"
# When sections type, unless a test says otherwise (`type_into(at=...)`): the day before the
# deadline, office time (WIB), one minute further on each time, on both backends alike.
TYPING_STARTS = "2026-10-05T08:00"
WIB = timezone(timedelta(hours=7))


def office_epoch(when: str) -> float:
    """An office-time (WIB) ISO time as a POSIX timestamp."""
    return datetime.fromisoformat(when).replace(tzinfo=WIB).timestamp()


class Env:
    name = ""

    def __init__(self, tmp_path: Path, data: dict[str, Any]) -> None:
        self.tmp_path = tmp_path
        self.data = data
        self.config_path = write_config(tmp_path, self.prepare(data))

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def rewrite(self, data: dict[str, Any]) -> None:
        self.data = data
        write_config(self.tmp_path, self.prepare(data))

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    def store(self) -> WorkbookStore:
        raise NotImplementedError

    def run(self, *args: str, code: int | None = 0) -> Result:
        """The CLI as a user runs it; `.text` is the output with line wrapping undone."""
        result = CliRunner().invoke(main, ["--config", str(self.config_path), *args],
                                    env={"SHEETS_SYNC_NOW": NOW, "COLUMNS": "200"},
                                    catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, result.output
        return result

    def section_ref(self, section: str) -> FileRef:
        refs = [r for r in self.store().find(self.config.period.code, Role.section)
                if r.tags.section == section]
        assert len(refs) == 1, refs
        return refs[0]

    def count(self, role: Role) -> int:
        return len(self.store().find(self.config.period.code, role))

    def grid(self, ref: FileRef, sheet: str) -> list[list[Any]]:
        return self.store().read(ref, [sheet]).get(sheet, [])

    def cell(self, section: str, sheet: str, a1: str) -> Any:
        from gspread.utils import a1_to_rowcol

        r, c = a1_to_rowcol(a1)
        grid = self.grid(self.section_ref(section), sheet)
        return grid[r - 1][c - 1] if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) else None

    def type_into(self, section: str, values: dict[str, dict[str, Any]],
                  status: str | None = None, who: str = "Budi", at: str | None = None) -> None:
        """`at`: when the section saves (office time, ISO); default: the harness clock."""
        raise NotImplementedError

    _typing_clock: float = 0.0

    def typing_time(self, at: str | None) -> float:
        """The POSIX time of the next save: `at`, or the harness clock's next minute."""
        if at is not None:
            return office_epoch(at)
        self._typing_clock = (self._typing_clock or office_epoch(TYPING_STARTS)) + 60
        return self._typing_clock

    def note(self, section: str, a1: str) -> str:
        raise NotImplementedError

    def can_type(self, section: str, a1: str) -> bool:
        """Whether the section's own account may change this cell of its worksheet."""
        raise NotImplementedError

    def use_office_template(self, grid: list[list[Any]]) -> None:
        """Make the office's own master template (sheet 'Kertas Kerja' holding `grid`) the
        one the config names."""
        raise NotImplementedError

    def recap_grid(self, sheet: str) -> list[list[Any]]:
        (ref,) = self.store().find(self.config.period.code, Role.recap)
        return self.grid(ref, sheet)


def fill_all_valid(env: Env) -> None:
    """Every section types its targets as realisasi, with evidence, and hands in."""
    config = env.config
    for s in config.sections:
        env.type_into(s.id, {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
                             for i in config.indicators_of(s.id)}, status="Selesai")


class LocalEnv(Env):
    name = "local"

    def store(self) -> LocalStore:
        return LocalStore(self.config_path.parent / self.config.backend.local.workspace)

    def type_into(self, section: str, values: dict[str, dict[str, Any]],
                  status: str | None = None, who: str = "Budi", at: str | None = None) -> None:
        labels = self.config.labels
        path = Path(self.section_ref(section).id)
        wb = load_workbook(path)
        ws = wb[labels.sheet_worksheet]
        layout = locate([list(r) for r in ws.iter_rows(values_only=True)], labels)
        rows = {ws.cell(r, layout.columns["code"]).value: r
                for r in range(layout.first_row, ws.max_row + 1)}
        for code, cells in values.items():
            for key, value in cells.items():
                excel_typed(ws.cell(rows[code], layout.columns[key]), value)
        if status:
            ws.cell(*layout.header_cells["status"]).value = status
        wb.properties.lastModifiedBy = who
        wb.save(path)
        when = self.typing_time(at)
        os.utime(path, (when, when))

    def note(self, section: str, a1: str) -> str:
        wb = load_workbook(self.section_ref(section).id)
        comment = wb[self.config.labels.sheet_worksheet][a1].comment
        return comment.text if comment else ""

    def use_office_template(self, grid: list[list[Any]]) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = self.config.labels.sheet_worksheet
        for row in grid:
            ws.append(row)
        wb.save(self.config_path.parent / "template-kantor.xlsx")
        self.data["backend"]["local"]["template"] = "template-kantor.xlsx"
        self.rewrite(self.data)

    def can_type(self, section: str, a1: str) -> bool:
        ws = load_workbook(self.section_ref(section).id)[self.config.labels.sheet_worksheet]
        return not (ws.protection.sheet and ws[a1].protection.locked)


_TYPED_PERCENT = re.compile(r"^\s*(-?\d+)(?:,(\d+))?\s*%\s*$")


_TYPED_RUPIAH = re.compile(r"^\s*Rp\s?(\d{1,3}(?:\.\d{3})*)\s*$")


def excel_typed(cell: Any, value: Any) -> None:
    """Put `value` in a cell as Excel or LibreOffice (Indonesian locale) saves what a person
    types: `87,5%` becomes the number 0.875 with the format `0.0%`, `Rp 1.500.000` the number
    1500000 with a rupiah format; anything else as given."""
    pct = _TYPED_PERCENT.match(value) if isinstance(value, str) else None
    money = _TYPED_RUPIAH.match(value) if isinstance(value, str) else None
    if pct is not None:
        decimals = pct.group(2) or ""
        cell.value = float(f"{pct.group(1)}.{decimals or 0}") / 100
        cell.number_format = "0" + ("." + "0" * len(decimals) if decimals else "") + "%"
    elif money is not None:
        cell.value = int(money.group(1).replace(".", ""))
        cell.number_format = "[$Rp-421]#,##0"
    else:
        cell.value = value


class GoogleEnv(Env):
    name = "google"

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        from tests.fakegoogle import FakeGoogle

        if not hasattr(self, "fake"):
            self.fake = FakeGoogle(seed=3)
            for s in data["sections"]:
                for e in s.get("editors", []):
                    self.fake.add_user(e)
        google = {"folder_id": None, "template_id": getattr(self, "template_id", None)}
        return {**data, "backend": {"kind": "google", "google": google}}

    def store(self) -> WorkbookStore:
        from tests.google.test_google_support import make_store

        settings = self.config.backend.google
        return make_store(self.fake, PEP, template_id=settings.template_id)

    def run(self, *args: str, code: int | None = 0) -> Result:
        import sheets_sync.adapters as adapters

        real = adapters.open_store
        adapters.open_store = lambda config, base_dir: self.store()  # credentials aside
        try:
            return super().run(*args, code=code)
        finally:
            adapters.open_store = real

    def _sheet(self, section: str, who: str) -> gspread.Worksheet:
        client = gspread.Client(None, session=self.fake.session(who))  # type: ignore[arg-type]
        book = client.open_by_key(self.section_ref(section).id)
        return book.worksheet(self.config.labels.sheet_worksheet)

    def editor(self, section: str) -> str:
        return self.config.section(section).editors[0]

    def type_into(self, section: str, values: dict[str, dict[str, Any]],
                  status: str | None = None, who: str = "Budi", at: str | None = None) -> None:
        """Through the real API as the section's account, as a person typing (USER_ENTERED)."""
        self.fake.clock.set(max(self.fake.clock.now(), self.typing_time(at)) if at is None
                            else self.typing_time(at))
        labels = self.config.labels
        ws = self._sheet(section, self.editor(section))
        layout = locate(ws.get_all_values(), labels)
        codes = ws.col_values(layout.columns["code"])
        updates = []
        for code, cells in values.items():
            row = codes.index(code) + 1
            for key, value in cells.items():
                updates.append({"range": gspread.utils.rowcol_to_a1(row, layout.columns[key]),
                                "values": [["" if value is None else value]]})
        if status:
            r, c = layout.header_cells["status"]
            updates.append({"range": gspread.utils.rowcol_to_a1(r, c), "values": [[status]]})
        ws.batch_update(updates, value_input_option=gspread.utils.ValueInputOption.user_entered)
        self.fake.advance(60)

    def note(self, section: str, a1: str) -> str:
        return self._sheet(section, PEP).get_note(a1)

    def use_office_template(self, grid: list[list[Any]]) -> None:
        self.template_id = self.fake.create_spreadsheet("Template Kantor", owner=PEP)
        client = gspread.Client(None, session=self.fake.session(PEP))  # type: ignore[arg-type]
        book = client.open_by_key(self.template_id)
        book.sheet1.update_title(self.config.labels.sheet_worksheet)
        book.sheet1.update([["" if v is None else v for v in row] for row in grid], "A1")
        self.rewrite(self.data)

    def can_type(self, section: str, a1: str) -> bool:
        """Write the cell's own value back as the section's account: Google refuses a
        protected cell with HTTP 400."""
        current = self.cell(section, self.config.labels.sheet_worksheet, a1)
        answer = self.fake.write_as(
            self.editor(section), self.section_ref(section).id,
            f"'{self.config.labels.sheet_worksheet}'!{a1}",
            [["" if current is None else current]], value_input_option="RAW")
        return answer.status_code == 200
