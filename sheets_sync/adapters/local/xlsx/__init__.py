"""The .xlsx format: reading a workbook's values and writing a patch into one."""
