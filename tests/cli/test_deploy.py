"""The deployment files in deploy/ are valid, and every command line in them (and in the
README's set-up) is one the CLI really accepts; no secret is baked into any of them."""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
import subprocess
import warnings
from pathlib import Path

import click
import pytest

from sheets_sync.cli import main
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
SECRET = re.compile(r"(PASSWORD|TOKEN|SECRET)\s*=\s*\S", re.I)

UNIT_KEYS = {
    "Unit": {"Description", "Documentation", "Wants", "After", "Requires", "Before"},
    "Service": {"Type", "User", "Group", "WorkingDirectory", "Environment", "EnvironmentFile",
                "ExecStart", "KillSignal", "KillMode", "TimeoutStopSec", "Restart", "RestartSec",
                "StateDirectory", "LogsDirectory", "NoNewPrivileges", "PrivateTmp",
                "ProtectSystem", "ProtectHome", "UMask", "ReadWritePaths"},
    "Install": {"WantedBy"},
}
DOCKER_INSTRUCTIONS = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "VOLUME", "STOPSIGNAL",
                       "ENTRYPOINT", "CMD", "ARG", "LABEL", "EXPOSE", "HEALTHCHECK"}


def cli_accepts(args: list[str]) -> None:
    """Parse `args` as `sheets-sync ARGS` would, without running anything."""
    ctx = main.make_context("sheets-sync", list(args))
    with warnings.catch_warnings():  # click 8.2 deprecates protected_args; 9.0 folds it in args
        warnings.simplefilter("ignore", DeprecationWarning)
        tokens = [*getattr(ctx, "protected_args", []), *ctx.args]
    name, cmd, rest = main.resolve_command(ctx, tokens)
    assert cmd is not None, name
    cmd.make_context(name or "", rest, parent=ctx)


def test_cli_accepts_rejects_nonsense():
    with pytest.raises(click.UsageError):
        cli_accepts(["watch", "--intervall", "60"])


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = m.group(1)
            assert current not in sections, f"line {n}: [{current}] twice"
            sections[current] = []
            continue
        assert current is not None, f"line {n}: a key before any [section]"
        key, sep, value = line.partition("=")
        assert sep and key.strip() and value.strip(), f"line {n}: not key=value: {raw!r}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def test_systemd_unit():
    unit = parse_unit((DEPLOY / "sheets-sync-watch.service").read_text(encoding="utf-8"))
    assert set(unit) == set(UNIT_KEYS)
    for section, pairs in unit.items():
        unknown = {k for k, _ in pairs} - UNIT_KEYS[section]
        assert not unknown, f"[{section}] unknown keys {unknown}"
    service = dict(unit["Service"])
    assert service["KillSignal"] == "SIGTERM" and service["Restart"] == "on-failure"
    exe, *args = shlex.split(service["ExecStart"])
    assert exe.startswith("/") and exe.endswith("/sheets-sync")
    cli_accepts(args)
    assert args[0] == "watch"
    envs = [v for k, v in unit["Service"] if k == "Environment"]
    assert not any(SECRET.search(e) for e in envs)  # secrets live in the EnvironmentFile
    assert "TZ=Asia/Jakarta" in envs  # office hours are WIB, whatever the server's zone
    assert service["EnvironmentFile"].startswith("-/")
    assert dict(unit["Install"])["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verify(tmp_path):
    # verify checks that the program exists: point ExecStart at one that does here
    text = (DEPLOY / "sheets-sync-watch.service").read_text(encoding="utf-8")
    text = re.sub(r"^ExecStart=\S+", "ExecStart=/bin/true", text, flags=re.M)
    text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M)
    unit = tmp_path / "sheets-sync-watch.service"
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)],
                            capture_output=True, text=True, timeout=60)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if "sheets-sync-watch.service" in line]
    assert result.returncode == 0 and complaints == [], result.stdout + result.stderr


def docker_instructions(text: str) -> list[tuple[str, str]]:
    out, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    assert not pending, "a continuation line runs off the end"
    return out


