"""Editors' blocks on products and categories show on catalogue pages, and a 1C import leaves them alone."""

import pytest

from b2b_cabinet.demo.catalogue import write_delta, write_package
from b2b_cabinet.models import Category, Product
from tests import factories as f
from tests.importing import run_import, small_spec

pytestmark = pytest.mark.django_db

CERTIFICATES = {
    "type": "certificates",
    "value": {
        "title": "Сертификаты",
        "certificates": [
            {"standard": "ISO 9001:2015", "issuer": "Bureau Veritas", "valid_until": None, "document": None}
        ],
    },
}
COMPATIBILITY = {
    "type": "compatibility",
    "value": {
        "title": "Совместимость",
        "integrations": [{"system": "Пирамида 2.0", "versions": "2.0.8+", "notes": ""}],
        "variant_advantages": [],
        "support": "",
        "standards": [],
        "requirements": [{"name": "Температура", "value": "−40…+70 °C"}],
        "documents": [],
        "api": "",
    },
}


def test_product_blocks_show_on_the_product_page(client, pages):
    product = f.product(name="Счётчик Меркурий 234", editorial_blocks=[COMPATIBILITY, CERTIFICATES])
    html = client.get(f"/catalog/product/{product.pk}/").content.decode()
    assert "Пирамида 2.0" in html and "−40…+70 °C" in html and "ISO 9001:2015" in html


def test_category_blocks_show_on_the_category_page(client, pages):
    f.category("Счётчики", slug="schetchiki", editorial_blocks=[CERTIFICATES])
    assert "ISO 9001:2015" in client.get("/catalog/schetchiki/").content.decode()


def test_a_product_the_importer_created_has_an_empty_stream(tmp_path):
    info = write_package(tmp_path / "full", small_spec(products=3))
    run_import(info.import_path, info.offers_path)
    product = Product.objects.first()
    assert list(product.editorial_blocks) == []


def test_a_reimport_that_changes_products_and_categories_keeps_their_editorial_blocks(tmp_path):
    # given an imported catalogue where an editor attached blocks to a product and its category
    spec = small_spec()
    info = write_package(tmp_path / "full", spec)
    run_import(info.import_path, info.offers_path)
    product = Product.objects.get(external_id=info.product_ids[0])
    product.editorial_blocks = [CERTIFICATES]
    product.save()
    category = product.category
    category.editorial_blocks = [COMPATIBILITY]
    category.save()
    # when 1C sends every product again with changed names, and the full package once more
    delta = write_delta(tmp_path / "delta", spec, fraction=1.0)
    run_import(delta.import_path)
    assert "нов. ред." in Product.objects.get(pk=product.pk).name
    run_import(info.import_path, info.offers_path)
    # then the import did change the product, but not the editors' blocks
    product.refresh_from_db()
    category = Category.objects.get(pk=category.pk)
    assert product.editorial_blocks.raw_data[0]["value"]["certificates"][0]["standard"] == "ISO 9001:2015"
    assert category.editorial_blocks.raw_data[0]["value"]["integrations"][0]["system"] == "Пирамида 2.0"


def test_the_product_editor_in_the_admin_offers_the_editorial_blocks(admin_client):
    product = f.product()
    html = admin_client.get(f"/admin/product/edit/{product.pk}/").content.decode()
    assert "editorial_blocks" in html
