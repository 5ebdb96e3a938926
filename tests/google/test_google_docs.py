"""The README's Google set-up is the one place for PEP's steps, and it is true to the code:
its config snippets, applied to the config `sync init` writes, load as the set-up they name;
every command it names exists; docs/google.md no longer carries a conflicting draft."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import yaml

from sheets_sync.cli import main
from sheets_sync.cli.scaffold import write_example
from sheets_sync.config import load_config
from sheets_sync.settings.backend import GoogleBackend
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SETUP = README[README.index("## Google set-up, step by step"):
               README.index("## Berjalan sebagai layanan")]
DEV_NOTES = (REPO / "docs" / "google.md").read_text(encoding="utf-8")


def _part(letter: str) -> str:
    start = SETUP.index(f"### {letter}. ")
    nxt = SETUP.find("### ", start + 4)
    return SETUP[start:nxt if nxt > 0 else None]


def _snippets(text: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def _merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in change.items():
        out[key] = _merge(base.get(key) or {}, value) if isinstance(value, dict) else value
    return out


def _apply(snippet: dict[str, Any], tmp_path: Path) -> Any:
    """Change the lines the README names in the config `sync init` wrote; load it."""
    write_example(tmp_path)
    cfg = tmp_path / "config" / "sync.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert text.count("\nbackend:") == 1  # init already wrote the block the README changes
    cfg.write_text(yaml.safe_dump(_merge(yaml.safe_load(text), snippet), allow_unicode=True),
                   encoding="utf-8")
    return load_config(cfg)


def test_set_up_a_changes_the_existing_block_into_an_oauth_google_backend(tmp_path: Path
                                                                          ) -> None:
    part = _part("A")
    assert "change two lines of the existing `backend:` block" in part
    (snippet,) = _snippets(part)
    config = _apply(snippet, tmp_path)
    assert config.backend.kind == "google" and config.backend.google.auth == "oauth"
    assert config.backend.google.folder_id == "<id folder>"
    assert config.backend.google.credentials == "credentials.json"


def test_set_up_b_says_kind_google_and_service_account(tmp_path: Path) -> None:
    (snippet,) = _snippets(_part("B"))
    assert snippet["backend"]["kind"] == "google"
    config = _apply(snippet, tmp_path)
    assert config.backend.kind == "google"
    assert config.backend.google.auth == "service_account"


def test_set_up_b_warns_of_the_key_policy_and_shared_drive_sharing() -> None:
    part = " ".join(_part("B").split())
    assert "iam.disableServiceAccountKeyCreation" in part and "administrator" in part
    assert "set-up **A**" in part  # the way out when the policy stays
    assert "people outside the organisation" in part and "gmail" in part
    assert "not members of the shared drive" in part


def test_set_up_a_says_what_to_do_when_no_browser_opens() -> None:
    part = " ".join(_part("A").split())
    assert "If no browser opens" in part and "on the same computer" in part


def test_the_7_day_expiry_is_in_the_readme_and_the_draft_is_gone() -> None:
    assert "7 days" in SETUP and "Publish app" in SETUP and "Internal" in SETUP
    assert "Draft for the README" not in DEV_NOTES and "Test user" not in DEV_NOTES
    assert "README" in DEV_NOTES.split("\n## ")[0]  # the notes point PEP to the README


def test_every_command_and_google_key_named_exists() -> None:
    commands = set(re.findall(r"`sync ((?:[a-z]+ ?)+)", SETUP))
    assert {"auth login", "doctor", "distribute", "init"} <= {c.strip() for c in commands}
    for words in commands:
        cmd: click.Command = main
        for word in words.split():
            assert isinstance(cmd, click.Group), words
            sub = cmd.get_command(click.Context(cmd), word)
            assert sub is not None, f"sync {words}"
            cmd = sub
    # config keys are snake_case; camelCase ones (writersCanShare) are Drive's own fields
    named = set(re.findall(r"`([a-z_]+): [^`]+`", SETUP)) - {"kind", "backend"}
    assert named and named <= set(GoogleBackend.model_fields), named
