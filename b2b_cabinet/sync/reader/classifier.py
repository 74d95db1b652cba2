"""Classifier entries: groups, properties, price types, warehouses and units.

These are few (hundreds to a few thousand per file), so the code favours plainness over the
micro-optimisations of the product and offer walkers. Price types and warehouses also live in
``ПакетПредложений`` (≤2.07); the same functions read them there.
"""

from __future__ import annotations

from lxml import etree

from b2b_cabinet.sync.reader.fields import Context, text_of
from b2b_cabinet.sync.reader.values import normalise_currency, to_bool, to_optional_bool
from b2b_cabinet.sync.records import (
    GroupRecord,
    PriceTypeRecord,
    PropertyRecord,
    UnitRecord,
    WarehouseRecord,
)


def read_group_tree(top: etree._Element, position: int, ctx: Context) -> list[GroupRecord]:
    """Flatten a top-level ``Группа`` and its ``Группы/Группа`` descendants, parents first."""
    tags = ctx.tags
    result = []
    # An explicit stack (depth-first, pre-order) instead of recursion: a deep tree cannot
    # exhaust the interpreter's recursion limit.
    stack: list[tuple[etree._Element, str | None, int]] = [(top, None, position)]
    while stack:
        group, parent_id, index = stack.pop()
        external_id = name = ""
        deleted = False
        subgroups = []
        for child in group:
            tag = child.tag
            if tag == tags.ID:
                external_id = text_of(child)
            elif tag == tags.NAME:
                name = text_of(child)
            elif tag == tags.DELETION_MARK:
                deleted = to_bool(child.text)
            elif tag == tags.GROUPS:
                subgroups.extend(sub for sub in child if sub.tag == tags.GROUP)
        if not external_id:
            raise ctx.error("the group has no <Ид>", group, None, "group")
        result.append(GroupRecord(external_id, name, parent_id, index, deleted, group.sourceline))
        for sub_index in range(len(subgroups) - 1, -1, -1):
            stack.append((subgroups[sub_index], external_id, sub_index))
    return result


def read_property(element: etree._Element, ctx: Context) -> PropertyRecord:
    """Read a ``Свойство`` with its ``ВариантыЗначений``."""
    tags = ctx.tags
    external_id = name = value_type = ""
    values: list[tuple[str, str]] = []
    for_offers = deleted = False
    for child in element:
        tag = child.tag
        if tag == tags.ID:
            external_id = text_of(child)
        elif tag == tags.NAME:
            name = text_of(child)
        elif tag == tags.VALUE_TYPE:
            value_type = text_of(child)
        elif tag == tags.VALUE_VARIANTS:
            values.extend(_variants(child, tags))
        elif tag == tags.FOR_OFFERS:
            for_offers = to_bool(child.text)
        elif tag == tags.DELETION_MARK:
            deleted = to_bool(child.text)
    if not external_id:
        raise ctx.error("the property has no <Ид>", element, None, "property")
    return PropertyRecord(
        external_id, name, value_type, tuple(values), for_offers, deleted, element.sourceline
    )


def _variants(variants: etree._Element, tags) -> list[tuple[str, str]]:
    # <Справочник><ИдЗначения/><Значение/></Справочник> for dictionaries, bare <Значение> otherwise.
    result = []
    for variant in variants:
        if not isinstance(variant.tag, str):
            continue
        if len(variant):
            value_id = value = ""
            for child in variant:
                if child.tag == tags.VALUE_ID:
                    value_id = text_of(child)
                elif child.tag == tags.VALUE:
                    value = text_of(child)
            result.append((value_id, value))
        elif variant.tag == tags.VALUE:
            result.append(("", text_of(variant)))
    return result


def read_price_type(element: etree._Element, ctx: Context) -> PriceTypeRecord:
    """Read a ``ТипЦены``; ``vat_included`` comes from its ``НДС`` tax (else the first tax)."""
    tags = ctx.tags
    external_id = name = currency = ""
    deleted = False
    taxes: list[tuple[str, bool | None]] = []
    for child in element:
        tag = child.tag
        if tag == tags.ID:
            external_id = text_of(child)
        elif tag == tags.NAME:
            name = text_of(child)
        elif tag == tags.CURRENCY:
            currency = normalise_currency(text_of(child))
        elif tag == tags.TAX:
            taxes.append(_tax(child, tags))
        elif tag == tags.DELETION_MARK:
            deleted = to_bool(child.text)
    vat = [included for tax_name, included in taxes if "НДС" in tax_name.upper()]
    vat_included = vat[0] if vat else (taxes[0][1] if taxes else None)
    if not external_id:
        raise ctx.error("the price type has no <Ид>", element, None, "price type")
    return PriceTypeRecord(external_id, name, currency, vat_included, deleted, element.sourceline)


def _tax(tax: etree._Element, tags) -> tuple[str, bool | None]:
    name, included = "", None
    for child in tax:
        if child.tag == tags.NAME:
            name = text_of(child)
        elif child.tag == tags.TAX_INCLUDED:
            included = to_optional_bool(child.text)
    return name, included


def read_warehouse(element: etree._Element, ctx: Context) -> WarehouseRecord:
    """Read a classifier/package ``Склад``; the address is its ``Представление``."""
    tags = ctx.tags
    external_id = name = address = ""
    deleted = False
    for child in element:
        tag = child.tag
        if tag == tags.ID:
            external_id = text_of(child)
        elif tag == tags.NAME:
            name = text_of(child)
        elif tag == tags.ADDRESS:
            address = text_of(child)
            for part in child:
                if part.tag == tags.PRESENTATION:
                    address = text_of(part)
        elif tag == tags.DELETION_MARK:
            deleted = to_bool(child.text)
    if not external_id:
        raise ctx.error("the warehouse has no <Ид>", element, None, "warehouse")
    return WarehouseRecord(external_id, name, address, deleted, element.sourceline)


def read_unit(element: etree._Element, ctx: Context) -> UnitRecord:
    """Read an ``ЕдиницаИзмерения``; without an ``Ид`` (2.08) its ``Код`` identifies it."""
    tags = ctx.tags
    fields = {tags.ID: "", tags.CODE: "", tags.SHORT_NAME: "", tags.FULL_NAME: "", tags.INTL_ABBR: ""}
    for child in element:
        if child.tag in fields:
            fields[child.tag] = text_of(child)
    code = fields[tags.CODE]
    external_id = fields[tags.ID] or code
    if not external_id:
        raise ctx.error("the unit has neither <Ид> nor <Код>", element, None, "unit")
    return UnitRecord(
        external_id,
        code,
        fields[tags.SHORT_NAME],
        fields[tags.FULL_NAME],
        fields[tags.INTL_ABBR],
        element.sourceline,
    )
