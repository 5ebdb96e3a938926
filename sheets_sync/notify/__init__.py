"""Reminders to sections, PEP and leadership: channels (SMTP, webhook), their Indonesian
templates, the sent-log kept in the recap workbook, and sending what is due, once.

Which reminders are due when is pure domain: `sheets_sync.domain.reminders`."""

import logging

# The CLI shows outcomes itself; log records reach a file only where the service set one up.
logging.getLogger(__name__).addHandler(logging.NullHandler())
