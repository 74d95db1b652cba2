"""``Предложения/Предложение`` → :class:`~b2b_cabinet.sync.records.OfferRecord`.

Offers come in several cuts of the same shape: full ``offers.xml`` (≤2.07: prices, total and
per-warehouse stock), and the split files of newer 1C (``offers___`` with names only,
``prices___``, ``rests___``). An element the file does not carry yields None, never an empty
tuple, so a loader can tell "no prices in this file" from "no prices any more".

Stock shapes accepted: ``<Склад ИдСклада=".." КоличествоНаСкладе=".."/>`` children (also inside a
``<Склады>`` wrapper, and ``<Склады ИдСклада=".." КоличествоНаСкладе=".."/>`` as 2.10's
``ИзмененияПакетаПредложений`` writes it),
``<Остатки><Остаток><Склад><Ид/><Количество/></Склад></Остаток></Остатки>``
(3.1 rests) and ``<Остаток><Количество/></Остаток>`` without a warehouse, taken as the total.

This is a hot path (an offer is small, so per-offer overhead weighs as much as per-element
cost): children are dispatched through one dict lookup, numbers take ``Decimal``'s fast path,
and stock lines, which repeat endlessly (``warehouse X: 0``), are shared immutable records.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from b2b_cabinet.sync.reader.fields import Context, characteristics, property_values, requisites
from b2b_cabinet.sync.reader.tags import A_STATUS, A_WAREHOUSE_ID, A_WAREHOUSE_QUANTITY, STATUS_DELETED, Tags
from b2b_cabinet.sync.reader.values import (
    STOCK_NUMBERS,
    normalise_currency,
    plain_number,
    stock_number,
    to_bool,
)
from b2b_cabinet.sync.records import OfferRecord, PriceRecord, StockRecord, offer_digest

_ENTITY = "offer"
_ONE = Decimal(1)
_ZERO = Decimal(0)
_STOCK_CACHE_SIZE = 4096

# Leaf fields first: codes below _FIRST_BLOCK need the element's text.
(
    _ID,
    _NAME,
    _SKU,
    _BARCODE,
    _QUANTITY,
    _DELETION_MARK,
    _CHARACTERISTIC_ID,
    _FIRST_BLOCK,
    _PRICES,
    _WAREHOUSE,
    _WAREHOUSES,
    _RESTS,
    _CHARACTERISTICS,
    _PROPERTY_VALUES,
    _REQUISITES,
) = range(15)
_P_VALUE, _P_TYPE, _P_CURRENCY, _P_UNIT, _P_RATIO, _P_MIN = range(6)


@lru_cache(maxsize=16)
def _tables(tags: Tags) -> tuple[dict[str, int], dict[str, int]]:
    offer = tags.table(
        {
            "ID": _ID,
            "NAME": _NAME,
            "SKU": _SKU,
            "BARCODE": _BARCODE,
            "BARCODE_ALT": _BARCODE,
            "QUANTITY": _QUANTITY,
            "DELETION_MARK": _DELETION_MARK,
            "CHARACTERISTIC_ID": _CHARACTERISTIC_ID,
            "PRICES": _PRICES,
            "WAREHOUSE": _WAREHOUSE,
            "WAREHOUSES": _WAREHOUSES,
            "RESTS": _RESTS,
            "CHARACTERISTICS": _CHARACTERISTICS,
            "PROPERTY_VALUES": _PROPERTY_VALUES,
            "REQUISITES": _REQUISITES,
        }
    )
    price = tags.table(
        {
            "PRICE_PER_UNIT": _P_VALUE,
            "PRICE_TYPE_ID": _P_TYPE,
            "CURRENCY": _P_CURRENCY,
            "UNIT_REF": _P_UNIT,
            "RATIO": _P_RATIO,
            "MIN_QUANTITY": _P_MIN,
        }
    )
    return offer, price


def read_offer(element: etree._Element, ctx: Context, *, digest: bool = True) -> OfferRecord:
    """Read one ``Предложение`` (call it on the element's end event).

    ``digest=False`` leaves ``content_hash`` empty, for callers that hash the raw bytes instead.
    """
    tags = ctx.tags
    dispatch, price_codes = _tables(tags)
    external_id = characteristic_id = sku = name = barcode = ""
    deleted = element.get(A_STATUS) == STATUS_DELETED
    prices = stocks = quantity = None
    characteristic_pairs = properties = requisite_pairs = ()
    for child in element:
        code = dispatch.get(child.tag)
        if code is None:
            continue
        if code < _FIRST_BLOCK:
            text = child.text
            text = text.strip() if text else ""
            if code == _ID:
                external_id = text
            elif code == _NAME:
                name = text
            elif code == _SKU:
                sku = text
            elif code == _BARCODE:
                barcode = text
            elif code == _QUANTITY:
                if text:
                    quantity = _number(text, "quantity", child, element, ctx)
            elif code == _DELETION_MARK:
                deleted = deleted or to_bool(text)
            else:
                characteristic_id = text
        elif code == _PRICES:
            prices = _prices(child, element, ctx, price_codes)
        elif code == _WAREHOUSE:
            if stocks is None:
                stocks = []
            stocks.append(_stock(child, element, ctx))
        elif code == _WAREHOUSES:
            if stocks is None:
                stocks = []
            if child.get(A_WAREHOUSE_ID) is not None:
                # 2.10 ИзмененияПакетаПредложений: <Склады ИдСклада=".." КоличествоНаСкладе=".."/>
                stocks.append(_stock(child, element, ctx))
            else:
                warehouse_tag = tags.WAREHOUSE
                stocks.extend(_stock(w, element, ctx) for w in child if w.tag == warehouse_tag)
        elif code == _RESTS:
            stocks, total = _rests(child, stocks, element, ctx)
            if total is not None:
                quantity = total
        elif code == _PROPERTY_VALUES:
            properties = property_values(child, tags)
        elif code == _CHARACTERISTICS:
            characteristic_pairs = characteristics(child, tags)
        else:
            requisite_pairs = requisites(child, tags)
    if characteristic_id and external_id and "#" not in external_id:
        # ИзмененияПакетаПредложений (2.10) names the characteristic in its own element.
        external_id = f"{external_id}#{characteristic_id}"
    product_id, _, variant_id = external_id.partition("#")
    if not external_id:
        # ИзмененияПакетаПредложений may identify an offer by barcode or article alone.
        if not (barcode or sku):
            raise ctx.error("the offer has no <Ид>, so it cannot be matched", element, None, _ENTITY)
        variant_id = characteristic_id
    fields = (
        external_id,
        product_id,
        variant_id or None,
        sku,
        name,
        barcode,
        tuple(prices) if prices is not None else None,
        quantity,
        tuple(stocks) if stocks is not None else None,
        characteristic_pairs,
        properties,
        requisite_pairs,
        deleted,
    )
    return OfferRecord(*fields, element.sourceline, offer_digest(fields) if digest else b"")


def _number(text: str, label: str, element: etree._Element, offer: etree._Element, ctx: Context) -> Decimal:
    # Decimal() directly first: 1C writes plain numbers, and the general parser's extra call
    # layer shows on a file with millions of them.
    try:
        value = Decimal(text)
    except InvalidOperation:
        return ctx.number(text, label, element, offer, _ENTITY)
    if value.is_finite():
        return value
    return ctx.number(text, label, element, offer, _ENTITY)  # NaN, Infinity: reported there


def _prices(
    block: etree._Element, offer: etree._Element, ctx: Context, codes: dict[str, int]
) -> list[PriceRecord]:
    """``Цены/Цена*`` → price records, in document order."""
    result = []
    for price in block:
        type_id = currency = unit = ""
        value = minimum = None
        coefficient = _ONE
        for child in price:
            code = codes.get(child.tag)
            if code is None:
                continue
            text = child.text
            text = text.strip() if text else ""
            if code == _P_VALUE:
                value = _number(text, "price", price, offer, ctx)
            elif code == _P_TYPE:
                type_id = text
            elif code == _P_CURRENCY:
                currency = normalise_currency(text)
            elif code == _P_UNIT:
                unit = text
            elif code == _P_RATIO:
                if text and text != "1":
                    coefficient = _number(text, "coefficient", price, offer, ctx)
            elif text:
                minimum = _number(text, "minimum quantity", price, offer, ctx)
        if value is None:
            if not isinstance(price.tag, str):
                continue
            raise ctx.error("the price has no <ЦенаЗаЕдиницу>", price, offer, _ENTITY)
        result.append(PriceRecord(type_id, value, currency, unit, coefficient, minimum))
    return result


def _stock(warehouse: etree._Element, offer: etree._Element, ctx: Context) -> StockRecord:
    """A stock line from ``Склад`` with attributes (2.0x) or ``Ид``/``Количество`` children (3.1)."""
    warehouse_id = warehouse.get(A_WAREHOUSE_ID)
    if warehouse_id is None:
        tags = ctx.tags
        quantity_text = None
        for child in warehouse:
            if child.tag == tags.ID:
                warehouse_id = child.text
            elif child.tag == tags.QUANTITY:
                quantity_text = child.text
    else:
        quantity_text = warehouse.get(A_WAREHOUSE_QUANTITY)
    key = (warehouse_id, quantity_text)
    cache = ctx.cache
    record = cache.get(key)
    if record is None:
        record = _new_stock(warehouse_id, quantity_text, warehouse, offer, ctx)
        if len(cache) >= _STOCK_CACHE_SIZE:
            cache.clear()
        cache[key] = record
    return record


def _new_stock(
    warehouse_id: str | None,
    quantity_text: str | None,
    warehouse: etree._Element,
    offer: etree._Element,
    ctx: Context,
) -> StockRecord:
    warehouse_id = (warehouse_id or "").strip()
    if not warehouse_id:
        raise ctx.error("the stock line names no warehouse", warehouse, offer, _ENTITY)
    quantity_text = (quantity_text or "").strip()
    # An empty quantity is how some exports say "none left"; a non-number is an error.
    quantity = _number(quantity_text, "stock quantity", warehouse, offer, ctx) if quantity_text else _ZERO
    return StockRecord(warehouse_id, quantity)


def _rests(
    rests: etree._Element, stocks: list | None, offer: etree._Element, ctx: Context
) -> tuple[list | None, Decimal | None]:
    """``Остатки/Остаток*`` → (per-warehouse stocks, total quantity or None)."""
    tags = ctx.tags
    total = None
    if len(rests) == 0 and stocks is None:
        stocks = []  # <Остатки/>: the file carries rests and this offer has none
    for rest in rests:
        for child in rest:
            tag = child.tag
            if tag == tags.WAREHOUSE:
                if stocks is None:
                    stocks = []
                stocks.append(_stock(child, offer, ctx))
            elif tag == tags.QUANTITY:
                text = child.text
                text = text.strip() if text else ""
                if text:
                    value = _number(text, "quantity", child, offer, ctx)
                    total = value if total is None else total + value
    return stocks, total


def read_plain_offer(element: etree._Element, ctx: Context) -> tuple | None:
    """The common offer shape, read straight into text, or None for any other shape.

    A 1C offers file is mostly product-level offers with an ``Ид``, prices and ``<Склад
    ИдСклада КоличествоНаСкладе/>`` lines, some with requisites (goods in transit). For those this
    returns ``(Ид, prices, quantity, stocks, requisites)``: prices ``[(type Ид, value, currency,
    coefficient, minimum or None)]``, stocks ``[(warehouse Ид, quantity)]`` (each None when the
    offer has no such element), requisites ``((name, value), ...)`` (empty without any), numbers
    as ``str(Decimal)``, exactly what :func:`read_offer` would give, without building its records.
    Anything else (a characteristic, a deletion, properties, another stock shape, a number that is
    not plain, a price without a value) gives None: :func:`read_offer` then reads the offer, and
    reports what needs reporting.
    """
    if element.get(A_STATUS) is not None:
        return None
    dispatch, price_codes = _tables(ctx.tags)
    external_id = ""
    prices = stocks = quantity = None
    requisite_pairs = ()
    for child in element:
        code = dispatch.get(child.tag)
        if code is None or code == _NAME or code == _SKU or code == _BARCODE:
            continue
        if code == _ID:
            text = child.text
            external_id = text.strip() if text else ""
        elif code == _PRICES:
            prices = _plain_prices(child, price_codes)
            if prices is None:
                return None
        elif code == _WAREHOUSE:
            warehouse_id = child.get(A_WAREHOUSE_ID)
            if warehouse_id is None:
                return None
            warehouse_id = warehouse_id.strip()
            text = child.get(A_WAREHOUSE_QUANTITY)
            value = STOCK_NUMBERS.get(text) or stock_number(text)
            if not warehouse_id or value is None:
                return None
            if stocks is None:
                stocks = []
            stocks.append((warehouse_id, value))
        elif code == _REQUISITES:
            requisite_pairs = requisites(child, ctx.tags)
        elif code == _QUANTITY:
            text = child.text
            text = text.strip() if text else ""
            if text:
                quantity = plain_number(text)
                if quantity is None:
                    return None
        else:
            return None
    if not external_id or "#" in external_id:
        return None
    return external_id, prices, quantity, stocks, requisite_pairs


def _plain_prices(block: etree._Element, codes: dict[str, int]) -> list[tuple] | None:
    """:func:`_prices` as text; None where it would need the full reader."""
    result = []
    for price in block:
        type_id = currency = ""
        value = minimum = None
        coefficient = "1"
        for child in price:
            code = codes.get(child.tag)
            if code is None or code == _P_UNIT:
                continue
            text = child.text
            text = text.strip() if text else ""
            if code == _P_VALUE:
                value = plain_number(text)
                if value is None:
                    return None
            elif code == _P_TYPE:
                type_id = text
            elif code == _P_CURRENCY:
                currency = normalise_currency(text)
            elif code == _P_RATIO:
                if text and text != "1":
                    coefficient = plain_number(text)
                    if coefficient is None:
                        return None
                    if not Decimal(coefficient):
                        coefficient = "1"  # as the loader reads a zero coefficient
            elif text:
                minimum = plain_number(text)
                if minimum is None:
                    return None
        if value is None:
            if not isinstance(price.tag, str):
                continue
            return None
        result.append((type_id, value, currency, coefficient, minimum))
    return result
