"""Committed migrations match the models."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    # --check exits non-zero (SystemExit) when makemigrations would write anything.
    call_command("makemigrations", "b2b_cabinet", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_each_product_column_has_one_index_leading_with_it_where_one_is_enough():
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "b2b_cabinet_product")
    leading = {}
    for name, info in constraints.items():
        if info["index"] and not info["unique"] and info["columns"]:
            leading.setdefault(info["columns"][0], []).append(name)
    # Category and brand are served by the composite listing indexes; SKU and barcode by one plain
    # index each (no varchar_pattern_ops copy on PostgreSQL): migration 0011.
    assert leading["category_id"] == ["b2b_product_cat_active"]
    assert leading["brand_id"] == ["b2b_product_brand_name"]
    assert leading["sku"] == ["b2b_product_sku"]
    assert leading["barcode"] == ["b2b_product_barcode"]
