"""Replay recorded Google traffic (vcrpy cassettes) against a fresh FakeGoogle and compare.

    python -m tests.fakegoogle.replay DIR

For each cassette: send its requests in order to a new fake (through a requests.Session,
the way gspread does), learn how the recording's ids map to the fake's ids from responses
(spreadsheetId, file id, sheetId, protectedRangeId, ...) and substitute them in later
requests, then compare status codes and response JSON (keys and values) ignoring volatile
fields (timestamps, urls, theme, default format, etags).

World set-up rules (the fake never reads cassettes to answer):
- the recording user is a service account that could create files: the replay user is a
  service-account e-mail with Drive storage (service_account=False);
- an id used in a request that no response of the cassette created, and that has the shape
  of a real Drive id, is taken to be someone else's existing spreadsheet not shared with the
  user (so the fake answers 403 like Google); other unknown ids ("test") do not exist;
- files in a recorded files.list response that the cassette never created are leftovers
  of other runs in the recording account: just before that listing the replay creates them
  (owned by the replay user, with the recorded name, createdTime and modifiedTime);
- the fake's clock follows the recorded responses' Date headers, so files the replay
  creates sort among the leftovers as they did when recorded.

Cassettes using an endpoint or request kind the fake declares out of scope
(transport.OUT_OF_SCOPE, request kinds without a handler) are reported, not replayed.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from .core import FakeGoogle
from .requests_impl import HANDLERS
from .transport import OUT_OF_SCOPE, _matches_out_of_scope

REPLAY_USER = "replay-sa@fakegoogle-replay.iam.gserviceaccount.com"
STRANGER = "stranger@example.com"
ID_KEYS = {
    "id",
    "spreadsheetId",
    "sheetId",
    "protectedRangeId",
    "namedRangeId",
    "chartId",
    "filterViewId",
    "bandedRangeId",
    "permissionId",
    "objectId",
    "driveId",
    "teamDriveId",
    "sourceSheetId",
    "newSheetId",
    "destinationSpreadsheetId",
}
IGNORED_KEYS = {
    "spreadsheetUrl",
    "spreadsheetTheme",
    "defaultFormat",
    "createdTime",
    "modifiedTime",
    "etag",
    "developerMetadata",
    "iconLink",
    "thumbnailLink",
    "webViewLink",
    "version",
    "photoLink",
    "modifiedByMeTime",
    "viewedByMeTime",
}
_SA_RE = re.compile(r"[\w.+-]+@[\w.-]+\.iam\.gserviceaccount\.com")
_DRIVE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{25,}$")


@dataclass
class Result:
    name: str
    status: str  # matched | mismatched | out of scope
    detail: str = ""


@dataclass
class _Ids:
    fwd: dict[Any, Any] = field(default_factory=dict)  # recorded -> fake

    def learn(self, rec: Any, got: Any) -> None:
        if rec is None or got is None or isinstance(rec, bool) or rec == got:
            if rec is not None and not isinstance(rec, bool):
                self.fwd.setdefault(rec, got)
            return
        self.fwd.setdefault(rec, got)

    def sub_text(self, text: str) -> str:
        for rec, got in sorted(
            ((r, g) for r, g in self.fwd.items() if isinstance(r, str) and len(r) >= 8),
            key=lambda kv: -len(kv[0]),
        ):
            text = text.replace(rec, str(got))
        return text

    def sub_json(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self.sub_json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.sub_json(v, key) for v in value]
        if key in ID_KEYS and not isinstance(value, bool) and value in self.fwd:
            return self.fwd[value]
        if isinstance(value, str):
            return self.sub_text(value)
        return value


def out_of_scope_reason(cassette: dict[str, Any]) -> str | None:
    for it in cassette.get("interactions", []):
        req = it["request"]
        parts = urlsplit(req["uri"])
        for key, what in OUT_OF_SCOPE.items():
            if _matches_out_of_scope(key, req["method"].upper(), parts.path):
                return f"endpoint {key} ({what})"
        if parts.path.endswith(":batchUpdate") and "/values" not in parts.path and req["body"]:
            try:
                body = json.loads(req["body"])
            except ValueError:
                continue
            for r in body.get("requests") or []:
                for kind in r:
                    if kind not in HANDLERS:
                        return f"batchUpdate request kind {kind}"
    return None


def _created_ids(cassette: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    for it in cassette.get("interactions", []):
        try:
            body = json.loads(it["response"]["body"]["string"] or "null")
        except (ValueError, KeyError, TypeError):
            continue
        req = it["request"]
        path = urlsplit(req["uri"]).path
        if (
            isinstance(body, dict)
            and req["method"] == "POST"
            and (
                path.rstrip("/").endswith("/files")
                or path.endswith("/copy")
                or path.rstrip("/") == "/v4/spreadsheets"
            )
        ):
            for k in ("id", "spreadsheetId"):
                if isinstance(body.get(k), str):
                    ids.add(body[k])
    return ids


def _referenced_ids(cassette: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    for it in cassette.get("interactions", []):
        path = urlsplit(it["request"]["uri"]).path
        m = re.match(r"^/v4/spreadsheets/([^/:]+)", path) or re.match(r"^/drive/v3/files/([^/]+)", path)
        if m:
            ids.add(m.group(1))
    return ids


def _listed_leftovers(cassette: dict[str, Any], created: set[str]) -> dict[int, list[dict[str, Any]]]:
    """Per files.list interaction: the recorded entries the cassette never created."""
    out: dict[int, list[dict[str, Any]]] = {}
    for i, it in enumerate(cassette.get("interactions", [])):
        req = it["request"]
        if req["method"] != "GET" or urlsplit(req["uri"]).path.rstrip("/") != "/drive/v3/files":
            continue
        try:
            body = json.loads(it["response"]["body"]["string"] or "null")
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(body, dict):
            out[i] = [
                f
                for f in body.get("files", [])
                if isinstance(f, dict) and f.get("id") and f["id"] not in created
            ]
    return out


def _response_date(it: dict[str, Any]) -> float | None:
    from email.utils import parsedate_to_datetime

    for k, v in (it["response"].get("headers") or {}).items():
        if k.lower() == "date" and v:
            try:
                return parsedate_to_datetime(v[0] if isinstance(v, list) else v).timestamp()
            except (TypeError, ValueError):
                return None
    return None


def _norm_scalar(v: Any) -> Any:
    if isinstance(v, str):
        return _SA_RE.sub("<service-account>", v)
    return v


def compare(rec: Any, got: Any, ids: _Ids, path: str = "$") -> str | None:
    """First difference between recorded and replayed JSON, or None."""
    if isinstance(rec, dict) and isinstance(got, dict):
        keys_r = {k for k in rec if k not in IGNORED_KEYS}
        keys_g = {k for k in got if k not in IGNORED_KEYS}
        if keys_r != keys_g:
            missing = sorted(keys_r - keys_g)
            extra = sorted(keys_g - keys_r)
            return f"{path}: keys differ (missing {missing}, unexpected {extra})"
        for k in sorted(keys_r):
            rv, gv = rec[k], got[k]
            if k == "files" and isinstance(rv, list):
                rv = [x for x in rv if not (isinstance(x, dict) and "id" in x and x["id"] not in ids.fwd)]
            if k in ID_KEYS and not isinstance(rv, dict | list):
                if rv in ids.fwd:
                    if ids.fwd[rv] != gv:
                        return f"{path}.{k}: id {rv!r} maps to {ids.fwd[rv]!r}, got {gv!r}"
                else:
                    ids.learn(rv, gv)
                continue
            if k == "parents" and isinstance(rv, list):
                continue  # folder ids of the recording account's drive
            diff = compare(rv, gv, ids, f"{path}.{k}")
            if diff:
                return diff
        return None
    if isinstance(rec, list) and isinstance(got, list):
        if len(rec) != len(got):
            return f"{path}: list length {len(rec)} recorded, {len(got)} replayed"
        for i, (a, b) in enumerate(zip(rec, got, strict=True)):
            diff = compare(a, b, ids, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if isinstance(rec, bool) or isinstance(got, bool):
        return None if rec == got else f"{path}: recorded {rec!r}, replayed {got!r}"
    if isinstance(rec, int | float) and isinstance(got, int | float):
        if abs(rec - got) <= 1e-9 * max(1.0, abs(rec)):
            return None
        return f"{path}: recorded {rec!r}, replayed {got!r}"
    if isinstance(rec, str) and isinstance(got, str):
        a = _norm_scalar(ids.sub_text(rec))
        b = _norm_scalar(got)
        return None if a == b else f"{path}: recorded {rec!r}, replayed {got!r}"
    if rec == got:
        return None
    return f"{path}: recorded {rec!r}, replayed {got!r}"


def replay_cassette(path: Path) -> Result:
    name = path.stem
    cassette = json.loads(path.read_text(encoding="utf-8"))
    reason = out_of_scope_reason(cassette)
    if reason:
        return Result(name, "out of scope", reason)
    fake = FakeGoogle(seed=0, default_user=REPLAY_USER)
    fake.add_user(REPLAY_USER, service_account=False)
    created = _created_ids(cassette)
    leftovers = _listed_leftovers(cassette, created)
    leftover_ids = {f["id"] for files in leftovers.values() for f in files}
    for rid in _referenced_ids(cassette) - created - leftover_ids:
        if _DRIVE_ID_RE.match(rid):
            fake.create_spreadsheet("Someone else's spreadsheet", owner=STRANGER, file_id=rid)
    session = fake.session(REPLAY_USER)
    ids = _Ids()
    for rid in (_referenced_ids(cassette) | leftover_ids) - created:
        ids.fwd[rid] = rid
    for i, it in enumerate(cassette.get("interactions", [])):
        when = _response_date(it)
        if when is not None and when > fake.clock.now():
            fake.clock.set(when)
        for left in leftovers.get(i, []):
            _ensure_leftover(fake, left)
        req = it["request"]
        uri = ids.sub_text(req["uri"])
        body = req.get("body")
        data: bytes | None = None
        headers = {}
        if body:
            try:
                parsed = json.loads(body)
                data = json.dumps(ids.sub_json(parsed)).encode()
                headers["Content-Type"] = "application/json"
            except ValueError:
                data = ids.sub_text(body).encode()
        try:
            resp = session.request(req["method"], uri, data=data, headers=headers)
        except requests.RequestException as e:
            return Result(name, "mismatched", f"interaction {i} {req['method']} {uri}: {e!r}")
        want = it["response"]["status"]["code"]
        rec_text = it["response"]["body"].get("string") or ""
        if resp.status_code != want:
            return Result(
                name,
                "mismatched",
                f"interaction {i} {req['method']} {urlsplit(uri).path}: status recorded {want}, "
                f"replayed {resp.status_code}: {resp.text[:300]}",
            )
        if not rec_text.strip():
            continue
        try:
            rec_json = json.loads(rec_text)
        except ValueError:
            continue
        try:
            got_json = resp.json()
        except ValueError:
            return Result(name, "mismatched", f"interaction {i}: replayed body is not JSON")
        diff = compare(rec_json, got_json, ids)
        if diff:
            return Result(name, "mismatched", f"interaction {i} {req['method']} {urlsplit(uri).path}: {diff}")
    return Result(name, "matched")


def _ensure_leftover(fake: FakeGoogle, entry: dict[str, Any]) -> None:
    """A file the recording account already had: create it with its recorded metadata."""
    from .core import parse_rfc3339

    if entry["id"] in fake.files:
        return
    fid = fake.create_spreadsheet(entry.get("name", "Untitled"), owner=REPLAY_USER, file_id=entry["id"])
    f = fake.files[fid]
    if entry.get("createdTime"):
        f.created_time = parse_rfc3339(entry["createdTime"])
    if entry.get("modifiedTime"):
        f.modified_time = parse_rfc3339(entry["modifiedTime"])


def run(directory: Path, out: Any = sys.stdout) -> list[Result]:
    results = []
    for path in sorted(directory.glob("*.json")):
        res = replay_cassette(path)
        results.append(res)
        if res.status == "matched":
            print(f"matched {res.name}", file=out)
        else:
            print(f"{res.status} {res.name}: {res.detail}", file=out)
    passed = sum(r.status == "matched" for r in results)
    failed = sum(r.status == "mismatched" for r in results)
    skipped = sum(r.status == "out of scope" for r in results)
    print(f"{skipped} out of scope", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return results


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.fakegoogle.replay DIR", file=sys.stderr)
        return 2
    directory = Path(args[0])
    if not directory.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    results = run(directory)
    return 0 if not any(r.status == "mismatched" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
