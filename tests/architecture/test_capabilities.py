"""Optional backend abilities are declared in the store's type (`ports.Capabilities`), and the
guard passes them on: a flow asks the declaration, never probes the store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.http import RateLimiter
from sheets_sync.adapters.local import LocalStore
from sheets_sync.flows.guard import GuardedStore
from sheets_sync.ports import Capabilities, WorkbookStore, paces_by_bucket
from sheets_sync.settings.backend import GoogleBackend
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_support import PEP, FakeClock, Sleeps, make_store


def test_the_local_store_paces_nothing_and_counts_no_calls(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert store.capabilities == Capabilities(paces_by_bucket=False, counts_calls=False,
                                             backups=store, missing=store)
    assert store.stats() == {}
    assert not paces_by_bucket(GuardedStore(store, "2026-TW3", writing=False))


def test_the_google_store_counts_calls_and_paces_per_bucket_under_the_quota() -> None:
    fake = FakeGoogle(seed=3)
    store = make_store(fake)
    # no backups of its own (Drive keeps version history); what is in Drive's trash it names
    assert store.capabilities == Capabilities(paces_by_bucket=True, counts_calls=True,
                                             missing=store)
    guarded = GuardedStore(store, "2026-TW3", writing=False)
    assert guarded.capabilities == store.capabilities
    guarded.find("2026-TW3")
    assert guarded.stats() == {"drive.files.list": 1}


def test_under_one_shared_rate_the_google_store_does_not_pace_per_bucket() -> None:
    clock = FakeClock()
    store = GoogleStore.from_session(FakeGoogle(seed=3).session(PEP), GoogleBackend(),
                                     account=PEP, sleep=Sleeps(),
                                     limiter=RateLimiter(50, clock=clock, sleep=clock.sleep))
    assert store.capabilities == Capabilities(paces_by_bucket=False, counts_calls=True,
                                             missing=store)


def test_the_local_store_declares_its_backups_and_the_guard_passes_them_on(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert store.capabilities.backups is store
    guarded = GuardedStore(store, "2026-TW3", writing=False)
    assert guarded.capabilities.backups is store
    assert guarded.capabilities.backups.missing("2026-TW3") == []
    assert guarded.lock_holder("2026-TW3") is None


def test_the_google_store_keeps_no_backups_of_its_own() -> None:
    assert make_store(FakeGoogle(seed=3)).capabilities.backups is None


def test_the_guard_offers_exactly_the_port_and_forwards_nothing_else(tmp_path: Path) -> None:
    guarded = GuardedStore(LocalStore(tmp_path), "2026-TW3", writing=False)
    port = {name for name in dir(WorkbookStore) if not name.startswith("_")}
    assert port <= set(dir(guarded))
    assert not hasattr(guarded, "restore")  # the local store's own: asked of `inner`
    assert not hasattr(guarded, "workspace")


PROBED = re.compile(r"\b(store|inner|guarded)\b|_store\b")


def test_no_flow_probes_the_store_for_an_ability() -> None:
    """A backend's optional abilities are declared (`ports.Capabilities`, the port's own
    methods); `getattr(store, ...)` or `hasattr(store, ...)` above the adapters hides one
    from the type (docs/design.md §4)."""
    root = Path(__file__).resolve().parents[2] / "sheets_sync"
    found = []
    for package in ("flows", "cli", "service", "notify", "reports"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("getattr", "hasattr") and node.args
                        and PROBED.search(ast.unparse(node.args[0]))):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: "
                                 f"{ast.unparse(node)}")
    assert not found, "probes of the store (declare the ability in ports.py instead):\n" \
        + "\n".join(found)
