"""Quick order: reading pasted lines and files, matching in batches, the cart and the page."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from b2b_cabinet import quickorder
from b2b_cabinet.models import CartLine
from b2b_cabinet.pricing import context_for_company
from tests import factories as f

URL = "/cabinet/quick-order/"


@pytest.mark.parametrize(("text", "value"), [
    ("15", "15"), ("2,5", "2.5"), ("1 000", "1000"), ("1\u00a0000,5", "1000.5"), ("1.000,5", "1000.5"),
    ("1,000.5", "1000.5"), ("1.000.000", "1000000"), ("12 шт", "12"), ("12 шт.", "12"),
])
def test_quantities_are_read_as_russian_excel_writes_them(text, value):
    assert quickorder.parse_quantity(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3x", "NaN", "inf"])
def test_unreadable_quantities_are_none(text):
    assert quickorder.parse_quantity(text) is None


def test_pasted_lines_split_by_tab_semicolon_or_last_space_and_skip_the_header():
    lines, problems = quickorder.parse_text(
        "Артикул\tКоличество\nEL-1\t15\nEL-2;2,5\nВА 47-29 16А 3\n\nEL-3 1\u00a0000\n")
    assert [(line.number, line.sku, line.quantity) for line in lines] == [
        (2, "EL-1", 15), (3, "EL-2", Decimal("2.5")), (4, "ВА 47-29 16А", 3), (6, "EL-3", 1000)]
    assert problems == []


def test_lines_without_quantity_or_with_a_bad_one_come_back_with_the_reason():
    lines, problems = quickorder.parse_text("EL-1\t15\nEL-2\nEL-3\tмного\nEL-4\t0")
    assert [line.sku for line in lines] == ["EL-1"]
    assert [(p.number, p.reason) for p in problems] == [
        (2, "No quantity in this line."), (3, "The quantity “много” is not a number."),
        (4, "The quantity must be more than zero.")]


def test_too_many_lines_are_refused_whole():
    with pytest.raises(quickorder.QuickOrderError):
        quickorder.parse_text("\n".join(f"S{i}\t1" for i in range(quickorder.MAX_LINES + 1)))


def test_csv_in_windows_1251_with_semicolons_and_a_header_is_read():
    data = "Количество;Артикул\n3;ЭЛ-1\n".encode("cp1251")
    lines, _ = quickorder.parse_csv(data)
    assert [(line.sku, line.quantity) for line in lines] == [("ЭЛ-1", 3)]


def test_utf8_csv_with_bom_is_read():
    lines, _ = quickorder.parse_csv("\ufeffEL-1,4\n".encode())
    assert [(line.sku, line.quantity) for line in lines] == [("EL-1", 4)]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_xlsx_gives_cached_values_and_never_evaluates_formulas():
    data = xlsx([["SKU", "Qty"], ["EL-1", 15], ["EL-2", "=1+1"], [123456, 2.0]])
    lines, problems = quickorder.parse_upload("order.xlsx", data)
    # openpyxl wrote no cached value for the formula: the line comes back instead of "2".
    assert [(line.sku, line.quantity) for line in lines] == [("EL-1", 15), ("123456", 2)]
    assert [p.number for p in problems] == [3]


def test_uploads_that_are_too_big_broken_or_of_another_type_are_refused():
    with pytest.raises(quickorder.QuickOrderError):
        quickorder.parse_upload("a.xlsx", b"x" * (quickorder.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(quickorder.QuickOrderError):
        quickorder.parse_upload("a.xlsx", b"not a zip")
    with pytest.raises(quickorder.QuickOrderError):
        quickorder.parse_upload("a.exe", b"x")


@pytest.mark.django_db
def test_matching_finds_sku_in_any_case_barcode_and_explains_unknown_and_ambiguous(world):
    f.product(name="Двойник 1", sku="TWIN", barcode="111")
    f.product(name="Двойник 2", sku="twin")
    lines, _ = quickorder.parse_text("mva20-1-016-c\t2\n4607036012345\t1\nMVA20-1-016-X\t1\nTWIN\t1")
    result = quickorder.match_lines(lines, context_for_company(world.company))
    assert [(m.line.number, m.product) for m in result.matched] == [(1, world.breaker), (2, world.breaker)]
    unknown, twin = result.problems
    assert "No product" in unknown.reason and unknown.suggestions[0].startswith("MVA20-1-016-C")
    assert "several products" in twin.reason and len(twin.suggestions) == 2


@pytest.mark.django_db
def test_products_outside_the_region_assortment_are_not_matched(world):
    world.company.region.assortment_rules.create(mode="exclude", product=world.cable)
    lines, _ = quickorder.parse_text("KAB-325\t1")
    result = quickorder.match_lines(lines, context_for_company(world.company))
    assert result.matched == [] and len(result.problems) == 1


@pytest.mark.django_db
def test_matching_1000_lines_takes_a_few_queries_not_one_per_line(world):
    for i in range(300):
        f.product(sku=f"BULK-{i:04d}")
    text = "\n".join(f"BULK-{i % 300:04d}\t{1 + i % 5}" for i in range(1000))
    lines, _ = quickorder.parse_text(text)
    with CaptureQueriesContext(connection) as captured:
        result = quickorder.match_lines(lines, context_for_company(world.company))
    assert len(result.matched) == 1000
    assert len(captured) <= 6


@pytest.mark.django_db
def test_the_page_puts_matches_in_the_cart_rounds_up_packs_and_returns_the_rest(buyer, world):
    response = buyer.post(URL, {"text": "Артикул\tКол-во\nMVA20-1-016-C\t15\nROZ-2\t3\nNOPE-1\t2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert {(c.product.sku, c.quantity) for c in CartLine.objects.all()} == {("MVA20-1-016-C", 15), ("ROZ-2", 10)}
    assert "Rounded up from 3 to 10" in html
    assert "No product with SKU or barcode “NOPE-1”" in html
    assert "NOPE-1\t2</textarea>" in html  # the unmatched line is back in the box


@pytest.mark.django_db
def test_the_page_accepts_an_xlsx_upload(buyer, world):
    upload = SimpleUploadedFile("order.xlsx", xlsx([["Артикул", "Количество"], ["KAB-325", 7]]))
    buyer.post(URL, {"file": upload})
    assert CartLine.objects.get().quantity == 7


@pytest.mark.django_db
def test_an_empty_form_is_refused(buyer, world):
    response = buyer.post(URL, {"text": "  "})
    assert response.status_code == 400 and not CartLine.objects.exists()


@pytest.mark.django_db
def test_a_viewer_cannot_use_quick_order(client, world):
    client.force_login(world.viewer)
    assert client.post(URL, {"text": "KAB-325\t1"}).status_code == 403
    assert not CartLine.objects.exists()
