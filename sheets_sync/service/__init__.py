"""Running unattended: the watcher as a long-lived service (runner), its heartbeat, its clock."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
