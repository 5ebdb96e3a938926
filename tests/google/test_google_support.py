"""Shared helpers for the Google backend tests (no tests here): a config, a store on the
in-process fake, a realistic distribute of one section."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.http import QuotaLimiter
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import locate, template_patch
from sheets_sync.domain.worksheet_prefill import prefill_patch
from sheets_sync.ports import FileRef, Grant, Role, Tags
from sheets_sync.settings.backend import GoogleBackend
from tests.fakegoogle import FakeGoogle

PERIOD = "2026-TW3"
PEP = "pep@setwan.example.go.id"
KASIE = "kasie.umum@setwan.example.go.id"
STAFF = "staf.umum@setwan.example.go.id"
SA = "sheets-sync@kinerja-setwan.iam.gserviceaccount.com"


def make_config(indicators: int = 5, editors: tuple[str, ...] = (KASIE, STAFF)) -> Config:
    return Config.model_validate({
        "period": PERIOD,
        "office": {"pep_accounts": [PEP]},
        "sections": [
            {"id": "umum", "name": "Subbagian Umum", "editors": list(editors)},
            {"id": "keuangan", "name": "Subbagian Keuangan", "editors": []},
        ],
        "indicators": [
            {"code": f"IK-{n:02d}", "section": "umum", "sasaran": "Meningkatnya layanan",
             "name": f"Persentase layanan {n}", "unit": "%", "target": 90 + n % 10}
            for n in range(1, indicators + 1)
        ] + [{"code": "RG-01", "section": "umum", "name": "Rentang", "polarity": "rentang",
              "target_min": 80, "target_max": 90}],
    })


class FakeClock:
    """A monotonic clock that only moves when the limiter sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Sleeps:
    """An injected sleep: records instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_store(fake: FakeGoogle, user: str = PEP, *, folder_id: str | None = None,
               sleeps: Sleeps | None = None, **settings: Any) -> GoogleStore:
    config = GoogleBackend(folder_id=folder_id, **settings)
    clock = FakeClock()
    limiter = QuotaLimiter.from_settings(config, clock=clock, sleep=clock.sleep)
    return GoogleStore.from_session(fake.session(user), config, account=user,
                                    sleep=sleeps or Sleeps(), rand=lambda: 0.5, limiter=limiter)


def distribute_one(store: GoogleStore, config: Config, template: FileRef,
                   section_id: str = "umum") -> FileRef:
    """What distribute does for one section: copy, prefill (protect) and share."""
    section = config.section(section_id)
    ref = store.copy(template, f"Kertas Kerja {section.name}",
                     Tags(Role.section, PERIOD, section_id))
    layout = locate(_template_grid(config), config.labels)
    patch = prefill_patch(config, section, layout, "8 Oktober 2026", datetime(2026, 10, 1, 9),
                          editors=tuple(config.office.pep_accounts))
    store.apply(ref, patch)
    store.share(ref, [Grant(e, "writer") for e in section.editors], notify=True,
                message="Mohon diisi")
    return ref


def _template_grid(config: Config) -> list[list[Any]]:
    """The template's Kertas Kerja sheet as a grid (layout is found by text, as distribute
    does after reading the template once)."""
    sp = template_patch(config).sheets[0]
    rows = max(r for r, _ in sp.values)
    cols = max(c for _, c in sp.values)
    grid: list[list[Any]] = [[None] * cols for _ in range(rows)]
    for (r, c), v in sp.values.items():
        grid[r - 1][c - 1] = v
    return grid


def new_template(store: GoogleStore, config: Config) -> FileRef:
    return store.create("Templat Kertas Kerja", Tags(Role.template, PERIOD),
                        template_patch(config))
