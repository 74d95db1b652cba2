"""``Каталог/Товары/Товар`` → :class:`~b2b_cabinet.sync.records.ProductRecord`.

This is one of the two hot paths of an import (the other is offers): a 650 MB goods file holds
hundreds of thousands of products of ~60 elements each. So the walker visits every direct child
once, dispatches on one dict lookup of the child's tag, and reads nested blocks with loops of the
same kind.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from lxml import etree

from b2b_cabinet.sync.reader.fields import Context, characteristics, property_values, requisites
from b2b_cabinet.sync.reader.tags import A_CODE, A_FULL_NAME, A_STATUS, STATUS_DELETED, Tags
from b2b_cabinet.sync.reader.values import to_bool
from b2b_cabinet.sync.records import ProductRecord, product_digest

_ENTITY = "product"
# Leaf fields first: codes below _FIRST_BLOCK need the element's text, blocks do not.
(
    _ID,
    _NAME,
    _SKU,
    _BARCODE,
    _VERSION,
    _DELETION_MARK,
    _DESCRIPTION,
    _PICTURE,
    _BRAND,
    _FIRST_BLOCK,
    _PROPERTY_VALUES,
    _REQUISITES,
    _BASE_UNIT,
    _GROUPS,
    _TAX_RATES,
    _PRODUCER,
    _CHARACTERISTICS,
) = range(17)


@lru_cache(maxsize=16)
def _dispatch(tags: Tags) -> dict[str, int]:
    return tags.table(
        {
            "ID": _ID,
            "NAME": _NAME,
            "SKU": _SKU,
            "BARCODE": _BARCODE,
            "BARCODE_ALT": _BARCODE,
            "VERSION": _VERSION,
            "DELETION_MARK": _DELETION_MARK,
            "DESCRIPTION": _DESCRIPTION,
            "PICTURE": _PICTURE,
            "BRAND": _BRAND,
            "PROPERTY_VALUES": _PROPERTY_VALUES,
            "REQUISITES": _REQUISITES,
            "BASE_UNIT": _BASE_UNIT,
            "GROUPS": _GROUPS,
            "TAX_RATES": _TAX_RATES,
            "PRODUCER": _PRODUCER,
            "CHARACTERISTICS": _CHARACTERISTICS,
        }
    )


def read_product(element: etree._Element, ctx: Context, *, digest: bool = True) -> ProductRecord:
    """Read one ``Товар`` (all its children are parsed: call it on the element's end event).

    ``digest=False`` leaves ``content_hash`` empty, for callers that hash the raw bytes instead.
    """
    fields = product_fields(element, ctx)
    return ProductRecord(*fields, element.sourceline, product_digest(fields) if digest else b"")


def product_fields(element: etree._Element, ctx: Context) -> tuple:
    """The fields of :func:`read_product`'s record in ``ProductRecord`` order, without ``line`` and
    ``content_hash``: the import workers use the tuple as it is (a frozen dataclass of 22 fields
    costs more to build than a row)."""
    tags = ctx.tags
    dispatch = _dispatch(tags)
    external_id = sku = name = description = barcode = version = ""
    unit_code = unit_name = producer_id = producer_name = brand = ""
    unit_ratio = vat_rate = None
    vat_exempt = False
    deleted = element.get(A_STATUS) == STATUS_DELETED
    group_ids: tuple[str, ...] = ()
    images: list[str] = []
    properties: tuple = ()
    requisite_pairs: tuple = ()
    characteristic_pairs: tuple = ()
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
            elif code == _VERSION:
                version = text
            elif code == _DELETION_MARK:
                deleted = deleted or to_bool(text)
            elif code == _DESCRIPTION:
                description = text
            elif code == _PICTURE:
                if text:
                    images.append(text)
            else:
                brand = text
        elif code == _PROPERTY_VALUES:
            properties = property_values(child, tags)
        elif code == _REQUISITES:
            requisite_pairs = requisites(child, tags)
        elif code == _BASE_UNIT:
            unit_code, unit_name, unit_ratio = _base_unit(child, element, ctx)
        elif code == _GROUPS:
            group_ids = _group_ids(child, tags.ID)
        elif code == _TAX_RATES:
            vat_rate, vat_exempt = _vat(child, element, ctx)
        elif code == _PRODUCER:
            producer_id, producer_name = _producer(child, tags)
        else:
            characteristic_pairs = characteristics(child, tags)
    if not external_id:
        raise ctx.error("the product has no <Ид>, so it cannot be matched", element, None, _ENTITY)
    return (
        external_id,
        sku,
        name,
        description,
        group_ids,
        barcode,
        unit_code,
        unit_name,
        unit_ratio,
        vat_rate,
        vat_exempt,
        producer_id,
        producer_name,
        brand,
        properties,
        requisite_pairs,
        tuple(images),
        characteristic_pairs,
        deleted,
        version,
    )


def _group_ids(groups: etree._Element, id_tag: str) -> tuple[str, ...]:
    result = []
    for child in groups:
        if child.tag == id_tag:
            text = child.text
            if text and (text := text.strip()):
                result.append(text)
    return tuple(result)


def _base_unit(
    unit: etree._Element, product: etree._Element, ctx: Context
) -> tuple[str, str, Decimal | None]:
    """``БазоваяЕдиница`` in its three shapes (2.0x ``@Код`` + short name, 2.07 + ``Пересчет``, 3.1 Ид)."""
    text = (unit.text or "").strip()
    code = (unit.get(A_CODE) or "").strip()
    full_name = (unit.get(A_FULL_NAME) or "").strip()
    if code:
        unit_code, unit_name = code, full_name or text
    else:
        unit_code, unit_name = text, full_name
    ratio = None
    tags = ctx.tags
    for recalc in unit:
        if recalc.tag != tags.RECALC:
            continue
        for child in recalc:
            if child.tag == tags.RATIO and ratio is None and child.text and child.text.strip():
                ratio = ctx.number(child.text, "unit ratio", child, product, _ENTITY)
    return unit_code, unit_name, ratio


def _vat(rates: etree._Element, product: etree._Element, ctx: Context) -> tuple[Decimal | None, bool]:
    """``СтавкиНалогов`` → (rate in percent or None, exempt?); only the ``НДС`` rate counts."""
    tags = ctx.tags
    for rate in rates:
        if rate.tag != tags.TAX_RATE:
            continue
        tax_name = value = ""
        value_element = rate
        for child in rate:
            if child.tag == tags.NAME:
                tax_name = (child.text or "").strip()
            elif child.tag == tags.RATE:
                value = (child.text or "").strip()
                value_element = child
        if tax_name and "НДС" not in tax_name.upper():
            continue
        if not value:
            return None, False
        lowered = value.lower()
        if "без" in lowered or "не облага" in lowered:  # "Без НДС", "НДС не облагается"
            return None, True
        return ctx.number(value.rstrip("%"), "VAT rate", value_element, product, _ENTITY), False
    return None, False


def _producer(producer: etree._Element, tags: Tags) -> tuple[str, str]:
    producer_id = producer_name = ""
    for child in producer:
        if child.tag == tags.ID:
            producer_id = (child.text or "").strip()
        elif child.tag == tags.NAME:
            producer_name = (child.text or "").strip()
    return producer_id, producer_name
