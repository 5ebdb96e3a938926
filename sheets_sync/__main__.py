"""`python -m sheets_sync` = the `sync` command."""

from sheets_sync.cli import main

main()
