"""What distribute writes into a section's copy of the template (docs/design.md §7): the
header block, the indicators and targets, the capaian formulas of the section's own view,
the input cells left open and everything else protected, and the meta snapshot. Never an
input cell, so it cannot overwrite anything a section typed. Pure, over patches; the
contract it fills (columns, header fields, `locate`) is `domain/worksheet.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sheets_sync.domain import worksheet_look as look
from sheets_sync.domain.meta import META_KEYS, SNAPSHOT_HEADER, SNAPSHOT_ROW
from sheets_sync.domain.models import Config, Indicator, Polarity, Section
from sheets_sync.domain.numbers import is_percent_unit
from sheets_sync.domain.patch import (
    CellRange,
    Format,
    Formula,
    Protection,
    SheetPatch,
    Validation,
    WorkbookPatch,
    column_letter,
)
from sheets_sync.domain.worksheet import INPUT_COLUMNS, INPUT_FILL, TEMPLATE_VERSION, Layout

# --------------------------------------------------------------------------- prefill


def prefill_patch(config: Config, section: Section, layout: Layout, deadline: str,
                  distributed_at: datetime, editors: tuple[str, ...] = (), *,
                  fresh: bool = True) -> WorkbookPatch:
    """Section data for a copy of the template. Writes no input cell, except the status of a
    `fresh` copy ('Belum Diisi': nothing can have been typed in a copy not yet shared)."""
    labels = config.labels
    indicators = config.indicators_of(section.id)
    ws = SheetPatch(labels.sheet_worksheet)
    header_values = {"office": config.office.name, "unit": section.name,
                     "period": config.period.label, "deadline": deadline,
                     "status": labels.status_empty}
    if not fresh:
        del header_values["status"]
    for key, value in header_values.items():
        if key in layout.header_cells:
            ws.values[layout.header_cells[key]] = value

    first = layout.first_row
    last = first + max(len(indicators), 1) - 1
    cols = layout.columns
    targets = [i.target_text if i.polarity is Polarity.range else i.target for i in indicators]
    for n, ind in enumerate(indicators):
        row = first + n
        cells: dict[str, Any] = {
            "no": n + 1, "code": ind.code, "sasaran": ind.sasaran, "indicator": ind.name,
            "unit": ind.unit,
            "target": targets[n],
            "capaian": capaian_formula(ind, row, cols),
            "budget": ind.budget,
            "budget_capaian": _budget_formula(row, cols),
        }
        for key, value in cells.items():
            if key in cols and value is not None:
                ws.values[(row, cols[key])] = value

    editable = [CellRange.cell(*layout.header_cells["status"])] if "status" in layout.header_cells else []
    for key in INPUT_COLUMNS:
        if key in cols:
            rng = CellRange(first, cols[key], last, cols[key])
            editable.append(rng)
            ws.formats.append((rng, Format(fill=INPUT_FILL)))
    ws.protection = Protection(
        editable=tuple(editable), editors=editors,
        description="Dikunci oleh sheets-sync: isi hanya sel berwarna kuning",
    )
    if "status" in layout.header_cells:
        # only the states a section sets; the service's own (Valid, ...) are written by it
        ws.validations.append(Validation(
            CellRange.cell(*layout.header_cells["status"]), "list",
            options=tuple(labels.section_statuses),
            message=f"Pilih {', '.join(labels.section_statuses)}",
        ))
    for key in ("realisasi", "budget_real"):
        if key in cols:
            ws.validations.append(Validation(
                CellRange(first, cols[key], last, cols[key]), "number", minimum=0,
                message="Isi dengan angka (boleh desimal dengan koma), tidak negatif",
            ))
    look.table_formats(ws, first, last, cols,
                       {"target": targets,
                        "budget": [ind.budget for ind in indicators]})

    texts = {first + n: [("sasaran", ind.sasaran), ("indicator", ind.name)]
             for n, ind in enumerate(indicators)}
    look.decorate_sheet(ws, config, layout.header_cells.get("status"), layout.header_row,
                        first, last, cols, texts, layout.taken)
    return WorkbookPatch(sheets=[ws, meta_patch(config, section, layout, indicators,
                                                distributed_at)])


def capaian_formula(ind: Indicator, row: int, cols: dict[str, int]) -> Formula | None:
    """The section's own live view of capaian; the service never trusts it."""
    if "capaian" not in cols or "realisasi" not in cols:
        return None
    cell = f"{column_letter(cols['realisasi'])}{row}"
    # r: the realisasi as the service reads it (a percent-formatted cell is the percentage)
    r = percent_read(cell) if is_percent_unit(ind.unit) else cell
    if ind.polarity is Polarity.range:
        lo, hi = ind.target_min, ind.target_max
        if not lo or not hi:
            return None
        body = (f"IF({r}<{lo},{r}/{lo}*100,IF({r}>{hi},MAX(0,(2*{hi}-{r})/{hi}*100),100))")
        return Formula(f'=IF(ISNUMBER({cell}),ROUND({body},2),"")')
    if "target" not in cols:
        return None
    t = f"{column_letter(cols['target'])}{row}"
    body = f"{r}/{t}*100" if ind.polarity is Polarity.positive else f"MAX(0,(2*{t}-{r})/{t}*100)"
    return Formula(f'=IF(AND(ISNUMBER({cell}),ISNUMBER({t}),{t}<>0),ROUND({body},2),"")')


def percent_read(cell: str) -> str:
    """A formula for the number in `cell` read as the service reads it: `87,5%` typed in a
    spreadsheet is 0.875 in a percent-formatted cell, and means 87,5. Google Sheets shows the
    format through TO_TEXT ("87,50%"), which Excel and LibreOffice do not know (#NAME?, caught);
    they show it through CELL("format") ("P0", "P2"), which Google does not support."""
    is_percent = f'IFERROR(RIGHT(TO_TEXT({cell}),1)="%",LEFT(CELL("format",{cell}),1)="P")'
    return f"IF({is_percent},{cell}*100,{cell})"


def _budget_formula(row: int, cols: dict[str, int]) -> Formula | None:
    if not {"budget", "budget_real", "budget_capaian"} <= cols.keys():
        return None
    p, r = f"{column_letter(cols['budget'])}{row}", f"{column_letter(cols['budget_real'])}{row}"
    return Formula(f'=IF(AND(ISNUMBER({r}),ISNUMBER({p}),{p}<>0),ROUND({r}/{p}*100,2),"")')


# --------------------------------------------------------------------------- meta snapshot


def meta_patch(config: Config, section: Section, layout: Layout, indicators: list[Indicator],
               distributed_at: datetime) -> SheetPatch:
    meta = SheetPatch(config.labels.sheet_meta, hidden=True)
    values = [TEMPLATE_VERSION, section.id, config.period.code,
              distributed_at.isoformat(timespec="seconds"), layout.header_row]
    for r, (k, v) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        meta.put_row(r, 1, [k, v])
    meta.put_row(SNAPSHOT_ROW - 1, 1, list(SNAPSHOT_HEADER))
    for n, ind in enumerate(indicators):
        meta.put_row(SNAPSHOT_ROW + n, 1, [ind.code, layout.first_row + n, ind.target,
                                           ind.target_min, ind.target_max, ind.polarity.value,
                                           ind.unit])
    meta.protection = Protection(description="Data sistem sheets-sync: jangan diubah")
    return meta
