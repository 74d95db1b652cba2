"""1C's documents file (``sale`` ``file``/``import``) → :class:`OrderDocument` records.

Hardened like the catalogue reader, whose parser options and prolog check it reuses: any DOCTYPE
is refused before libxml2 sees the file, entities are never resolved, nothing is fetched. The
file is streamed: each top-level ``Документ`` (also inside a 3.x ``Контейнер``) is read once,
then cleared. Namespaces vary between 1C releases, so tags are compared by local name.

Payments and shipments arrive in three shapes, all turned into :class:`LinkedDocument`:
the order's requisites (``Номер/Дата оплаты по 1С``, ``…отгрузки по 1С``; 2.05–2.09),
``ПодчиненныеДокументы`` inside the order (2.10), or top-level documents whose ``Основание`` names
the order (what 1C-Bitrix itself emits for 2.10); the last ones are attached to their order, or
yielded as orphans (an order the file does not carry) in a synthetic record with only ``number``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from lxml import etree

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader.prolog import PARSER_OPTIONS, inspect_prolog, syntax_error
from b2b_cabinet.sync.reader.values import normalise_currency, to_bool, to_datetime, to_decimal

from . import names
from .records import LinkedDocument, OrderDocument, OrderLineIn


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element) -> dict[str, etree._Element]:
    """First child per local name (1C never repeats the scalar fields)."""
    found: dict[str, etree._Element] = {}
    for child in element:
        found.setdefault(_local(child.tag), child)
    return found


def _text(fields: dict, name: str) -> str:
    element = fields.get(name)
    return (element.text or "").strip() if element is not None else ""


def _decimal(text: str, path: str, element) -> Decimal | None:
    if not text:
        return None
    try:
        return to_decimal(text)
    except ValueError as exc:
        raise CommerceMLError(str(exc), path=path, line=element.sourceline, element=_local(element.tag)) from None


def _date(text: str, path: str, element):
    try:
        return to_datetime(text)
    except ValueError as exc:
        raise CommerceMLError(str(exc), path=path, line=element.sourceline, element=_local(element.tag)) from None


def _requisites(fields: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    block = fields.get("ЗначенияРеквизитов")
    for item in block if block is not None else ():
        item_fields = _children(item)
        name = _text(item_fields, "Наименование")
        if name:
            found[name] = _text(item_fields, "Значение")
    return found


def _lines(fields: dict, path: str) -> tuple[OrderLineIn, ...] | None:
    block = fields.get("Товары")
    if block is None:
        return None
    lines = []
    for item in block:
        if _local(item.tag) != "Товар":
            continue
        f = _children(item)
        price_text = _text(f, "ЦенаЗаЕдиницу") or _text(f, "Цена")
        lines.append(OrderLineIn(
            product_id=_text(f, "Ид"), name=_text(f, "Наименование"),
            quantity=_decimal(_text(f, "Количество"), path, item), price=_decimal(price_text, path, item),
            total=_decimal(_text(f, "Сумма"), path, item),
        ))
    return tuple(lines)


_BRACKETED = re.compile(r"^\[([^\]]+)\]")


def status_id_of(req: dict[str, str]) -> str:
    """The 1C status id: ``Статуса заказа ИД`` (either spelling), else the ``[N]`` of ``Статус заказа``,
    else that text itself (УНФ sends "Открыт"; the node's mapping table can map it)."""
    for key in names.R_STATUS_IDS:
        if req.get(key, "").strip():
            return req[key].strip()
    text = req.get(names.R_STATUS_TEXT, "").strip()
    match = _BRACKETED.match(text)
    return match.group(1).strip() if match else text


def _linked_from_requisites(req: dict[str, str], path: str, element) -> list[LinkedDocument]:
    linked = []
    if names.R_PAYMENT_DATE not in req and to_bool(req.get(names.R_PAID)):
        when = _date(req.get(names.R_OLD_PAYMENT_DATE, ""), path, element)
        number = req.get(names.R_OLD_PAYMENT_NUMBER, "").strip()
        if when is not None:
            linked.append(LinkedDocument(kind="payment", number=number or when.strftime("%Y%m%d%H%M%S"),
                                         date=when, external_id=f"payment:{number}" if number else ""))
    for kind, number_key, date_key in (("payment", names.R_PAYMENT_NUMBER, names.R_PAYMENT_DATE),
                                       ("shipment", names.R_SHIPMENT_NUMBER, names.R_SHIPMENT_DATE)):
        when = _date(req.get(date_key, ""), path, element)
        number = req.get(number_key, "").strip()
        # Bitrix treats a payment or shipment as done when its date is filled; "T" and
        # 0001-01-01 are 1C's empty dates (to_datetime returns None for them).
        if when is not None:
            linked.append(LinkedDocument(kind=kind, number=number or when.strftime("%Y%m%d%H%M%S"), date=when,
                                         external_id=f"{kind}:{number}" if number else ""))
    return linked


def _linked_document(element, path: str, kind: str) -> LinkedDocument:
    f = _children(element)
    req = _requisites(f)
    return LinkedDocument(
        kind=kind, number=_text(f, "Номер1С") or _text(f, "Номер"), external_id=_text(f, "Ид"),
        date=_date(_text(f, "Дата1С") or _text(f, "Дата"), path, element),
        amount=_decimal(_text(f, "Сумма"), path, element), basis=_text(f, "Основание"),
        lines=_lines(f, path) or (),
        deleted=to_bool(_text(f, "ПометкаУдаления")) or to_bool(req.get(names.R_DELETION)),
    )


def _order(element, path: str) -> OrderDocument:
    f = _children(element)
    req = _requisites(f)
    status_id = status_id_of(req)
    posted = req.get(names.R_POSTED)
    linked = _linked_from_requisites(req, path, element)
    block = f.get("ПодчиненныеДокументы")
    for child in block if block is not None else ():
        kind = names.linked_kind(_text(_children(child), "ХозОперация"))
        if kind:
            linked.append(_linked_document(child, path, kind))
    date = _date(_text(f, "Дата"), path, element)
    return OrderDocument(
        external_id=_text(f, "Ид"), number=_text(f, "Номер"),
        onec_number=_text(f, "Номер1С") or req.get(names.R_ONEC_NUMBER, "").strip(),
        date=date, onec_date=_date(_text(f, "Дата1С") or req.get(names.R_ONEC_DATE, ""), path, element),
        version=_text(f, "НомерВерсии"),
        deletion_mark=to_bool(_text(f, "ПометкаУдаления")) or to_bool(req.get(names.R_DELETION)),
        cancelled=to_bool(req.get(names.R_CANCELLED)), posted=None if posted is None else to_bool(posted),
        status_id=status_id.strip(), total=_decimal(_text(f, "Сумма"), path, element),
        currency=normalise_currency(_text(f, "Валюта")), lines=_lines(f, path), linked=tuple(linked),
        requisites=req, line=element.sourceline,
    )


def read_order_documents(path: str | os.PathLike[str]) -> Iterator[OrderDocument]:
    """Stream the orders of a 1C documents file, with their payments and shipments attached.

    Raises :class:`~b2b_cabinet.sync.errors.CommerceMLError` for a DOCTYPE, a root other than
    ``КоммерческаяИнформация``, malformed XML or unreadable numbers and dates.
    """
    path = os.fspath(path)
    inspect_prolog(path)
    orphans: dict[str, list[LinkedDocument]] = {}
    orders: list[OrderDocument] = []
    # Only Документ ends reach Python ("{*}" is any namespace or none): the loop no longer runs
    # for each of the ~30 elements inside every document.
    events = etree.iterparse(path, events=("end",), tag=f"{{*}}{names.DOCUMENT}", remove_blank_text=True,
                             remove_comments=True, remove_pis=True, **PARSER_OPTIONS)
    try:
        for _event, element in events:
            if _local(element.tag) != names.DOCUMENT:
                continue
            parent = element.getparent()
            if parent is None or _local(parent.tag) not in (names.ROOT, names.CONTAINER):
                continue  # a subordinate document: read with its order
            operation = _text(_children(element), "ХозОперация")
            kind = names.linked_kind(operation)
            if kind and operation != names.ORDER_OPERATION:
                doc = _linked_document(element, path, kind)
                orphans.setdefault(doc.basis, []).append(doc)
            else:
                orders.append(_order(element, path))
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from exc
    for order in orders:
        extra = orphans.pop(order.number, []) + orphans.pop(order.external_id, []) if orphans else []
        yield replace(order, linked=order.linked + tuple(extra)) if extra else order
    for basis, docs in orphans.items():
        if basis:
            yield OrderDocument(external_id="", number=basis, linked=tuple(docs))
