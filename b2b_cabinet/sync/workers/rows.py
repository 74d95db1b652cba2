"""Parsed CommerceML records turned into the loaders' rows, in the worker processes.

Products and offers become row tuples for the loaders (properties and requisites resolved through
the classifier maps in :data:`~b2b_cabinet.sync.workers.state.STATE`); plain offers of a big offers
file go straight into an :class:`~b2b_cabinet.sync.offer_batch.OfferBatch` as final rows.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from operator import attrgetter

from b2b_cabinet.sync.offer_batch import OfferBatch, OfferPlan
from b2b_cabinet.sync.reader.values import to_datetime, to_decimal
from b2b_cabinet.sync.records import ProductRecord
from b2b_cabinet.sync.workers.state import STATE

BRAND_PROPERTIES = ("Бренд", "Торговая марка", "Марка")


def _property_map(pairs) -> dict[str, str]:
    out: dict[str, str] = {}
    names, values = STATE.properties, STATE.values
    for property_id, raw in pairs:
        name = names.get(property_id, property_id)
        if len(raw) == 1:
            # Most properties have one value: the join of one text is that text, without the join.
            text = values.get(raw[0], raw[0])
            out[name] = text if text else ""
        else:
            out[name] = "; ".join([t for t in [values.get(value, value) for value in raw] if t])
    return out


def _requisite_map(pairs) -> dict:
    out: dict = {}
    for name, value in pairs:
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value
    return out


def _dumps(value: dict) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)``, built by hand
    for the dicts of text (and lists of text) the rows hold: json.dumps costs 4 µs a call, mostly
    in making an encoder. Strings go through json's own C escaping, so the text is the same; any
    other value takes json.dumps itself."""
    if not value:
        return "{}"
    parts = []
    for key, item in value.items():
        if type(key) is not str:
            return _json_dumps(value)
        if type(item) is str:
            parts.append(encode_basestring(key) + ":" + encode_basestring(item))
        elif type(item) is list and all(type(text) is str for text in item):
            parts.append(encode_basestring(key) + ":[" + ",".join(map(encode_basestring, item)) + "]")
        else:
            return _json_dumps(value)
    return "{" + ",".join(parts) + "}"


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


_product_fields = attrgetter(*ProductRecord.__slots__[:-2])  # every field but line and content_hash


def product_row(record, value: bytes, line: int) -> tuple:
    """One product as a plain tuple; the pipeline resolves brand, producer and unit to keys."""
    return product_fields_row(_product_fields(record), value, line)


def product_fields_row(fields: tuple, value: bytes, line: int) -> tuple:
    """:func:`product_row` from the fields tuple of :func:`~b2b_cabinet.sync.reader.catalog.product_fields`."""
    (
        external_id, sku, name, description, group_ids, barcode, unit_code, unit_name, unit_ratio, vat_rate,
        vat_exempt, producer_id, producer_name, brand, properties, requisites, images, characteristics, deleted,
        _version,
    ) = fields  # fmt: skip
    property_map = _property_map(properties)
    brand = brand or next((property_map[n] for n in BRAND_PROPERTIES if property_map.get(n)), "")
    group_id = group_ids[0] if group_ids else ""
    groups = STATE.groups
    return (
        external_id,
        sku,
        name,
        description,
        groups.get(group_id) if group_id else None,
        brand,
        producer_id,
        producer_name,
        unit_code,
        unit_name,
        # Numbers as text (the loaders write both alike): a Decimal costs more to pickle back to the
        # main process than the rest of the row. A zero ratio is no ratio (the loader reads it as 1).
        str(unit_ratio) if unit_ratio else None,
        None if vat_exempt or vat_rate is None else str(vat_rate),
        barcode,
        _dumps(property_map),
        _dumps(_requisite_map(requisites)),
        not deleted,
        value,
        images,
        line,
        group_id if group_id and group_id not in groups else "",
        _dumps(dict(characteristics)) if characteristics else "{}",
    )


def _transit(requisites) -> tuple:
    """(quantity, expected date, warehouse Ид, problem) from the goods-in-transit requisites."""
    quantity_name, date_name, warehouse_name = STATE.transit
    found = dict(requisites)
    quantity = found.get(quantity_name, "").strip()
    if not quantity:
        return (None, None, "", "")
    try:
        amount = to_decimal(quantity)
    except ValueError:
        return (None, None, "", f"«{quantity_name}» {quantity!r} is not a number; goods in transit ignored")
    date_text = found.get(date_name, "").strip()
    try:
        expected = to_datetime(date_text)
    except ValueError:
        expected = None
    problem = f"«{date_name}» {date_text!r} is not a date; the arrival date is left empty" if (
        date_text and expected is None) else ""
    return (amount, expected.date() if expected else None, found.get(warehouse_name, "").strip(), problem)


