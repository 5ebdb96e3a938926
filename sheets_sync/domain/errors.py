"""Errors a user can fix (the CLI maps each to an exit code and a plain message, never a
traceback). A backend's own failures are `ports.BackendError`."""

from __future__ import annotations


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
