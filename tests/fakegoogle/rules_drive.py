"""Drive v3 rules Google enforces on permissions and files, beyond the schema and
semantics.check_permission. Each names its reference page; errors are Drive's older shape
(errors[] with domain/reason, errors.drive_error).

- `check_permission_params(fake, body, params, ptype, role, update)`: permissions.create /
  permissions.update parameters (notification, ownership transfer, expiration);
- `check_parents(parents)`: a file has one parent (files.create, files.copy, files.update);
- `check_property_counts(app_properties, properties)`: the counts after a write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core_types import parse_rfc3339
from .errors import GoogleError, drive_error

if TYPE_CHECKING:
    from .core import FakeGoogle

PERMISSIONS_CREATE = "https://developers.google.com/drive/api/reference/rest/v3/permissions/create"
PERMISSION = "https://developers.google.com/drive/api/reference/rest/v3/permissions#Permission"
YEAR = 366 * 24 * 3600.0
OWNER_MESSAGE = "The transferOwnership parameter must be enabled when the permission role is 'owner'."


def _bad(message: str, reason: str, location: str, kind: str = "parameter") -> GoogleError:
    return drive_error(400, message, reason, location=location, location_type=kind)


def check_permission_params(fake: FakeGoogle, body: dict[str, Any], params: dict[str, Any],
                            ptype: str | None, role: str | None, *, update: bool) -> None:
    """permissions.create (PERMISSIONS_CREATE) and permissions.update:

    - role `owner` needs transferOwnership=true ("This parameter is required as an
      acknowledgement of the side effect"), on create and on update alike;
    - sendNotificationEmail: "Whether to send a notification email when sharing to users or
      groups. This defaults to true for users and groups, and is not allowed for other
      requests. It must not be disabled for ownership transfers." emailMessage is that
      notification's text: also only for users and groups;
    - Permission.expirationTime (PERMISSION): "They can only be set on user and group
      permissions; The time must be in the future; The time cannot be more than a year in
      the future."
    """
    transfer = bool(params.get("transferOwnership"))
    if role == "owner" and not transfer:
        raise drive_error(403, OWNER_MESSAGE, "forbidden", location="transferOwnership")
    if role == "owner" and ptype not in (None, "user"):
        # only a user can own a file (https://developers.google.com/drive/api/guides/ref-roles)
        raise _bad(f"The owner role can only be granted to a user, not to a {ptype}.",
                   "invalidSharingRequest", "permission.role", "other")
    person = ptype in ("user", "group")
    notify = params.get("sendNotificationEmail")
    if not update:
        if not person and (notify is True or params.get("emailMessage")):
            raise _bad("Notification emails can only be sent to users or groups; "
                       "sendNotificationEmail and emailMessage are not allowed for a "
                       f"{ptype} permission.", "invalidSharingRequest",
                       "sendNotificationEmail" if notify else "emailMessage")
        if transfer and role == "owner" and notify is False:
            raise _bad("Notification emails cannot be disabled for ownership transfers.",
                       "forbidden", "sendNotificationEmail")
    expiration = body.get("expirationTime")
    if expiration is None:
        return
    if not person:
        raise _bad("Expiration dates cannot be set on anyone or domain permissions.",
                   "cannotSetExpirationOnAnyoneOrDomain", "permission.expirationTime", "other")
    try:
        when = parse_rfc3339(str(expiration))
    except ValueError:
        raise _bad(f"Invalid value for expirationTime: {expiration}", "invalid",
                   "permission.expirationTime", "other") from None
    now = fake.clock.now()
    if when <= now:
        raise _bad("Expiration dates must be in the future.",
                   "expirationDatesMustBeInTheFuture", "permission.expirationTime", "other")
    if when > now + YEAR:
        raise _bad("Expiration dates cannot be more than a year in the future.",
                   "expirationDateTooFarInTheFuture", "permission.expirationTime", "other")
    if role == "owner":
        raise _bad("Expiration dates cannot be set on the owner.", "cannotSetExpiration",
                   "permission.expirationTime", "other")


def check_parents(parents: list[str]) -> None:
    """A file has exactly one parent: "Requests that specify more than one parent fail"
    (https://developers.google.com/drive/api/guides/ref-single-parent;
    https://developers.google.com/drive/api/reference/rest/v3/files#File "parents": "A file
    can only have one parent folder; specifying multiple parents isn't supported")."""
    if len(set(parents)) > 1:
        raise drive_error(403, "Increasing the number of parents is not allowed.",
                          "cannotAddParent", location="parents", location_type="other")


# https://developers.google.com/drive/api/guides/properties ("Limits of custom file
# properties"): at most 100 custom properties per file in all, 30 public ones, 30 private
# ones per application; 124 bytes per property, key and value together (drive_common).
MAX_PRIVATE = 30
MAX_PUBLIC = 30
MAX_PROPERTIES = 100


def check_property_counts(app_properties: dict[str, str], properties: dict[str, str]) -> None:
    """A file's properties as they would be after a write: within Drive's counts."""
    private = len(app_properties)
    if private > MAX_PRIVATE:
        raise _bad(f"A file can have at most {MAX_PRIVATE} private properties per application "
                   f"(appProperties); this request would give it {private}.",
                   "invalidProperty", "appProperties", "other")
    if len(properties) > MAX_PUBLIC:
        raise _bad(f"A file can have at most {MAX_PUBLIC} public properties (properties); this "
                   f"request would give it {len(properties)}.", "invalidProperty",
                   "properties", "other")
    if private + len(properties) > MAX_PROPERTIES:
        raise _bad(f"A file can have at most {MAX_PROPERTIES} custom properties in all.",
                   "invalidProperty", "properties", "other")
