"""Command-line interface: a thin face over `sheets_sync.flows`."""

from sheets_sync.cli.main import main

# Importing the command modules registers their commands on `main`.
from sheets_sync.cli import commands as _commands  # noqa: F401  isort: skip

__all__ = ["main"]
