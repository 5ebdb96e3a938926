"""Flows: the SOP steps as operations over the workbook-store port. No I/O of their own
besides the port; the CLI renders their results."""
