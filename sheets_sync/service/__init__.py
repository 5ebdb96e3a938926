"""Running unattended: the watcher as a long-lived service (runner), its heartbeat, its clock."""
