"""What the tests of tests/fakegoogle share: the accounts, a gspread client acting as one, the
error a failed call answered, and a sheet protected but for its Realisasi column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread
import pytest
from gspread.exceptions import APIError

from tests.fakegoogle import FakeGoogle

PEP = "pep@example.go.id"
SECTION = "kasie.umum@example.go.id"
READER = "kepala@example.go.id"
SA = "sync@sheets-sync.iam.gserviceaccount.com"
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
# beside the checkout (/work/main), or one level up from a worktree (/work/wt/<name>)
CASSETTES = next((p / "shared/reference/gspread-cassettes" for p in Path(__file__).resolve().parents[3:5]
                  if (p / "shared/reference/gspread-cassettes").is_dir()),
                 Path(__file__).resolve().parents[3] / "shared/reference/gspread-cassettes")


def client(fake: FakeGoogle, user: str = PEP) -> gspread.Client:
    return gspread.Client(None, session=fake.session(user))


def api_error(exc: pytest.ExceptionInfo[APIError]) -> dict[str, Any]:
    return exc.value.response.json()["error"]


def protected_sheet(fake: FakeGoogle) -> tuple[gspread.Spreadsheet, gspread.Worksheet]:
    gc = client(fake)
    sh = gc.create("KK")
    ws = sh.sheet1
    ws.update([["Indikator", "Target", "Realisasi"], ["IKU 1", 10, ""]], "A1")
    sh.batch_update(
        {
            "requests": [
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": ws.id},
                            "unprotectedRanges": [
                                {
                                    "sheetId": ws.id,
                                    "startRowIndex": 1,
                                    "endRowIndex": 100,
                                    "startColumnIndex": 2,
                                    "endColumnIndex": 3,
                                }
                            ],
                            "description": "everything but Realisasi",
                            "editors": {"users": [PEP]},
                        }
                    }
                }
            ]
        }
    )
    sh.share(SECTION, perm_type="user", role="writer", notify=False)
    return sh, ws
