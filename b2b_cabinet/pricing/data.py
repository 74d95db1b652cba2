"""The engine's reads per batch: product facts and prices, straight from the database cursor.

Going through the ORM's ``values_list`` costs more than the pricing itself at 10,000 lines (every
Decimal passes through a converter), so these queries are written in SQL over the models' own
table and column names, and decimals are built once per distinct value. Category paths come from
the per-process map of :mod:`.categories` rather than a join.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Context, Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from b2b_cabinet.models import Price, Product

from .categories import category_paths
from .lines import LineRequest, ProductFacts

# Above this many ids a single array/JSON parameter replaces ``IN (%s, %s, …)``, so one query
# serves any batch size (SQLite caps the number of parameters, PostgreSQL plans long lists slowly).
INLINE_IDS = 500
FOUR_PLACES = Decimal("0.0001")
# Django reads SQLite decimals with a 15-digit context, then quantizes; do exactly the same.
_DECIMALS = Context(prec=15)
ONE = Decimal(1)


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


def id_in(column: str, ids: list[int]) -> tuple[str, list]:
    """``column IN ids`` as SQL and parameters, for the raw queries: :func:`id_sql` inside ``IN (…)``,
    except long lists on PostgreSQL, which become ``column = ANY(array)`` (its planner walks the index
    for that, where ``IN (SELECT unnest(…))`` made it hash-join the whole table)."""
    if len(ids) > INLINE_IDS and connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [ids]
    sql, params = id_sql(ids)
    return f"{column} IN ({sql})", params


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


class PriceTable:
    """A batch's prices per price type, each already divided by its pack coefficient.

    ``products[type_id][product_id]`` and ``variants[type_id][(product_id, variant_id)]`` hold the
    price of one unit: the Decimal itself when it is in the table's currency (the contract's, the
    usual case), else a ``(price, currency)`` pair for the engine to convert. Plain dicts of ints and
    Decimals are invisible to the cyclic garbage collector, which matters at 10,000 lines.
    """

    __slots__ = ("currencies", "currency", "products", "variants")

    def __init__(self, currency: str):
        self.currency = currency
        self.products: dict[int, dict] = {}
        self.variants: dict[int, dict] = {}
        self.currencies: set[str] = set()

    def add(self, product_id: int, variant_id: int | None, type_id: int, value: Decimal, currency: str,
            ratio: Decimal) -> None:
        """Record one price row (``value`` per ``ratio`` units, in ``currency``)."""
        if ratio != 1:
            value = value / ratio
        entry = value if currency == self.currency else (value, currency)
        if variant_id is None:
            self.products.setdefault(type_id, {})[product_id] = entry
        else:
            self.variants.setdefault(type_id, {})[product_id, variant_id] = entry
        self.currencies.add(currency)

    @classmethod
    def from_rows(cls, rows: Mapping, currency: str) -> PriceTable:
        """A table from ``{(product_id, variant_id, type_id): (value, currency, unit_ratio)}``."""
        table = cls(currency)
        for (product_id, variant_id, type_id), (value, row_currency, ratio) in rows.items():
            table.add(product_id, variant_id, type_id, value, row_currency, ratio)
        return table

    def entry(self, product_id: int, variant_id: int | None, type_id: int):
        """The variant's price if it has one in the type, else the product's; None when neither."""
        if variant_id is not None:
            found = self.variants.get(type_id)
            entry = found.get((product_id, variant_id)) if found else None
            if entry is not None:
                return entry
        found = self.products.get(type_id)
        return found.get(product_id) if found else None


def facts_of(product: Product, with_properties: bool) -> ProductFacts:
    """What the engine needs of a Product whose category is loaded."""
    category = product.category
    return ProductFacts(product.pk, category.path if category else None, product.brand_id, product.producer_id,
                        product.vat_rate, product.properties if with_properties else {})


def load_batch(type_ids: list[int], lines: list[LineRequest], with_properties: bool,
               currency: str) -> tuple[dict, PriceTable]:
    """Product facts and the price table for a batch: at most a facts query and a prices query.

    Facts come from the lines themselves when they carry ``ProductFacts`` or Products with their
    category loaded; the other products are read in one query (category paths from the cached map).
    Returns ``({product_id: ProductFacts}, PriceTable)``.
    """
    facts, missing = {}, set()
    for line in lines:
        product = line.product
        if isinstance(product, ProductFacts):
            facts[product.id] = product
        elif isinstance(product, Product) and "category" in product._state.fields_cache:
            facts[product.pk] = facts_of(product, with_properties)
        else:
            missing.add(line.product_id)
    missing -= facts.keys()
    if missing:
        _read_facts(sorted(missing), with_properties, facts)
    prices = PriceTable(currency)
    if facts and type_ids:
        variant_ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
        _read_prices(sorted(facts), variant_ids, type_ids, prices)
    return facts, prices


def _read_facts(product_ids: list[int], with_properties: bool, facts: dict) -> None:
    p = Product._meta.db_table
    ids, params = id_in("p.id", product_ids)
    props = ", p.properties" if with_properties else ""
    sql = f"SELECT p.id, p.category_id, p.brand_id, p.producer_id, p.vat_rate{props} FROM {p} p WHERE {ids}"
    paths = category_paths()
    cache: dict = {}
    parsed: dict = {}  # many products share one set of properties: parse each text once
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            properties = {}
            if with_properties and row[5]:
                text = row[5]
                if isinstance(text, dict):
                    properties = text
                else:
                    properties = parsed.get(text)
                    if properties is None:
                        properties = parsed[text] = json.loads(text)
            category_id = row[1]
            facts[row[0]] = ProductFacts(row[0], paths.get(category_id) if category_id is not None else None,
                                         row[2], row[3], _decimal(row[4], cache), properties)


def _read_prices(product_ids: list[int], variant_ids: list[int], type_ids: list[int], prices: PriceTable) -> None:
    t = Price._meta.db_table
    ids, params = id_in("pr.product_id", product_ids)
    sqlite = connection.vendor == "sqlite"
    if variant_ids:
        vids, vparams = id_in("pr.variant_id", variant_ids)
        variants = f"(pr.variant_id IS NULL OR {vids})"
    else:
        variants, vparams = "pr.variant_id IS NULL", []
    # On SQLite the unary + keeps the planner on the product_id index: one search per product, then
    # its few price rows (stored next to each other), instead of one search per product and type.
    type_col = "+pr.price_type_id" if sqlite else "pr.price_type_id"
    types = ",".join(["%s"] * len(type_ids))
    where = f"FROM {t} pr WHERE {ids} AND {variants} AND {type_col} IN ({types})"
    where_params = [*params, *vparams, *type_ids]
    prices.currencies.add(prices.currency)
    if not variant_ids:
        _read_prices_as_json(where, where_params, prices)
        return
    # SQLite stores these decimals as REAL; its 15-digit text form is what Django's converter keeps,
    # and Decimal(text) is three times cheaper than converting the float.
    value = "CAST(pr.value AS TEXT)" if sqlite else "pr.value"
    sql = f"SELECT pr.product_id, pr.variant_id, pr.price_type_id, {value}, pr.currency, pr.unit_ratio {where}"
    cache: dict = {}
    add, own, by_type = prices.add, prices.currency, prices.products
    with connection.cursor() as cursor:
        cursor.execute(sql, where_params)
        for product_id, variant_id, type_id, amount, currency, ratio in cursor.fetchall():
            if not isinstance(amount, Decimal):
                amount = Decimal(amount)
            if ratio == 1 and variant_id is None and currency == own:
                # The usual row, inlined: a product's price per one unit in the contract currency.
                bucket = by_type.get(type_id)
                if bucket is None:
                    bucket = by_type[type_id] = {}
                bucket[product_id] = amount
            else:
                add(product_id, variant_id, type_id, amount, currency, ONE if ratio == 1 else _decimal(ratio, cache))


def _read_prices_as_json(where: str, params: list, prices: PriceTable) -> None:
    """Product prices (no variants asked): per price type, the ids and the prices as two JSON arrays.

    The database writes a number in JSON as it would as text (SQLite: the same 15 significant
    digits as ``CAST(… AS TEXT)``; PostgreSQL: the numeric with its four decimals), and
    ``json.loads`` builds the Decimals and ints in C: a third cheaper than a Python row per price.
    A price in another currency or per pack comes as ``[value, currency, coefficient]``.
    """
    if connection.vendor == "postgresql":
        ids, values = "json_agg(pr.product_id)::text", (
            "json_agg(CASE WHEN pr.currency = %s AND pr.unit_ratio = 1 THEN to_jsonb(pr.value) "
            "ELSE jsonb_build_array(pr.value, pr.currency, pr.unit_ratio) END)::text")
    else:
        ids, values = "json_group_array(pr.product_id)", (
            "json_group_array(CASE WHEN pr.currency = %s AND pr.unit_ratio = 1 THEN pr.value "
            "ELSE json_array(pr.value, pr.currency, pr.unit_ratio) END)")
    sql = f"SELECT pr.price_type_id, {ids}, {values} {where} GROUP BY pr.price_type_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [prices.currency, *params])
        groups = cursor.fetchall()
    for type_id, product_ids, amounts in groups:
        table = dict(zip(json.loads(product_ids), json.loads(amounts, parse_float=Decimal, parse_int=Decimal),
                         strict=True))
        prices.products[type_id] = table
        odd = [(product_id, entry) for product_id, entry in table.items() if entry.__class__ is list]
        for product_id, (amount, currency, ratio) in odd:
            prices.add(product_id, None, type_id, amount, currency, ONE if ratio == 1 else ratio.quantize(FOUR_PLACES))
