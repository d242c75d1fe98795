"""The report's workbook (issue 12): numbers that sum, IDs as text, the 分季度 sheet, A4 printing, tall wrapped rows."""

from __future__ import annotations

import pytest

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture
def workbook(seeded, run, tmp_path):
    for args in (("21", "--value", "7", "--quarter", "2025Q2"), ("21", "--value", "9", "--quarter", "2025Q3"),
                 ("36", "--value", "500万", "--quarter", "2025Q2")):  # fmt: skip
        r = run("update", *args)
        assert r.exit_code == 0, r.stderr
    path = tmp_path / "r.xlsx"
    r = run("report", "--output", path, "--lang", "en")  # the workbook stays Chinese
    assert r.exit_code == 0, r.stderr
    return openpyxl.load_workbook(path)


def area_rows(wb):
    for ws in wb.worksheets[1:-1]:
        yield from ws.iter_rows(min_row=2, values_only=True)


def test_year_to_date_target_and_pace_are_numbers_that_sum(workbook):
    rows = list(area_rows(workbook))
    item21 = next(r for r in rows if r[0] == "21")
    assert item21[2:6] == ("10条以上", 10, 9, "条")
    assert item21[6] == 90.0 and item21[7] == 75.0  # % and pace (2025-09-30) as numbers
    item36 = next(r for r in rows if r[0] == "36")
    assert item36[4] == 5_000_000 and item36[5] == "平方米"  # 500万平方米 in the metric's unit
    ytd = [r[4] for r in rows if r[5] == "条"]
    assert all(isinstance(v, (int, float)) for v in ytd if v is not None)
    assert sum(v for v in ytd if v is not None) >= 9


def test_ids_are_text_so_spreadsheets_keep_them(workbook):
    ids = [c for ws in workbook.worksheets for row in ws.iter_rows(min_row=2) for c in row[:1] if c.value]
    bullets = [c for c in ids if isinstance(c.value, str) and c.value.count(".") == 2]
    assert bullets and all(c.data_type == "s" for c in bullets)
    listed = [c for c in ids if c.value == "21"]
    assert listed and all(c.data_type == "s" for c in listed)


def test_quarter_sheet(workbook):
    ws = workbook["分季度"]
    assert [c.value for c in ws[1]] == ["序号", "事项内容", "指标", "目标", "单位", "一季度", "二季度", "三季度", "四季度"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "21")
    assert row[2:] == ("新开通海运航线", "10条以上", "条", 4, 7, 9, None)  # as of 2025-09-30: Q4 not ended
    rate = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "1")
    assert rate[4:6] == ("%", 5.9)
    assert ws.freeze_panes == "A2"


def test_every_sheet_prints_on_a4_one_page_wide_with_its_header_repeated(workbook):
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows, ws.title
    summary = workbook.worksheets[0]
    head = int(summary.print_title_rows.split(":")[0].strip("$"))
    assert summary.cell(head, 1).value == "序号"  # the listed items' header row repeats


def test_wrapped_rows_are_tall_enough(workbook):
    ws = workbook.worksheets[0]
    long_note = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and len(c.value) > 150)
    assert long_note.alignment.wrap_text
    assert ws.row_dimensions[long_note.row].height >= 15 * 5
