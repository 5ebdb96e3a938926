"""openpyxl pieces shared by every .xlsx the service writes: the local backend's workbooks
(`adapters/local/xlsx`) and the formal reports (`reports/tabular.py`). Its own layer
(docs/design.md §4): it imports only `domain` (and openpyxl); adapters and reports import it.
"""
