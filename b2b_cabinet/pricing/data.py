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


def load_batch(type_ids: list[int], lines: list[LineRequest], with_properties: bool) -> tuple[dict, dict]:
    """Product facts and the price table for a batch, in one query when the lines carry ids.

    Facts come from the lines themselves when they carry ``ProductFacts`` or Products with their
    category loaded; the other products are read joined with their prices, so each product row is
    visited once. Returns ``({product_id: ProductFacts}, {(product_id, variant_id, type_id): (value,
    currency, unit_ratio)})``.
    """
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
    variant_ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
    prices: dict[tuple, tuple] = {}
    if facts and type_ids:
        _read(_price_sql(sorted(facts), variant_ids, type_ids), prices, None, False)
    if missing:
        _read(_joined_sql(sorted(missing), variant_ids, type_ids, with_properties), prices, facts, with_properties)
    return facts, prices


def _variant_clause(variant_ids, alias: str) -> tuple[str, list]:
    if not variant_ids:
        return f"{alias}.variant_id IS NULL", []
    vids, params = id_sql(variant_ids)
    return f"({alias}.variant_id IS NULL OR {alias}.variant_id IN ({vids}))", params


def _value(alias: str) -> str:
    # SQLite stores these decimals as REAL; its 15-digit text form is what Django's converter keeps,
    # and Decimal(text) is three times cheaper than converting the float.
    return f"CAST({alias}.value AS TEXT)" if connection.vendor == "sqlite" else f"{alias}.value"


def _price_sql(product_ids, variant_ids, type_ids) -> tuple[str, list]:
    t = Price._meta.db_table
    ids, params = id_sql(product_ids)
    variants, vparams = _variant_clause(variant_ids, "pr")
    types = ",".join(["%s"] * len(type_ids))
    sql = (f"SELECT pr.product_id, pr.variant_id, pr.price_type_id, {_value('pr')}, pr.currency, pr.unit_ratio "
           f"FROM {t} pr WHERE pr.product_id IN ({ids}) AND {variants} AND pr.price_type_id IN ({types})")
    return sql, [*params, *vparams, *type_ids]


def _joined_sql(product_ids, variant_ids, type_ids, with_properties) -> tuple[str, list]:
    p, c, t = Product._meta.db_table, Category._meta.db_table, Price._meta.db_table
    ids, params = id_sql(product_ids)
    props = ", p.properties" if with_properties else ", NULL"
    if type_ids:
        variants, vparams = _variant_clause(variant_ids, "pr")
        types = ",".join(["%s"] * len(type_ids))
        join = f"LEFT JOIN {t} pr ON pr.product_id = p.id AND {variants} AND pr.price_type_id IN ({types})"
        join_params = [*vparams, *type_ids]
        price_cols = f"pr.product_id, pr.variant_id, pr.price_type_id, {_value('pr')}, pr.currency, pr.unit_ratio"
    else:
        join, join_params, price_cols = "", [], "NULL, NULL, NULL, NULL, NULL, NULL"
    sql = (f"SELECT {price_cols}, p.id, c.path, p.brand_id, p.producer_id, p.vat_rate{props} FROM {p} p "
           f"LEFT JOIN {c} c ON c.id = p.category_id {join} WHERE p.id IN ({ids})")
    return sql, [*join_params, *params]


def _read(query: tuple[str, list], prices: dict, facts: dict | None, with_properties: bool) -> None:
    """Run a price (or joined) query, filling ``prices`` and, for joined rows, ``facts``."""
    cache: dict = {}
    one = Decimal(1)
    with connection.cursor() as cursor:
        cursor.execute(*query)
        for row in cursor.fetchall():
            product_id, variant_id, type_id, value, currency, ratio = row[:6]
            if facts is not None and row[6] not in facts:
                properties = {}
                if with_properties and row[11]:
                    properties = row[11] if isinstance(row[11], dict) else json.loads(row[11])
                facts[row[6]] = ProductFacts(row[6], row[7], row[8], row[9], _decimal(row[10], cache), properties)
            if product_id is None:
                continue
            if not isinstance(value, Decimal):
                value = Decimal(value)
            ratio = one if ratio == 1 else _decimal(ratio, cache)
            prices[product_id, variant_id, type_id] = (value, currency, ratio)
