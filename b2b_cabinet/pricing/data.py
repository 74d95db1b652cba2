"""The engine's two reads per batch: product facts and prices, straight from the database cursor.

Going through the ORM's ``values_list`` costs more than the pricing itself at 10,000 lines (every
Decimal passes through a converter), so these two queries are written in SQL over the models'
own table and column names, and decimals are built once per distinct value.
"""

from __future__ import annotations

import json
from decimal import Context, Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from b2b_cabinet.models import Category, Price, Product

from .lines import LineRequest, ProductFacts

# Above this many ids a single array/JSON parameter replaces ``IN (%s, %s, …)``, so one query
# serves any batch size (SQLite caps the number of parameters, PostgreSQL plans long lists slowly).
INLINE_IDS = 500
FOUR_PLACES = Decimal("0.0001")
# Django reads SQLite decimals with a 15-digit context, then quantizes; do exactly the same.
_DECIMALS = Context(prec=15)


def id_filter(field: str, ids) -> Q:
    """``field IN ids`` for the ORM, as one parameter for long lists."""
    ids = list(ids)
    if len(ids) <= INLINE_IDS:
        return Q(**{f"{field}__in": ids})
    sql, params = id_sql(ids)
    return Q(**{f"{field}__in": RawSQL(sql, params)})


def id_sql(ids: list[int]) -> tuple[str, list]:
    """What goes inside ``IN (…)`` for ``ids``: placeholders when short, else a subquery over one
    parameter (JSON on SQLite, an array on PostgreSQL)."""
    if len(ids) <= INLINE_IDS:
        return ",".join(["%s"] * len(ids)), ids
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


def _decimal(value, cache: dict) -> Decimal | None:
    """A DB number as the Decimal Django would give (SQLite returns floats), memoised per value."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return cache[value]
    except KeyError:
        number = (_DECIMALS.create_decimal_from_float(value) if isinstance(value, float) else Decimal(value))
        cache[value] = result = number.quantize(FOUR_PLACES)
        return result


def product_facts(lines: list[LineRequest], with_properties: bool) -> dict[int, ProductFacts]:
    """Facts for every product of the batch: from loaded instances when possible, else one query."""
    facts, missing = {}, set()
    for line in lines:
        product = line.product
        if isinstance(product, ProductFacts):
            facts[product.id] = product
        elif isinstance(product, Product) and "category" in product._state.fields_cache:
            category = product.category
            facts[product.pk] = ProductFacts(
                product.pk, category.path if category else None, product.brand_id, product.producer_id,
                product.vat_rate, product.properties if with_properties else {},
            )
        else:
            missing.add(line.product_id)
    missing -= facts.keys()
    if not missing:
        return facts
    p, c = Product._meta.db_table, Category._meta.db_table
    ids, params = id_sql(sorted(missing))
    props = f", {p}.properties" if with_properties else ""
    sql = (f"SELECT {p}.id, {c}.path, {p}.brand_id, {p}.producer_id, {p}.vat_rate{props} FROM {p} "
           f"LEFT JOIN {c} ON {c}.id = {p}.category_id WHERE {p}.id IN ({ids})")
    cache: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            properties = {}
            if with_properties and row[5]:
                properties = row[5] if isinstance(row[5], dict) else json.loads(row[5])
            facts[row[0]] = ProductFacts(row[0], row[1], row[2], row[3], _decimal(row[4], cache), properties)
    return facts


def price_table(type_ids: list[int], lines: list[LineRequest]) -> dict[tuple, tuple]:
    """``(product_id, variant_id or None, price_type_id) → (value, currency, unit_ratio)`` in one query."""
    if not type_ids or not lines:
        return {}
    t = Price._meta.db_table
    product_ids = sorted({line.product_id for line in lines})
    variant_ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
    ids, params = id_sql(product_ids)
    types = ",".join(["%s"] * len(type_ids))
    variants = "variant_id IS NULL"
    if variant_ids:
        vids, vparams = id_sql(variant_ids)
        variants = f"(variant_id IS NULL OR variant_id IN ({vids}))"
        params = [*params, *vparams]
    # SQLite stores these decimals as REAL; its 15-digit text form is what Django's converter keeps,
    # and Decimal(text) is three times cheaper than converting the float.
    value = "CAST(value AS TEXT)" if connection.vendor == "sqlite" else "value"
    sql = (f"SELECT product_id, variant_id, price_type_id, {value}, currency, unit_ratio FROM {t} "
           f"WHERE product_id IN ({ids}) AND {variants} AND price_type_id IN ({types})")
    cache: dict = {}
    one = Decimal(1)
    table = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *type_ids])
        for product_id, variant_id, type_id, value, currency, ratio in cursor.fetchall():
            ratio = one if ratio == 1 else _decimal(ratio, cache)
            if not isinstance(value, Decimal):
                value = Decimal(value)
            table[product_id, variant_id, type_id] = (value, currency, ratio)
    return table
