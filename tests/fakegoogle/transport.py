"""The requests transport adapter: routing, identity, recording, fault injection.

`FakeAdapter.send` never opens a socket: Google hosts are answered in-process; any other
host raises requests.exceptions.ConnectionError, so a test cannot reach the network
through a session the fake is mounted on. The route tables are in transport_routes.py.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .errors import GoogleError, drive_error, fault_error, field_violation, sheets_error
from .masks import apply_mask, parse_mask
from .schema import check_body, check_params
from .semantics import check_fields_param

if TYPE_CHECKING:
    from .core import FakeGoogle

from .transport_routes import _DRIVE_ROUTES, _NO_CONTENT, _SHEETS_ROUTES, _Route

SHEETS_HOST = "sheets.googleapis.com"
DRIVE_HOST = "www.googleapis.com"
OAUTH_HOST = "oauth2.googleapis.com"

# Endpoints the fake deliberately does not implement (answered 501, listed by replay).
OUT_OF_SCOPE = {
    "files.export": "Drive files.export (binary download of a converted file)",
    "files.download": "Drive files.get?alt=media (binary content)",
    "upload": "Drive media upload (/upload/drive/...)",
    "drive.v2": "Drive v2 API",
    "spreadsheets.getByDataFilter": "Sheets getByDataFilter",
    "values.byDataFilter": "Sheets values.*ByDataFilter",
    "developerMetadata": "Sheets developerMetadata.*",
    "comments.write": "Drive comments create/update/delete",
    "revisions": "Drive revisions.*",
    "changes": "Drive changes.*",
}





def _json_response(
    request: requests.PreparedRequest, status: int, body: Any, headers: dict[str, str] | None
) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp.reason = {
        200: "OK",
        204: "No Content",
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        429: "Too Many Requests",
        500: "Internal Server Error",
        501: "Not Implemented",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(status, "")
    hdrs = CaseInsensitiveDict(headers or {})
    if body is None:
        resp._content = b""
        hdrs.setdefault("Content-Type", "text/html")
    else:
        resp._content = json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json; charset=UTF-8")
    hdrs["Content-Length"] = str(len(resp._content))
    resp.headers = hdrs
    resp.encoding = "utf-8"
    resp.url = request.url or ""
    resp.request = request
    return resp


class FakeAdapter(BaseAdapter):
    """Answers Sheets v4 / Drive v3 / oauth2 requests from the FakeGoogle world."""

    def __init__(self, fake: FakeGoogle) -> None:
        super().__init__()
        self.fake = fake

    def close(self) -> None:  # nothing to release
        pass

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = request.url or ""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host not in (SHEETS_HOST, DRIVE_HOST, OAUTH_HOST):
            raise requests.exceptions.ConnectionError(
                f"fakegoogle: no network in tests (refused {request.method} {url})",
                request=request,
            )
        if self.fake.latency:
            self.fake.latency_sleep(self.fake.latency)
        with self.fake.lock:
            return self._handle(request, parts)

    # ------------------------------------------------------------------
    def _handle(self, request: requests.PreparedRequest, parts: Any) -> requests.Response:
        fake = self.fake
        method = (request.method or "GET").upper()
        host = parts.hostname or ""
        raw_path = parts.path
        params_multi = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        raw_body = request.body
        if isinstance(raw_body, bytes):
            raw_body = raw_body.decode("utf-8")
        user = self._user_of(request)
        body: Any = None
        body_error = False
        if raw_body and host != OAUTH_HOST:
            try:
                body = json.loads(raw_body)
            except ValueError:
                body_error = True
        record = _record(fake, method, request.url or "", raw_path, params_multi, body, user)

        if host == OAUTH_HOST:
            record.api, record.op = "oauth", "token"
            return self._finish(request, record, *self._token(raw_body))

        route, args = self._route(method, host, raw_path)
        record.api = route.api if route else ("sheets" if host == SHEETS_HOST else "drive")
        record.op = route.op if route else "unknown"

        fault = fake._next_fault(method, raw_path)
        if fault is not None and fault.kind != "timeout_after_apply":
            record.fault = fault.kind
            if fault.kind in ("timeout", "read_timeout"):
                record.status = 0
                raise requests.exceptions.ReadTimeout("fakegoogle: injected read timeout", request=request)
            if fault.kind == "connect_timeout":
                record.status = 0
                raise requests.exceptions.ConnectTimeout(
                    "fakegoogle: injected connect timeout", request=request
                )
            code = 403 if fault.kind == "403_rate_limit" else int(fault.kind)
            err = fault_error(record.api, code, fault.retry_after)
            return self._finish(request, record, err.code, err.body, err.headers)

        token = _bearer(request)
        try:
            if user is None:
                raise self._unauthenticated(record.api)
            if route is None:
                raise self._not_found(host, raw_path, method)
            refusal = fake.office.refuse(record.api, record.op, method, token)
            if refusal is not None:
                raise refusal
            if body_error:
                raise field_violation(None, "Invalid JSON payload received. Unexpected token.")
            with fake.office.app_view(token):
                status, out = self._dispatch(route, args, user, params_multi, body)
        except GoogleError as e:
            return self._finish(request, record, e.code, e.body, e.headers)
        if fault is not None:  # timeout_after_apply: the write happened, the answer is lost
            record.fault = fault.kind
            record.status = 0
            raise requests.exceptions.ReadTimeout(
                "fakegoogle: injected read timeout after the request was applied",
                request=request,
            )
        return self._finish(request, record, status, out, None)

    def _finish(
        self,
        request: requests.PreparedRequest,
        record: Any,
        status: int,
        body: Any,
        headers: dict[str, str] | None,
    ) -> requests.Response:
        record.status = status
        record.response = body
        return _json_response(request, status, body, headers)

    # ------------------------------------------------------------------ identity
    def _user_of(self, request: requests.PreparedRequest) -> str | None:
        auth = request.headers.get("Authorization") or request.headers.get("authorization")
        if not auth:
            return None
        token = auth.split(" ", 1)[-1].strip()
        return self.fake.tokens.get(token)

    def _unauthenticated(self, api: str) -> GoogleError:
        msg = (
            "Request is missing required authentication credential. Expected OAuth 2 access "
            "token, login cookie or other valid authentication credential."
        )
        if api == "drive":
            return drive_error(
                401, "Invalid Credentials", "authError", location="Authorization", location_type="header"
            )
        return sheets_error(401, msg, "UNAUTHENTICATED")

    def _token(self, raw_body: Any) -> tuple[int, Any, dict[str, str] | None]:
        """oauth2 token endpoint: refresh tokens and JWT assertions map to a user."""
        form = {k: v[-1] for k, v in parse_qs(raw_body or "").items()}
        user = None
        if form.get("grant_type") == "refresh_token":
            user = self.fake.refresh_tokens.get(form.get("refresh_token", ""))
        elif "assertion" in form:
            try:
                payload = form["assertion"].split(".")[1]
                claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
                user = claims.get("sub") or claims.get("iss")
            except (ValueError, IndexError):
                user = None
        if user is None:
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}, None
        special = self.fake.office.token_answer(form, user)
        if special is not None:
            return special[0], special[1], None
        token = self.fake.token_for(user)
        return (
            200,
            {
                "access_token": token,
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": "https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive",
            },
            None,
        )

    # ------------------------------------------------------------------ routing
    def _not_found(self, host: str, path: str, method: str) -> GoogleError:
        for key, what in OUT_OF_SCOPE.items():
            if _matches_out_of_scope(key, method, path):
                return sheets_error(501, f"fakegoogle does not implement {what}", "UNIMPLEMENTED")
        return GoogleError(
            404, {"error": {"code": 404, "message": f"Not Found: {path}", "status": "NOT_FOUND"}}
        )

    def _route(self, method: str, host: str, path: str) -> tuple[_Route | None, list[str]]:
        table = _SHEETS_ROUTES if host == SHEETS_HOST else _DRIVE_ROUTES
        for m, rx, route in table:
            if m != method:
                continue
            mt = rx.match(path)
            if mt:
                return route, [unquote(g) for g in mt.groups()]
        return None, []

    def _dispatch(
        self,
        route: _Route,
        args: list[str],
        user: str,
        params_multi: dict[str, list[str]],
        body: Any,
    ) -> tuple[int, Any]:
        fake = self.fake
        strict = route.api == "sheets" and fake.strict
        params: dict[str, Any]
        if route.method_id:
            api = "sheets.v4" if route.api == "sheets" else "drive.v3"
            params = check_params(api, route.method_id, params_multi, strict=strict)
            check_fields_param(api, route.method_id, params.get("fields"))
        else:
            params = {k: v[-1] for k, v in params_multi.items()}
        if route.api == "drive":
            fake._supports_all_drives = route.op in _DRIVE_NO_FLAG or bool(
                params.get("supportsAllDrives") or params.get("supportsTeamDrives")
            )
        if route.api == "sheets":
            ref = _SHEETS_BODY.get(route.op)
            if ref is not None:
                schema_ref, root = ref
                body = check_body(
                    "sheets.v4", schema_ref, body if body is not None else {}, root=root, strict=fake.strict
                )
        result = route.fn(fake, user, args, params, body)
        if result is _NO_CONTENT:
            return 204, None
        if route.api == "sheets" and params.get("fields") and route.op != "spreadsheets.get":
            result = apply_mask(result, parse_mask(params["fields"]))
        return 200, result




# Drive methods without a supportsAllDrives parameter (they see Shared Drive items anyway)
_DRIVE_NO_FLAG = {"comments.list", "about.get", "drives.get", "drives.list"}

# request body schema and the proto field it binds to (for error paths like 'data.values')
_SHEETS_BODY = {
    "spreadsheets.create": ("Spreadsheet", "spreadsheet"),
    "spreadsheets.batchUpdate": ("BatchUpdateSpreadsheetRequest", ""),
    "values.update": ("ValueRange", "data"),
    "values.append": ("ValueRange", "data"),
    "values.batchUpdate": ("BatchUpdateValuesRequest", ""),
    "values.clear": ("ClearValuesRequest", ""),
    "values.batchClear": ("BatchClearValuesRequest", ""),
    "sheets.copyTo": ("CopySheetToAnotherSpreadsheetRequest", ""),
}


def _matches_out_of_scope(key: str, method: str, path: str) -> bool:
    if key == "files.export":
        return path.endswith("/export")
    if key == "upload":
        return path.startswith("/upload/")
    if key == "drive.v2":
        return path.startswith("/drive/v2/")
    if key == "spreadsheets.getByDataFilter":
        return path.endswith(":getByDataFilter")
    if key == "values.byDataFilter":
        return "ByDataFilter" in path
    if key == "developerMetadata":
        return "/developerMetadata" in path
    if key == "comments.write":
        return "/comments" in path and method != "GET"
    if key == "revisions":
        return "/revisions" in path
    if key == "changes":
        return "/drive/v3/changes" in path
    return False


def _bearer(request: requests.PreparedRequest) -> str | None:
    auth = request.headers.get("Authorization") or request.headers.get("authorization")
    return auth.split(" ", 1)[-1].strip() if auth else None


def _record(
    fake: FakeGoogle,
    method: str,
    url: str,
    path: str,
    params_multi: dict[str, list[str]],
    body: Any,
    user: str | None,
) -> Any:
    from .core import RecordedRequest

    rec = RecordedRequest(
        method=method,
        url=url,
        path=unquote(path),
        params={k: v[-1] for k, v in params_multi.items()},
        json=body,
        user=user,
        status=0,
        api="",
        op="",
        params_multi=params_multi,
    )
    fake.requests.append(rec)
    return rec
