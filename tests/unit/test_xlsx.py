"""The write-only .xlsx helper: what it writes must read back, in openpyxl's full and read-only modes."""

import datetime
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from b2b_cabinet.xlsx import sheet_title, write_xlsx

ROWS = [
    ["A & <b>", 12, Decimal("1.50"), 2.25, datetime.date(2026, 12, 10), None, "x\x0by", True],
    ["  spaced ", -3, Decimal("0E-3"), 0.0, datetime.datetime(2026, 1, 2, 12, 0), "last", None, False],
]


def test_values_styles_and_view_read_back(tmp_path):
    path = tmp_path / "list.xlsx"
    assert write_xlsx(path, "Прайс/лист [1]", ["Артикул", "Число"], iter(ROWS), widths=(16, 60), freeze="C2") == 2
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "Прайс лист  1"
    assert sheet.freeze_panes == "C2"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (16, 60)
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["E2"].number_format == "dd.mm.yyyy"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ["Артикул", "Число"]
    assert values[1] == ["A & <b>", 12, 1.5, 2.25, datetime.datetime(2026, 12, 10), None, "xy", True]
    assert values[2] == ["  spaced ", -3, 0, 0, datetime.datetime(2026, 1, 2, 12, 0), "last", None, False]
    read_only = load_workbook(path, read_only=True).worksheets[0]
    assert [list(row) for row in read_only.iter_rows(values_only=True)][1:] == values[1:]


def test_the_package_is_a_valid_zip_with_the_standard_parts(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_xlsx(path, "", ["Only a header"], []) == 0
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/styles.xml", "xl/worksheets/sheet1.xml"} <= set(package.namelist())
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "Sheet1" and [c.value for c in sheet[1]] == ["Only a header"]


def test_a_sheet_title_is_what_excel_accepts():
    assert sheet_title("ООО «Альфа»: опт/розница") == "ООО «Альфа»  опт розница"
    assert len(sheet_title("x" * 40)) == 31


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "formula.xlsx"
    name = '=HYPERLINK("http://evil.example/","Скидка")'
    write_xlsx(path, "x", ["=1+1", "Склад\x07 1"], [[name, "=SUM(A1:A9)", "+7 343", "ok"]])
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["=1+1", "Склад 1"]
    assert [c.data_type for c in sheet[1]][:2] == ["s", "s"] and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == [name, "=SUM(A1:A9)", "+7 343", "ok"]
    assert {c.data_type for c in sheet[2]} == {"s"}
