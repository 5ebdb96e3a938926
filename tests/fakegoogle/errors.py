"""Google's error bodies, shaped as the real APIs shape them.

Sheets v4 (a "One Platform" API) answers {"error": {code, message, status[, details]}};
Drive v3 answers the older shape {"error": {code, message, errors: [{domain, reason,
message, ...}]}}. gspread reads code/message/status from either.
"""

from __future__ import annotations

from typing import Any

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class GoogleError(Exception):
    """Raised inside handlers; the transport turns it into an HTTP error response."""

    def __init__(
        self,
        code: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(body.get("error", {}).get("message", ""))
        self.code = code
        self.body = body
        self.headers = headers or {}


def sheets_error(
    code: int,
    message: str,
    status: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> GoogleError:
    err: dict[str, Any] = {"code": code, "message": message, "status": status or _STATUS[code]}
    if details:
        err["details"] = details
    return GoogleError(code, {"error": err}, headers)


def bad_request(message: str) -> GoogleError:
    return sheets_error(400, message)


def field_violation(field: str | None, message: str) -> GoogleError:
    """400 with a google.rpc.BadRequest detail, as the JSON-payload checks answer."""
    violation: dict[str, Any] = {"description": message}
    if field:
        violation = {"field": field, "description": message}
    return sheets_error(
        400,
        message,
        details=[{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}],
    )


def drive_error(
    code: int,
    message: str,
    reason: str,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> GoogleError:
    item: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location:
        item["location"] = location
        item["locationType"] = location_type or "parameter"
    return GoogleError(code, {"error": {"code": code, "message": message, "errors": [item]}}, headers)


def drive_not_found(file_id: str) -> GoogleError:
    return drive_error(404, f"File not found: {file_id}.", "notFound", location="fileId")


def sheets_permission_denied() -> GoogleError:
    return sheets_error(403, "The caller does not have permission")


def sheets_not_found() -> GoogleError:
    return sheets_error(404, "Requested entity was not found.")


PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet "
    "owner to remove protection if you need to edit."
)


def fault_error(api: str, code: int, retry_after: float | None = None) -> GoogleError:
    """An injected transient failure (429/500/502/503/504) in the API's own shape."""
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after) if float(retry_after).is_integer() else retry_after)
    if api == "drive":
        if code == 403:
            return drive_error(
                403,
                "User rate limit exceeded.",
                "userRateLimitExceeded",
                domain="usageLimits",
                headers=headers,
            )
        if code == 429:
            return drive_error(
                429,
                "User rate limit exceeded.",
                "userRateLimitExceeded",
                domain="usageLimits",
                headers=headers,
            )
        if code == 500:
            return drive_error(500, "Internal Error", "internalError", headers=headers)
        return drive_error(code, "Backend Error", "backendError", headers=headers)
    if code in (403, 429):
        code = 429  # Sheets signals rate limits with 429 only
        msg = (
            "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
            "minute per user' of service 'sheets.googleapis.com' for consumer "
            "'project_number:000000000000'."
        )
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "sheets.googleapis.com",
                    "quota_limit": "WriteRequestsPerMinutePerUser",
                },
            }
        ]
        return sheets_error(429, msg, details=details, headers=headers)
    if code == 500:
        return sheets_error(500, "Internal error encountered.", headers=headers)
    if code == 504:
        return sheets_error(504, "The service is currently unavailable.", headers=headers)
    return sheets_error(code, "The service is currently unavailable.", headers=headers)
