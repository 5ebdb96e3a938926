"""The audit compares against the recap's hidden `_nilai` sheet (the values it last showed,
a fifth of Rekap Indikator's cells, read in the recap's one read); a recap written by an
older version, without that sheet, is audited from its Rekap Indikator as before."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.recap import SHEET_AUDIT_VALUES
from sheets_sync.ports import Role
from tests.backends import LocalEnv
from tests.conftest import small_config_data


@pytest.mark.parametrize("older", [False, True])
def test_a_changed_value_is_audited(tmp_path, older):
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 5}}, status="Selesai", who="Siti")
    env.run("recap")
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    wb = load_workbook(ref.id)
    assert wb[SHEET_AUDIT_VALUES].sheet_state != "visible"
    if older:  # as an older version wrote it
        del wb[SHEET_AUDIT_VALUES]
        wb.properties.lastModifiedBy = "sheets-sync"
        wb.save(ref.id)
    env.type_into("bagian-1", {"B1-01": {"realisasi": 7}}, who="Siti")
    out = env.run("recap").output
    assert "1 perubahan dicatat di Audit" in " ".join(out.split())
    audit = env.recap_grid("Audit")
    assert any(5 in row and 7 in row and "B1-01" in row for row in audit), audit
