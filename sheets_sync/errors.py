"""Errors a user can fix, each mapped to an exit code by the CLI (never a traceback)."""

from __future__ import annotations

from sheets_sync.ports import BackendError

__all__ = ["EXIT_BACKEND", "EXIT_ISSUES", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "BackendError",
           "ConfigError", "UsageProblem"]

EXIT_OK = 0
EXIT_ISSUES = 1  # validation found errors
EXIT_USAGE = 2  # usage or config error
EXIT_BACKEND = 3  # backend or access error
EXIT_SKIPPED = 4  # a workbook could not be used (damaged, open, read-only, ...); others done


class ConfigError(Exception):
    """A config (or indicators file) is wrong. The message names the file, the field and what
    to write instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageProblem(Exception):
    """A command asked for something that does not exist (a section id, ...): exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
