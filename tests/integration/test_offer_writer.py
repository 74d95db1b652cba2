"""The bulk writer's price and stock operations, called directly with every kind of owner and row.

They run on whichever database the suite runs on (SQLite, or PostgreSQL with ``DATABASE_URL``):
product-level and variant owners in one call, rows that exist and rows that are new in one batch,
a price type or warehouse an owner no longer lists, and a reservation the portal made.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from b2b_cabinet.models import ImportRun, Price, PriceType, Product, ProductVariant, StockLevel, Warehouse
from b2b_cabinet.sync.loaders import bulk_writer

pytest.importorskip("psycopg", reason="the PostgreSQL writer needs psycopg (the postgres extra)")
from b2b_cabinet.sync.loaders.postgres import CopyText, _kinds

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY text rows are PostgreSQL's")


@pytest.fixture
def catalogue(db):
    one, two = (Product.objects.create(external_id=f"p{i}", name=f"Товар {i}", sku=f"S-{i}") for i in (1, 2))
    variant = ProductVariant.objects.create(external_id="p2#red", product=two, name="Красный")
    types = [PriceType.objects.create(external_id=f"t{i}", name=f"Цена {i}") for i in (1, 2, 3)]
    stores = [Warehouse.objects.create(external_id=f"w{i}", name=f"Склад {i}") for i in (1, 2, 3)]
    return one, two, variant, types, stores


def _writer():
    run = ImportRun.objects.create(source=ImportRun.Source.COMMAND)
    return bulk_writer(connection, run.pk), run.pk


def _prices():
    return sorted(Price.objects.values_list("product__external_id", "variant__external_id", "price_type__external_id",
                                            "value"))


def _stock():
    return sorted(StockLevel.objects.values_list("product__external_id", "variant__external_id",
                                                 "warehouse__external_id", "on_hand", "reserved"))


def test_prices_of_product_and_variant_owners_follow_the_rows_given(catalogue):
    one, two, variant, (t1, t2, t3), _stores = catalogue
    with transaction.atomic():
        writer, _run = _writer()
        writer.replace_prices([], [(one.pk, None, t1.pk, "10", "RUB", "1", None),
                                   (one.pk, None, t2.pk, "20", "RUB", "1", None),
                                   (two.pk, variant.pk, t1.pk, "30", "RUB", "1", None),
                                   (two.pk, variant.pk, t2.pk, "40", "RUB", "1", None)])
    with transaction.atomic():
        writer, _run = _writer()
        # Each owner drops a type, keeps one at a new value and gains one: update, delete and insert at once.
        writer.replace_prices([(one.pk, None), (two.pk, variant.pk)],
                              [(one.pk, None, t2.pk, "21", "RUB", "1", None),
                               (one.pk, None, t3.pk, "31", "RUB", "1", "5"),
                               (two.pk, variant.pk, t1.pk, "33", "RUB", "1", None),
                               (two.pk, variant.pk, t3.pk, "55", "RUB", "1", None)])
    assert _prices() == [
        ("p1", None, "t2", Decimal("21")), ("p1", None, "t3", Decimal("31")),
        ("p2", "p2#red", "t1", Decimal("33")), ("p2", "p2#red", "t3", Decimal("55")),
    ]
    assert Price.objects.get(product=one, price_type=t3).min_quantity == 5


def test_prices_of_one_kind_of_owner_leave_the_other_kind_alone(catalogue):
    one, two, variant, (t1, _t2, _t3), _stores = catalogue
    with transaction.atomic():
        writer, _run = _writer()
        writer.replace_prices([], [(one.pk, None, t1.pk, "10", "RUB", "1", None),
                                   (two.pk, None, t1.pk, "11", "RUB", "1", None),
                                   (two.pk, variant.pk, t1.pk, "30", "RUB", "1", None)])
    with transaction.atomic():
        writer, _run = _writer()
        writer.replace_prices([(two.pk, None)], [(two.pk, None, t1.pk, "12", "RUB", "1", None)])
    with transaction.atomic():
        writer, _run = _writer()
        writer.replace_prices([(two.pk, variant.pk)], [])  # the variant lists no price at all any more
    assert _prices() == [("p1", None, "t1", Decimal("10")), ("p2", None, "t1", Decimal("12"))]


def test_stock_updates_inserts_and_zeroes_keeping_reservations(catalogue):
    one, two, variant, _types, (w1, w2, w3) = catalogue
    with transaction.atomic():
        writer, run = _writer()
        writer.upsert_stock([], [(one.pk, None, w1.pk, "5", "0", None, run), (one.pk, None, w2.pk, "6", "0", None, run),
                                 (two.pk, variant.pk, w1.pk, "7", "0", None, run)])
    StockLevel.objects.filter(product=one, warehouse=w1).update(reserved=2)
    with transaction.atomic():
        writer, run = _writer()
        writer.upsert_stock([(one.pk, None), (two.pk, variant.pk)],
                            [(one.pk, None, w1.pk, "8", "0", None, run), (one.pk, None, w3.pk, "9", "0", None, run),
                             (two.pk, variant.pk, w2.pk, "4", "0", None, run)])
    assert _stock() == [
        ("p1", None, "w1", Decimal("8"), Decimal("2")),  # updated; the portal's reservation kept
        ("p1", None, "w2", Decimal("0"), Decimal("0")),  # no longer listed: zero
        ("p1", None, "w3", Decimal("9"), Decimal("0")),  # new
        ("p2", "p2#red", "w1", Decimal("0"), Decimal("0")),
        ("p2", "p2#red", "w2", Decimal("4"), Decimal("0")),
    ]


def test_kinds_of_copy_text_rows_read_the_second_field():
    assert _kinds(CopyText("1\t\\N\n2\t\\N\n")) == (True, False)
    assert _kinds(CopyText("1\t7\n")) == (False, True)
    assert _kinds(CopyText("1\t\\N\t3\t10\tRUB\t1\t\\N\n1\t7\t3\t\\N\tRUB\t1\t\\N\n")) == (True, True)
    assert _kinds(CopyText("")) == (False, False)
    assert _kinds([(1, None), (2, 5)]) == (True, True) and _kinds([(1, 5)]) == (False, True)



@on_postgres
def test_copy_text_rows_update_what_exists_and_add_what_does_not(catalogue):
    """The shape the workers send: one batch with existing and new rows, then one with only existing rows."""
    one, two, _variant, (t1, t2, t3), (w1, w2, _w3) = catalogue
    with transaction.atomic():
        writer, run = _writer()
        writer.replace_prices([], CopyText(f"{one.pk}\t\\N\t{t1.pk}\t10\tRUB\t1\t\\N\n"))
        writer.upsert_stock([], CopyText(f"{one.pk}\t\\N\t{w1.pk}\t5\t0\t\\N\t{run}\t0\n"))
    for value in ("11", "12"):  # the first time t2, w2 and product two are new; the second time nothing is
        with transaction.atomic():
            writer, run = _writer()
            writer.replace_prices(
                CopyText(f"{one.pk}\t\\N\n"),
                CopyText(f"{one.pk}\t\\N\t{t1.pk}\t{value}\tRUB\t1\t\\N\n"
                         f"{one.pk}\t\\N\t{t2.pk}\t{value}\tRUB\t1\t\\N\n"
                         f"{two.pk}\t\\N\t{t3.pk}\t{value}\tRUB\t1\t\\N\n"),
            )
            writer.upsert_stock(
                CopyText(f"{one.pk}\t\\N\n"),
                CopyText(f"{one.pk}\t\\N\t{w2.pk}\t{value}\t0\t\\N\t{run}\t0\n"
                         f"{two.pk}\t\\N\t{w1.pk}\t{value}\t0\t\\N\t{run}\t0\n"),
            )
        assert _prices() == [("p1", None, "t1", Decimal(value)), ("p1", None, "t2", Decimal(value)),
                             ("p2", None, "t3", Decimal(value))]
        assert _stock() == [("p1", None, "w1", Decimal("0"), Decimal("0")),
                            ("p1", None, "w2", Decimal(value), Decimal("0")),
                            ("p2", None, "w1", Decimal(value), Decimal("0"))]
