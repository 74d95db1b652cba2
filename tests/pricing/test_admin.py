"""The pricing admin: rules CRUD, the rule preview and the margin report use the same engine."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from b2b_cabinet import pricing
from tests import factories as f


def test_the_preview_shows_the_engines_price_and_both_explanations(admin_client, shop):
    f.rule(name="Объём от 10", company=shop.company, value="7", min_quantity=Decimal(10))
    response = admin_client.get("/admin/b2b_price_preview/",
                                {"company": shop.company.pk, "sku": shop.product.sku, "quantity": "10"})
    html = response.content.decode()
    [line] = pricing.price_lines(pricing.context_for_company(shop.company),
                                 [pricing.LineRequest(shop.product, Decimal(10))])
    assert response.status_code == 200 and line.unit_price == Decimal("930.00")
    assert "930,00 RUB" in html and "9\xa0300,00 RUB" in html
    assert "«Объём от 10»: 7% off" in html  # English
    assert "«Объём от 10»: скидка 7%" in html  # Russian


def test_the_preview_says_which_sku_is_unknown(admin_client, shop):
    html = admin_client.get("/admin/b2b_price_preview/", {"company": shop.company.pk, "sku": "NOPE",
                                                          "quantity": "1"}).content.decode()
    assert "No product with this SKU" in html


def test_the_margin_report_lists_company_price_rrp_and_markup(admin_client, shop):
    html = admin_client.get("/admin/b2b_margin_report/", {"company": shop.company.pk}).content.decode()
    assert "1\xa0000,00 RUB" in html and "1\xa0500,00" in html and "50.0" in html


def test_the_margin_report_exports_xlsx(admin_client, shop):
    response = admin_client.get("/admin/b2b_margin_report/", {"company": shop.company.pk, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:5] == ("SKU", "Product", "Brand", "Base price", "Company price")
    assert {r[1]: (r[4], r[5], r[6]) for r in rows[1:]}["Кабель"] == (1000, 1500, 500)


def test_the_margin_report_keeps_a_formula_looking_name_as_text(admin_client, shop):
    shop.other.name = '=HYPERLINK("http://evil.example/","Щит")'
    shop.other.save(update_fields=["name"])
    response = admin_client.get("/admin/b2b_margin_report/", {"company": shop.company.pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value == shop.other.name]
    assert len(cells) == 1 and cells[0].data_type == "s"


@pytest.mark.parametrize("url", ["/admin/b2b_price_preview/", "/admin/b2b_margin_report/"])
def test_pricing_tools_need_the_discount_rule_permission(client, url, db):
    from django.contrib.auth.models import Permission

    from tests.factories import user

    staff = user("editor@example.com", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(url).status_code in (302, 403)


def test_discount_rules_can_be_added_in_the_admin(admin_client, shop):
    response = admin_client.post("/admin/discountrule/new/", {
        "name": "Бренд IEK −5%", "is_active": "on", "company": shop.company.pk, "brand": shop.product.brand.pk,
        "method": "percent", "value": "5", "currency": "RUB", "min_quantity": "0", "priority": "0",
        "combination": "exclusive",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    [line] = pricing.price_lines(pricing.context_for_company(shop.company), [pricing.LineRequest(shop.product)])
    assert line.unit_price == Decimal("950.00")
