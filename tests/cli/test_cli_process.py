"""The CLI's process-wide settings do not leak into a program that calls it in-process."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sheets_sync.flows.status as status_flow
from sheets_sync.cli import main
from tests.backends import LocalEnv
from tests.conftest import small_config_data


def test_the_cycle_collector_is_paused_for_a_command_and_back_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    seen: list[bool] = []
    real = status_flow.status_report

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(status_flow, "status_report", watched)
    env.run("status")
    assert seen == [False] and gc.isenabled()  # paused while it ran, back after
    failed = CliRunner().invoke(main, ["--config", str(tmp_path / "nope.yaml"), "status"])
    assert failed.exit_code == 2 and gc.isenabled()  # back after a failure too