def test_dockerfile():
    steps = docker_instructions((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    names = [n for n, _ in steps]
    assert names[0] == "FROM" and set(names) <= DOCKER_INSTRUCTIONS, names
    args = dict(steps)
    entry, cmd = json.loads(args["ENTRYPOINT"]), json.loads(args["CMD"])  # exec form
    assert entry == ["sheets-sync"]
    cli_accepts(cmd)
    assert args["STOPSIGNAL"] == "SIGTERM"
    assert "TZ=Asia/Jakarta" in " ".join(v for n, v in steps if n == "ENV")
    assert "tzdata" in " ".join(v for n, v in steps if n == "RUN")
    assert [v for n, v in steps if n == "USER"][-1] not in ("root", "0")
    for name, value in steps:
        assert not SECRET.search(value), (name, value)
        if name in ("COPY", "ADD"):
            *sources, _dest = value.split()
            for src in sources:
                assert glob.glob(str(REPO / src)), f"{name} {src}: nothing in the repository"
                assert not re.search(r"credential|authorized_user|token|secret|\.env", src)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    for pattern in ("**/credentials*.json", "**/authorized_user*.json", "**/.env"):
        assert pattern in ignore.splitlines()


def test_windows_task_script():
    text = (DEPLOY / "windows" / "install-task.ps1").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for opening, closing in ("{}", "()", "[]"):
        assert code.count(opening) == code.count(closing), opening
    assert code.count('"') % 2 == 0
    for cmdlet in ("Register-ScheduledTask", "New-ScheduledTaskAction", "New-ScheduledTaskTrigger",
                   "New-ScheduledTaskSettingsSet", "New-ScheduledTaskPrincipal"):
        assert cmdlet in code
    assert "-AtStartup" in code and "-ExecutionTimeLimit" in code and "-RestartCount" in code
    values = {"$Config": r"C:\DataKinerja\config\sync.yaml", "$Interval": "60",
              "$($Every)": "5", "$log": r"C:\DataKinerja\config\sheets-sync-watch.log"}
    commands = re.findall(r'^\s*\$arguments = "(.*)"\s*$', code, flags=re.M)
    assert len(commands) == 3  # the watcher, one round every -Every minutes, remind-only
    scheduled = next(c for c in commands if "--once" in c)
    # the round says how often the task repeats it: the heartbeat's promise of the next run
    assert "--every $($Every)m" in scheduled and "-Minutes $Every" in code
    for template in commands:
        line = template.replace("`\"", '"')
        for var, value in values.items():
            line = line.replace(var, value)
        cli_accepts(shlex.split(line.replace("\\", "/")))
    assert not SECRET.search(code)


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="no PowerShell here")
def test_windows_task_script_parses_in_powershell():
    script = DEPLOY / "windows" / "install-task.ps1"
    check = ("$e=$null; [System.Management.Automation.Language.Parser]::ParseFile("
             f"'{script}', [ref]$null, [ref]$e) | Out-Null; exit $e.Count")
    assert subprocess.run(["pwsh", "-NoProfile", "-Command", check], timeout=120).returncode == 0


def test_readme_set_up_commands_are_real():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("## Berjalan sebagai layanan"):readme.index("## Cara kerja")]
    schtasks = re.findall(r'/TR "(.+?)"(?:`|\s*$)', part, flags=re.M)
    assert len(schtasks) == 2
    for tr in schtasks:
        exe, *args = shlex.split(tr.replace('\\"', '"').replace("\\", "/"))
        assert exe.endswith("sheets-sync.exe")
        cli_accepts(args)
    assert "docker build -f deploy/Dockerfile" in part
    assert "deploy/sheets-sync-watch.service" in part and "install-task.ps1" in part
    for path in ("deploy/Dockerfile", "deploy/sheets-sync-watch.service",
                 "deploy/windows/install-task.ps1"):
        assert Path(REPO / path).is_file()


def test_systemd_timer_and_its_round_agree_on_the_schedule():
    service = parse_unit((DEPLOY / "sheets-sync-once.service").read_text(encoding="utf-8"))
    timer = parse_unit((DEPLOY / "sheets-sync-once.timer").read_text(encoding="utf-8"))
    run = dict(service["Service"])
    assert run["Type"] == "oneshot"
    exe, *args = shlex.split(run["ExecStart"])
    assert exe.startswith("/") and exe.endswith("/sheets-sync")
    cli_accepts(args)
    assert args[:2] == ["watch", "--once"]
    every = args[args.index("--every") + 1]
    schedule = dict(timer["Timer"])
    assert schedule["Unit"] == "sheets-sync-once.service"
    to_seconds = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
    m = re.fullmatch(r"(\d+)(\w+)", schedule["OnUnitActiveSec"])
    n = re.fullmatch(r"(\d+)(\w+)", every)
    assert m and n
    assert int(m.group(1)) * to_seconds[m.group(2)] == int(n.group(1)) * to_seconds[n.group(2)]
    envs = [v for k, v in service["Service"] if k == "Environment"]
    assert "TZ=Asia/Jakarta" in envs and not any(SECRET.search(e) for e in envs)
    assert dict(timer["Install"])["WantedBy"] == "timers.target"