def offer_row(record, value: bytes, line: int) -> tuple:
    """One offer as a plain tuple of what the pipeline writes (prices, stock, variant facts)."""
    prices = (
        tuple((p.price_type_id, p.value, p.currency, p.coefficient, p.min_quantity) for p in record.prices)
        if record.prices is not None
        else None
    )
    stocks = tuple((s.warehouse_id, s.quantity) for s in record.stocks) if record.stocks is not None else None
    characteristics = dict(record.characteristics) or {
        STATE.properties.get(pid, pid): "; ".join(STATE.values.get(v, v) for v in vals)
        for pid, vals in record.properties
    }
    return (
        record.external_id,
        record.product_id,
        record.variant_id,
        record.name,
        record.sku,
        record.barcode,
        _dumps(characteristics),
        prices,
        record.quantity,
        stocks,
        _transit(record.requisites),
        not record.deleted,
        value,
        line,
    )



def _text(value) -> str | None:
    return None if value is None else str(value)


def plain_offer(record, value: bytes, plan: OfferPlan, batch: OfferBatch) -> bool:
    """Add the final rows of a plain offer to ``batch``; False if the offer needs the row path.

    Plain: a product-level, active offer of a known product whose price types and warehouses
    (goods in transit included) are declared and listed once. The rows are those
    :class:`~b2b_cabinet.sync.offers_load.OfferSink` would build.
    """
    if record.variant_id is not None or record.deleted:
        return False
    prices = None
    if record.prices is not None:
        prices = [(p.price_type_id, str(p.value), p.currency, str(p.coefficient or 1), _text(p.min_quantity))
                  for p in record.prices]
    stocks = None
    if record.stocks is not None:
        stocks = [(s.warehouse_id, str(s.quantity)) for s in record.stocks]
    return add_plain(record.external_id, prices, _text(record.quantity), stocks, record.requisites, value, plan, batch)


def add_plain(xid: str, prices, quantity, stocks, requisites, value: bytes, plan: OfferPlan, batch) -> bool:
    """Resolve a product-level offer's keys and add its rows to ``batch``; False if it needs the row path.

    ``prices``, ``stocks`` and ``requisites`` as :func:`~b2b_cabinet.sync.reader.offers.read_plain_offer`
    gives them.
    """
    product = plan.product_ids.get(xid)
    if product is None:
        return False
    rows = None
    if prices is not None:
        types, rows = plan.price_types, []
        for type_xid, amount, currency, coefficient, minimum in prices:
            price_type = types.get(type_xid)
            if price_type is None:
                return False
            rows.append((price_type[0], amount, (currency or price_type[1] or plan.currency)[:3], coefficient, minimum))
        if len({row[0] for row in rows}) < len(rows):
            return False
    stock_rows = None
    if stocks is not None:
        stock_rows = _plain_stocks(stocks, requisites, plan)
        if stock_rows is None:
            return False
    complete = (rows is not None and len(rows) == plan.all_price_types,
                stock_rows is not None and len(stock_rows) == plan.all_warehouses)
    batch.add(xid, product, xid in STATE.known, rows, stock_rows, quantity, value, plan.run_id, complete)
    return True


def _plain_stocks(stocks, requisites, plan: OfferPlan) -> list[tuple] | None:
    """Stock rows ``(warehouse pk, on hand, in transit, expected)``, or None if a warning is due."""
    amount, expected, transit_xid, problem = _transit(requisites)
    warehouses = plan.warehouses
    transit_pk = None
    if amount is not None:
        transit_pk = warehouses.get(transit_xid)
        if transit_pk is None:
            return None
    if problem:
        return None
    rows, listed = [], set()
    for warehouse_xid, quantity in stocks:
        pk = warehouses.get(warehouse_xid)
        if pk is None:
            return None
        if pk in listed:
            continue  # as the row path: the first line of a warehouse counts
        listed.add(pk)
        if pk == transit_pk:
            rows.append((pk, quantity, str(max(amount, 0)), expected))
        else:
            rows.append((pk, quantity, "0", None))
    if transit_pk is not None and transit_pk not in listed:
        rows.append((transit_pk, "0", str(max(amount, 0)), expected))
    return rows
