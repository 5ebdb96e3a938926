"""What leadership and sections open (issue 19): the recap as a dashboard on both backends,
its print setup, and a section's workbook that tells its reader what to do. Properties are
read back from the files (openpyxl) and from the fake's Google model, without LibreOffice."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

from sheets_sync.domain import presentation as look
from sheets_sync.domain.worksheet_look import SHEET_INSTRUCTIONS
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data

LONG = ("Persentase dokumen perencanaan, evaluasi dan pelaporan kinerja yang disusun tepat "
        "waktu sesuai ketentuan peraturan perundang-undangan yang berlaku")


def _data(**extra: Any) -> dict[str, Any]:
    data = small_config_data(sections=4, indicators=5, **extra)
    data["indicators"][0]["name"] = LONG
    return data


def _filled(env: Env) -> Env:
    env.run("distribute")
    config = env.config
    for n, s in enumerate(config.sections):
        # capaian spread over the bands: 100, 80, 70, 40 % of target
        share = (1.0, 0.8, 0.7, 0.4)[n % 4]
        env.type_into(s.id, {i.code: {"realisasi": round(i.target * share, 1)}
                             for i in config.indicators_of(s.id) if i.target},
                      status="Selesai")
    env.run("recap")
    return env


def _recap_book(env: LocalEnv) -> Any:
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    return load_workbook(ref.id)


def _col(ws: Any, header: str, row: int = 1) -> int:
    for cell in ws[row]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"{header} not in row {row}")


def _header_row(ws: Any, first: str) -> int:
    return next(c.row for c in ws["A"] if c.value == first)


# --------------------------------------------------------------------------- local (xlsx)


def test_recap_numbers_are_formatted_and_bands_are_conditional(tmp_path: Path) -> None:
    env = _filled(LocalEnv(tmp_path, _data()))
    wb = _recap_book(env)
    ind = wb["Rekap Indikator"]
    last = ind.max_row
    assert last > 2
    for header, pattern in (("Capaian (%)", look.PERCENT), ("Pagu (Rp)", look.RUPIAH)):
        col = _col(ind, header)
        assert {ind.cell(r, col).number_format for r in range(2, last + 1)} == {pattern}, header
    for header in ("Target", "Realisasi"):  # whole numbers whole, decimals where they are
        col = _col(ind, header)
        for r in range(2, last + 1):
            cell = ind.cell(r, col)
            assert cell.number_format == (look.number_format_for(cell.value) or look.WHOLE)
    # band colours as conditional formatting over the capaian column, one rule per band
    capaian = _col(ind, "Capaian (%)")
    rules = [(str(cf.sqref), r) for cf in ind.conditional_formatting for r in cf.rules]
    letter = ind.cell(1, capaian).column_letter
    assert {sq for sq, _ in rules} == {f"{letter}2:{letter}{last}"}
    bands = look.band_styles(env.config.rating)
    fills = [r.dxf.fill.fgColor.rgb[-6:] for _, r in rules]
    assert fills == [b.fill.lstrip("#").upper() for b in bands]
    # the first rule (best band) is true for 100 and false for 80
    first = rules[0][1].formula[0]
    assert f"{letter}2>={int(bands[0].min)}" in first
    # ... and only on the rows that count: a capaian that does not (a negative realisasi,
    # an open error) is not coloured as if it were rated
    counted = ind.cell(1, _col(ind, "Dihitung")).column_letter
    assert all(f'${counted}2="Ya"' in r.formula[0] for _, r in rules)


def test_recap_summary_block_links_and_chart_with_target_line(tmp_path: Path) -> None:
    env = _filled(LocalEnv(tmp_path, _data()))
    wb = _recap_book(env)
    ws = wb["Ringkasan"]
    facts = {r[0]: r[1] for r in ws.iter_rows(min_row=4, max_row=20, max_col=2, values_only=True)
             if r[0]}
    assert facts["Indikator dihitung"] == sum(1 for s in env.config.sections
                                              for i in env.config.indicators_of(s.id)
                                              if i.target)
    assert 40 < facts["Rata-rata capaian kantor (%)"] < 100
    predikat = {r[0]: r[1] for r in ws.iter_rows(min_row=5, max_row=12, min_col=4, max_col=5,
                                                 values_only=True) if r[0]}
    assert sum(predikat.values()) == len(env.config.indicators)
    assert "A1:" in " ".join(str(m) for m in ws.merged_cells.ranges)  # the title is merged
    top = _header_row(ws, "Kode Bagian")
    link_col = _col(ws, "Tautan", top)
    for row in range(top + 1, top + 1 + len(env.config.sections)):
        cell = ws.cell(row, link_col)
        assert cell.value == "Buka" and cell.hyperlink is not None
        assert Path(cell.hyperlink.target).exists()  # the section's own workbook
    # white header text wraps inside a row tall enough for it
    assert ws.row_dimensions[top].height >= 2 * look.LINE_PX * 0.75
    # the capaian chart: bars plus a 100 % line; it starts a new printed page
    chart = ws._charts[0]
    assert [type(c).__name__ for c in [chart, *chart._charts[1:]]] == ["BarChart", "LineChart"]
    anchor_row = chart.anchor._from.row + 1
    assert anchor_row - 1 in {b.id for b in ws.row_breaks.brk}
    target_col = _col(ws, "Target Capaian (%)", top)
    assert ws.cell(top + 1, target_col).value == 100


@pytest.mark.parametrize(("paper", "code"), [("A4", 9), ("F4", 14)])
def test_every_recap_sheet_prints_landscape_one_page_wide(tmp_path: Path, paper: str,
                                                          code: int) -> None:
    env = _filled(LocalEnv(tmp_path, _data(reports={"paper": paper})))
    wb = _recap_book(env)
    for title in ("Ringkasan", "Rekap Indikator", "Validasi", "Jadwal SOP", "Audit"):
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape", title
        assert int(ws.page_setup.paperSize) == code, title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, title
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
        assert ws.print_title_rows, title  # header rows on every page
        assert "&P" in (ws.oddFooter.right.text or "") and "&D" in ws.oddFooter.center.text
        assert env.config.period.label in ws.oddFooter.left.text
        assert ws.page_margins.left >= 0.5
    summary = wb["Ringkasan"]
    top = _header_row(summary, "Kode Bagian")
    assert summary.print_title_rows == f"${top}:${top}"  # the table header, not the summary


def test_long_indicator_rows_get_a_fitting_height(tmp_path: Path) -> None:
    env = _filled(LocalEnv(tmp_path, _data()))
    ind = _recap_book(env)["Rekap Indikator"]
    col = _col(ind, "Indikator Kinerja")
    row = next(c.row for c in ind[ind.cell(1, col).column_letter] if c.value == LONG)
    lines = look.lines_needed(LONG, 300)
    assert lines >= 2
    assert ind.row_dimensions[row].height >= lines * look.LINE_PX * 0.75
    assert ind.cell(row, col).alignment.wrap_text


def test_section_sheet_status_hint_dropdown_and_petunjuk(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, _data())
    env.run("distribute")
    labels = env.config.labels
    wb = load_workbook(env.section_ref("bagian-1").id)
    ws = wb[labels.sheet_worksheet]
    (status,) = [c for c in ws["A"] if c.value == labels.status]
    cell = ws.cell(status.row, 2)
    assert cell.fill.fgColor.rgb[-6:] == "FFE699" and cell.value == labels.status_empty
    hint = " ".join(str(c.value) for c in ws[status.row][2:] if c.value)
    assert labels.status_done in hint and "PEP" in hint
    (dv,) = [d for d in ws.data_validations.dataValidation if cell.coordinate in str(d.sqref)]
    offered = dv.formula1.strip('"').split(",")
    assert offered == labels.section_statuses
    assert labels.status_valid not in offered and labels.status_approved not in offered
    assert SHEET_INSTRUCTIONS in wb.sheetnames and wb[SHEET_INSTRUCTIONS].sheet_state == "visible"
    assert ws.page_setup.orientation == "landscape"
    assert wb[SHEET_INSTRUCTIONS].page_setup.orientation == "landscape"  # one page wide, nothing cut


def test_service_still_writes_its_own_states_and_validasi_rows_fit(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, _data())
    env.run("distribute")
    config = env.config
    env.type_into("bagian-1", {i.code: {"realisasi": i.target, "bukti": "https://x.example/b"}
                               for i in config.indicators_of("bagian-1")}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": "dua puluh"}}, status="Selesai")
    env.run("validate", code=None)
    env.run("approve", "bagian-1")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == config.labels.status_approved
    validasi = load_workbook(env.section_ref("bagian-2").id)[config.labels.sheet_validation]
    long_rows = [r for r in range(2, validasi.max_row + 1)
                 if len(str(validasi.cell(r, 7).value or "")) > 60]
    assert long_rows
    assert validasi.page_setup.orientation == "landscape" and validasi.print_title_rows
    for r in long_rows:
        need = look.lines_needed(str(validasi.cell(r, 7).value), 360)
        assert validasi.row_dimensions[r].height >= need * look.LINE_PX * 0.75


# --------------------------------------------------------------------------- Google (fake)


def _google_recap(tmp_path: Path) -> tuple[GoogleEnv, Any]:
    env = _filled(GoogleEnv(tmp_path, _data()))
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    return env, ref


def test_google_recap_renders_the_same_description(tmp_path: Path) -> None:
    env, ref = _google_recap(tmp_path)
    ss = env.fake.spreadsheet(ref.id)
    assert ss.props["locale"] == "id_ID"
    ind = ss.by_title("Rekap Indikator")
    bands = look.band_styles(env.config.rating)
    assert len(ind.cond_formats) == len(bands)
    assert ind.basic_filter is not None
    assert ind.props["gridProperties"].get("frozenColumnCount", 0) >= 1
    fmt = ind.cell_format(1, 9) or {}  # row 2, Capaian (%)
    assert fmt.get("numberFormat", {}).get("pattern") == look.PERCENT
    summary = ss.by_title("Ringkasan")
    assert any(m["startRowIndex"] == 0 and m["endColumnIndex"] > 5 for m in summary.merges)
    links = [c for row in summary.cells.values() for c in row.values()
             if ((c.get("userEnteredFormat") or {}).get("textFormat") or {}).get("link")]
    labels = [c["userEnteredValue"]["stringValue"] for c in links]
    assert labels.count("Buka") == len(env.config.sections)
    pdfs = {c["userEnteredValue"]["stringValue"]:
            c["userEnteredFormat"]["textFormat"]["link"]["uri"] for c in links
            if "PDF" in c["userEnteredValue"]["stringValue"]}
    url = pdfs["Unduh PDF Rekap Indikator"]
    query = parse_qs(urlparse(url).query)
    assert ref.id in url
    assert {k: query[k][0] for k in ("format", "portrait", "fitw", "gridlines", "fzr", "size")} \
        == {"format": "pdf", "portrait": "false", "fitw": "true", "gridlines": "false",
            "fzr": "true", "size": "A4"}
    assert int(query["gid"][0]) == ind.id
    chart = summary.charts[0]
    series = chart["spec"]["basicChart"]["series"]
    assert chart["spec"]["basicChart"]["chartType"] == "COMBO"
    assert [s.get("type") for s in series] == ["COLUMN", "LINE"]


def test_google_rules_are_replaced_not_piled_up(tmp_path: Path) -> None:
    env, ref = _google_recap(tmp_path)
    env.type_into("bagian-1", {"B1-01": {"realisasi": 50}})
    env.run("recap")
    env.run("recap")
    ss = env.fake.spreadsheet(ref.id)
    bands = len(look.band_styles(env.config.rating))
    assert len(ss.by_title("Rekap Indikator").cond_formats) == bands
    assert len(ss.by_title("Ringkasan").cond_formats) == bands
    assert len(ss.by_title("Ringkasan").merges) == 2


def test_section_dropdown_on_google_offers_only_the_sections_states(tmp_path: Path) -> None:
    env = GoogleEnv(tmp_path, _data())
    env.run("distribute")
    ss = env.fake.spreadsheet(env.section_ref("bagian-1").id)
    rule = ss.by_title("Kertas Kerja").validation(6, 1)  # B7
    offered = [v["userEnteredValue"] for v in rule["condition"]["values"]]
    assert offered == env.config.labels.section_statuses
    assert ss.locale == "en_US"  # what sections type is read as before: no locale change


# --------------------------------------------------------------------------- the fake's rules


def _rule(fmt: dict[str, Any], formula: str = "=AND(ISNUMBER(A1),A1>=91)") -> dict[str, Any]:
    return {"addConditionalFormatRule": {"index": 0, "rule": {
        "ranges": [{"sheetId": 0, "startRowIndex": 0, "endRowIndex": 5,
                    "startColumnIndex": 0, "endColumnIndex": 1}],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                      "values": [{"userEnteredValue": formula}]},
                        "format": fmt}}}}


def _combo(types: list[str], chart_type: str = "COMBO") -> dict[str, Any]:
    def src(c: int) -> dict[str, Any]:
        return {"sourceRange": {"sources": [{"sheetId": 0, "startRowIndex": 0,
                                             "endRowIndex": 5, "startColumnIndex": c,
                                             "endColumnIndex": c + 1}]}}
    return {"addChart": {"chart": {"spec": {"basicChart": {
        "chartType": chart_type, "domains": [{"domain": src(0)}],
        "series": [{"series": src(1 + n), "type": t} for n, t in enumerate(types)]}},
        "position": {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 0,
                                                        "columnIndex": 5}}}}}}


@pytest.mark.parametrize(("request_body", "words"), [
    (_rule({"numberFormat": {"type": "NUMBER", "pattern": "0"}}), "only apply"),
    (_rule({"backgroundColor": {"red": 1}}, formula="A1>=91"), "starting with '='"),
    (_combo(["COLUMN", "BAR"]), "LINE, AREA or COLUMN"),
    (_combo(["COLUMN", "LINE"], chart_type="COLUMN"), "only if the chartType is COMBO"),
    ({"updateSpreadsheetProperties": {"properties": {"locale": "Indonesia"},
                                      "fields": "locale"}}, "Invalid locale"),
])
def test_the_fake_refuses_malformed_presentation_requests(request_body: dict[str, Any],
                                                          words: str) -> None:
    from tests.fakegoogle import FakeGoogle

    user = "pep@example.go.id"
    fake = FakeGoogle(default_user=user)
    sid = fake.create_spreadsheet("Rekap")
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{sid}:batchUpdate"
    bad = fake.session(user).post(url, json={"requests": [request_body]})
    assert bad.status_code == 400 and words in bad.text
    good = [_rule({"backgroundColor": {"red": 1}}), _combo(["COLUMN", "LINE"]),
            {"updateSpreadsheetProperties": {"properties": {"locale": "id_ID"},
                                             "fields": "locale"}}]
    assert fake.session(user).post(url, json={"requests": good}).status_code == 200


def test_an_office_template_keeps_its_own_text_where_the_hint_would_go(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, _data())
    env.use_office_template([
        ["SEKRETARIAT DPRD PROVINSI JAMBI"],
        ["Formulir isian kinerja kantor"],  # where the generated template has its legend
        [None, "Status:", None, "Catatan kantor"],  # two cells right of the Status value
        [None, "Unit Kerja:", None],
        [None, "Periode:", None],
        [None, "Batas Waktu:", None],
        [None, "Instansi:", None],
        [],
        ["No", "Kode", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
         "Capaian (%)", "Keterangan", "Bukti Dukung"],
    ])
    env.run("distribute")
    assert env.cell("bagian-1", "Kertas Kerja", "A2") == "Formulir isian kinerja kantor"
    assert env.cell("bagian-1", "Kertas Kerja", "D3") == "Catatan kantor"
    assert env.cell("bagian-1", "Kertas Kerja", "C3") == env.config.labels.status_empty
