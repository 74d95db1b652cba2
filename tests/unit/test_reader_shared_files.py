"""The reader on real files exported by 1C (and 1C-Bitrix), kept beside the checkout in ``shared/``.

The golden counts were taken from the files themselves, independently of the reader: a full-tree
lxml parse with ``local-name()`` XPath per quantity, and spot checks with ``grep -c`` (e.g. 1908
``<Свойство>`` in the 2.09 classifier, 1455 ``<Предложение>`` in the CS-Cart offers, one
``Статус="Удален"`` in ``import0_1.xml``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from b2b_cabinet.sync.reader import read_document
from b2b_cabinet.sync.records import (
    GroupRecord,
    OfferRecord,
    PriceTypeRecord,
    ProductRecord,
    PropertyRecord,
    StockRecord,
    UnitRecord,
    WarehouseRecord,
    content_digest,
)

SHARED = Path(__file__).parents[2].parent / "shared" / "commerceml"

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"the real 1C sample files are not here ({SHARED}); they live in shared/ beside the checkout",
)

# file, kind, groups, properties, price types, warehouses, units, products, offers, deleted,
# offers with prices, offers with stock
GOLDEN = [
    ("ArgentCrusade_commerceml/contractors-example.xml", "documents", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("ArgentCrusade_commerceml/documents-example.xml", "documents", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("ArgentCrusade_commerceml/group-example.xml", "classifier", 12, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("ArgentCrusade_commerceml/prices-example.xml", "offers", 0, 0, 0, 0, 0, 0, 3, 0, 3, 0),
    ("ArgentCrusade_commerceml/products-example.xml", "import", 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
    ("ArgentCrusade_commerceml/remainders-example.xml", "offers", 0, 0, 0, 0, 0, 0, 2, 0, 0, 2),
    ("TurumburumStudio_ExchangeCommerceML/cml31_classifier.xml", "import", 2, 0, 7, 14, 1, 0, 0, 0, 0, 0),
    ("TurumburumStudio_ExchangeCommerceML/cml31_import.xml", "import", 0, 0, 0, 0, 0, 11, 0, 0, 0, 0),
    ("TurumburumStudio_ExchangeCommerceML/cml31_offers.xml", "offers", 0, 0, 0, 0, 0, 0, 12, 0, 0, 0),
    ("TurumburumStudio_ExchangeCommerceML/cml31_prices.xml", "offers", 0, 0, 0, 0, 0, 0, 3, 0, 3, 0),
    ("TurumburumStudio_ExchangeCommerceML/cml31_rests.xml", "offers", 0, 0, 0, 0, 0, 0, 12, 0, 0, 12),
    ("bigperson_exchange1c/classifier.xml", "classifier", 5, 3, 0, 0, 1, 0, 0, 0, 0, 0),
    ("bigperson_exchange1c/import.xml", "import", 5, 3, 0, 0, 1, 2, 0, 0, 0, 0),
    ("bigperson_exchange1c/offers.xml", "offers", 0, 1, 3, 0, 0, 0, 2, 0, 2, 0),
    ("carono_php-commerceml/import_wo_classifier.xml", "import", 0, 0, 0, 0, 0, 2, 0, 0, 0, 0),
    ("carono_yii2-1c-exchange/from.xml", "documents", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("carono_yii2-1c-exchange/import.xml", "import", 22, 10, 0, 0, 0, 2, 0, 0, 0, 0),
    ("carono_yii2-1c-exchange/offers.xml", "offers", 0, 0, 1, 5, 0, 0, 5, 0, 5, 5),
    ("carono_yii2-1c-exchange/to.xml", "documents", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("dobromyslov_commerceml-parser/bitrix-query-response-empty.xml", "documents",
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("dobromyslov_commerceml-parser/bitrix-query-response-full.xml", "documents",
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("dobromyslov_commerceml-parser/import0_1.xml", "import", 1, 12, 0, 0, 0, 36, 0, 1, 0, 0),
    ("dobromyslov_commerceml-parser/offers0_1.xml", "offers", 0, 0, 1, 3, 0, 0, 44, 0, 44, 44),
    ("gillbeits_commerceml/import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml", "import",
     97, 1908, 1, 1, 2, 0, 0, 12, 0, 0),
    ("gillbeits_commerceml/offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml", "offers",
     0, 0, 0, 0, 0, 0, 978, 0, 0, 0),
    ("gillbeits_commerceml/offers___f0bab95c-14a6-4141-9746-6650b65f1191.xml", "offers",
     0, 1908, 0, 0, 0, 0, 0, 12, 0, 0),
    ("gillbeits_commerceml/prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml", "offers",
     0, 0, 0, 0, 0, 0, 978, 0, 978, 0),
    ("gillbeits_commerceml/rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml", "offers",
     0, 0, 0, 0, 0, 0, 978, 0, 0, 978),
    ("irpsv_commerceml/cs-cart_import.xml", "import", 4, 1, 0, 0, 0, 27, 0, 0, 0, 0),
    ("irpsv_commerceml/cs-cart_offers.xml", "offers", 0, 0, 2, 0, 0, 0, 1455, 0, 1455, 0),
    ("irpsv_commerceml/off-doc-1c_import.xml", "import", 1, 0, 0, 0, 0, 4, 0, 0, 0, 0),
    ("irpsv_commerceml/off-doc-1c_offers.xml", "offers", 0, 0, 4, 0, 0, 0, 2, 0, 2, 0),
    ("irpsv_commerceml/off-doc-1c_orders.xml", "documents", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("irpsv_commerceml/umi-cms_import.xml", "import", 1, 1, 0, 0, 0, 3, 0, 0, 0, 0),
    ("irpsv_commerceml/umi-cms_offers.xml", "offers", 0, 0, 5, 0, 0, 0, 14, 0, 14, 0),
]  # fmt: skip

_COUNTED = {
    GroupRecord: "groups",
    PropertyRecord: "properties",
    PriceTypeRecord: "price_types",
    WarehouseRecord: "warehouses",
    UnitRecord: "units",
    ProductRecord: "products",
    OfferRecord: "offers",
}


def read(name: str) -> list:
    return list(read_document(SHARED / name))


def counts(records: list) -> Counter:
    found = Counter()
    for record in records[1:]:
        found[_COUNTED[type(record)]] += 1
        found["deleted"] += getattr(record, "deleted", False)
        if isinstance(record, OfferRecord):
            found["priced"] += record.prices is not None
            found["stocked"] += record.stocks is not None
    return found


def test_every_xml_data_file_in_shared_has_golden_counts():
    # XSD schemas are vocabulary, not data: only *.xml files are read
    on_disk = {f"{path.parent.name}/{path.name}" for path in SHARED.glob("*/*.xml")}
    assert on_disk == {row[0] for row in GOLDEN}


@pytest.mark.parametrize(
    ("name", "kind", "groups", "properties", "price_types", "warehouses", "units", "products", "offers",
     "deleted", "priced", "stocked"),
    GOLDEN,
    ids=[row[0].split("/")[-1] for row in GOLDEN],
)  # fmt: skip
def test_a_real_file_reads_without_error_into_the_golden_counts(
    name, kind, groups, properties, price_types, warehouses, units, products, offers, deleted, priced, stocked
):
    # given a file exported by 1C, when it is read
    records = read(name)
    # then it starts with its header and holds exactly what the file holds
    header = records[0]
    assert header.kind == kind
    assert header.path == str(SHARED / name)
    expected = {
        "groups": groups, "properties": properties, "price_types": price_types, "warehouses": warehouses,
        "units": units, "products": products, "offers": offers, "deleted": deleted, "priced": priced,
        "stocked": stocked,
    }  # fmt: skip
    found = counts(records)
    assert {key: found[key] for key in expected} == expected
    # and every product and offer carries its own digest
    for record in records[1:]:
        if isinstance(record, ProductRecord | OfferRecord):
            assert record.content_hash == content_digest(record)


def test_the_ut11_product_marked_status_deleted_is_the_only_deleted_one():
    products = [
        r for r in read("dobromyslov_commerceml-parser/import0_1.xml") if isinstance(r, ProductRecord)
    ]
    deleted = [p for p in products if p.deleted]
    assert [(p.external_id, p.sku, p.line) for p in deleted] == [
        ("b631c9c1-49de-11e9-80c9-0cc47ab29cd1", "KM-245-BC", 2701)
    ]
    first = products[0]
    assert (first.unit_code, first.unit_name, first.unit_ratio) == ("796", "Штука", Decimal(1))  # Код="796 "
    assert (first.producer_id, first.producer_name, first.vat_rate) == (
        "018b11b8-18fa-11e7-80c2-0cc47ab29cd1",
        "Crazy Boom",
        Decimal(20),
    )


def test_ut11_offers_carry_total_and_per_warehouse_stock():
    offers = [r for r in read("dobromyslov_commerceml-parser/offers0_1.xml") if isinstance(r, OfferRecord)]
    first = offers[0]
    assert first.quantity == Decimal(377)
    assert first.stocks == (
        StockRecord("6abdb0b5-18fd-11e7-80c2-0cc47ab29cd1", Decimal(1)),
        StockRecord("d2a52d49-19c9-11e7-80c2-0cc47ab29cd1", Decimal(0)),
        StockRecord("dd306af1-19c9-11e7-80c2-0cc47ab29cd1", Decimal(376)),
    )
    assert [(p.price_type_id, p.value, p.currency, p.unit) for p in first.prices] == [
        ("279b6812-740b-11e8-80c8-0cc47ab29cd1", Decimal(100), "RUB", "PCE")
    ]


def test_the_split_rests_file_keeps_a_negative_stock():
    offers = [r for r in read("gillbeits_commerceml/rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml")[1:]]
    negative = [o for o in offers if any(s.quantity < 0 for s in o.stocks)]
    assert len(negative) == 1
    assert negative[0].stocks[0].quantity == Decimal(-1)
    assert all(o.prices is None and o.quantity is None for o in offers)


def test_variant_offers_split_their_id_into_product_and_characteristic():
    offers = [r for r in read("carono_yii2-1c-exchange/offers.xml") if isinstance(r, OfferRecord)]
    first = offers[0]
    assert (first.product_id, first.variant_id) == (
        "bd72d910-55bc-11d9-848a-00112f43529a",
        "90c55447-d3a8-11e4-9423-e0cb4ed5eed4",
    )
    assert first.prices[0].value == Decimal(1719)


def test_a_bigperson_offer_names_its_characteristic_both_ways_and_its_currency_is_normalised():
    records = read("bigperson_exchange1c/offers.xml")
    prices_in_rub = [p.currency for r in records if isinstance(r, OfferRecord) for p in r.prices]
    assert set(prices_in_rub) == {"RUB"}  # "руб" in the file
    first = next(r for r in records if isinstance(r, OfferRecord))
    assert first.characteristics == (("Цвет", "Бежевый"),)
    assert first.properties == (
        ("5ea1e6c2-cc93-11e8-8112-0050569b2b72", ("6efed1d2-cc93-11e8-8112-0050569b2b72",)),
    )
    color = next(r for r in records if isinstance(r, PropertyRecord))
    assert color.for_offers is True


def test_the_cs_cart_header_date_with_an_unpadded_hour_is_read():
    header = read("irpsv_commerceml/cs-cart_offers.xml")[0]
    assert header.generated_at == datetime(2014, 6, 1, 0, 36, 33)


def test_windows_1251_order_files_are_recognised_as_documents():
    for name in (
        "carono_yii2-1c-exchange/from.xml",
        "dobromyslov_commerceml-parser/bitrix-query-response-full.xml",
    ):
        header, *rest = read(name)
        assert (header.kind, rest) == ("documents", [])
