"""One world per benchmark size: the fake, the config, our store and the naive script, both
on virtual time (see virtual.py), and the sections' typing (not counted)."""

from __future__ import annotations

import resource
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import gspread

from benchmarks.naive import KERTAS, Naive
from benchmarks.virtual import VirtualClock
from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.http import GoogleHTTP, QuotaLimiter, RetryPolicy
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import locate
from sheets_sync.flows.collect import index_files
from sheets_sync.flows.distribute import ensure_template
from sheets_sync.ports import Role
from tests.conftest import small_config_data
from tests.fakegoogle import FakeGoogle

PEP = "pep@setwan.example"
NOW = datetime(2026, 10, 5, 10, 0)
UNPACED = {"sheets_read": 10**9, "sheets_write": 10**9, "drive": 10**9}


@dataclass
class Measured:
    calls: int
    seconds: float  # virtual: latency and pacing on the critical path
    result: Any = None
    peak_mb: float = 0.0
    by_kind: dict[str, int] | None = None


class World:
    """S sections x I indicators on one fake; `latency` seconds per call; `quota` None for
    no pacing, else the per-bucket rates per minute."""

    def __init__(self, sections: int, indicators: int, *, latency: float = 0.15,
                 quota: dict[str, int] | None = None, workers: int = 4) -> None:
        self.fake = FakeGoogle(seed=1, default_user=PEP)
        data = small_config_data(sections, indicators)
        data["backend"] = {"kind": "google", "google": {"workers": workers}}
        self.config = Config.model_validate(data)
        for s in self.config.sections:
            for e in s.editors:
                self.fake.add_user(e)
        self.clock = VirtualClock()
        self.fake.latency_sleep = self.clock.sleep
        self.latency = latency
        self.quota = quota or UNPACED
        self.naive = Naive(self._client(), self.config)

    def limiter(self) -> QuotaLimiter:
        return QuotaLimiter(self.quota, clock=self.clock.now, sleep=self.clock.sleep)

    def store(self) -> GoogleStore:
        """A fresh store, as a new process has."""
        return GoogleStore.from_session(self.fake.session(PEP), self.config.backend.google,
                                        account=PEP, sleep=self.clock.sleep,
                                        rand=lambda: 0.5, limiter=self.limiter())

    def _client(self) -> gspread.Client:
        """Plain gspread; its requests go through the same pacing (and nothing else)."""
        session = self.fake.session(PEP)
        client = gspread.Client(None, session=session)  # type: ignore[arg-type]
        http = GoogleHTTP(session, limiter=None, retry=RetryPolicy(max_retries=0))
        http.limiter = self.limiter()
        client.http_client = http
        return client

    def measure(self, action: Callable[[], Any]) -> Measured:
        """Calls, virtual seconds and the process's peak RSS so far (MB; the fake's own
        spreadsheets included) of `action`."""
        self.fake.reset_counts()
        self.fake.latency = self.latency
        try:
            with self.clock.job() as job:
                result = action()
                seconds = job.elapsed()
        finally:
            self.fake.latency = 0.0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kinds: dict[str, int] = {}
        for r in self.fake.requests:
            if r.api in ("sheets", "drive"):
                kinds[r.op] = kinds.get(r.op, 0) + 1
        return Measured(self.fake.count(), seconds, result, peak, kinds)

    # ------------------------------------------------------------------ set-up, not counted

    def template_id(self) -> str:
        store = self.store()
        template, _ = ensure_template(self.config, store,
                                      index_files(self.config, store.find(self.config.period.code)))
        return template.id

    def section_ids(self) -> dict[str, str]:
        return {r.tags.section: r.id for r in self.store().find(self.config.period.code,
                                                                 Role.section)}

    def type_values(self, ids: dict[str, str], *, only: str | None = None, value: float = 0.95,
                    wrong_every: int = 37) -> int:
        """Every section (or `only`) types its realisasi column (with explanations and
        evidence) and sets Selesai, as its own account; one value in `wrong_every` is text.
        Returns how many were typed wrong."""
        labels = self.config.labels
        wrong = 0
        for n, section in enumerate(self.config.sections):
            if only and section.id != only:
                continue
            grid = self.store().read(_ref(ids[section.id]), [KERTAS])[KERTAS]
            layout = locate(grid, labels)
            col = layout.columns["realisasi"]
            inds = self.config.indicators_of(section.id)
            column = []
            for k, ind in enumerate(inds):
                if (k + n) % wrong_every == 0:
                    column.append(["salah"])
                    wrong += 1
                else:
                    column.append([float(ind.target or 0) * value])
            editor = section.editors[0]
            # a full fill: the value, its explanation and its evidence link
            blocks = [(col, column)]
            if not only:
                blocks += [(layout.columns["keterangan"], [["Sesuai rencana"]] * len(inds)),
                           (layout.columns["bukti"],
                            [["https://drive.example/bukti.pdf"]] * len(inds))]
            for c, values in blocks:
                top = gspread.utils.rowcol_to_a1(layout.first_row, c)
                bottom = gspread.utils.rowcol_to_a1(layout.first_row + len(inds) - 1, c)
                answer = self.fake.write_as(editor, ids[section.id],
                                            f"'{KERTAS}'!{top}:{bottom}", values,
                                            value_input_option="RAW")
                assert answer.status_code == 200, answer.text
            r, c = layout.header_cells["status"]
            answer = self.fake.write_as(editor, ids[section.id],
                                        f"'{KERTAS}'!{gspread.utils.rowcol_to_a1(r, c)}",
                                        [[labels.status_done]], value_input_option="RAW")
            assert answer.status_code == 200, answer.text
            self.fake.advance(60)
        return wrong


def _ref(file_id: str) -> Any:
    from sheets_sync.ports import FileRef, Tags

    return FileRef(id=file_id, name=file_id, tags=Tags(Role.section, ""), url="")
