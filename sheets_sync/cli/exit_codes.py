"""The exit codes of `sync` (README: exit codes), one per kind of outcome."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ISSUES = 1  # validation found errors
EXIT_USAGE = 2  # usage or config error
EXIT_BACKEND = 3  # backend or access error
EXIT_SKIPPED = 4  # a workbook could not be used (damaged, open, read-only, ...); others done
