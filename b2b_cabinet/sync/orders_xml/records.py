"""Plain records of order documents, both directions; frozen, slotted, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# -- out: what the portal sends in the query answer ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractorOut:
    """The buyer as 1C matches it: by ИНН (and КПП) for a legal entity, else by name."""

    external_id: str
    name: str
    full_name: str = ""
    inn: str = ""
    kpp: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class OrderLineOut:
    """One goods line; ``product_id`` is the 1C Ид from the catalogue (``prod#char`` for a variant)."""

    product_id: str
    name: str
    quantity: Decimal
    price: Decimal
    total: Decimal
    sku: str = ""
    catalog_id: str = ""
    unit_code: str = "796"
    unit_name: str = "шт"
    unit_full_name: str = "Штука"
    unit_intl: str = "PCE"
    vat_rate: Decimal | None = None
    position: int = 0


@dataclass(frozen=True, slots=True)
class LinkedOut:
    """An invoice, payment or shipment sent along an order in 2.10 (``ПодчиненныйДокумент``)."""

    kind: str  # "payment" | "shipment" | "invoice"
    external_id: str
    number: str
    date: date | datetime | None
    amount: Decimal | None = None
    currency: str = ""  # the order's when empty
    due_date: date | None = None  # ``СрокПлатежа`` of an invoice
    #: ``ЗначенияРеквизитов``: (name, value).
    requisites: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class OrderOut:
    """One order part as one ``Документ`` of ``ХозОперация`` "Заказ товара"."""

    external_id: str
    number: str
    created_at: datetime
    currency: str
    total: Decimal
    contractor: ContractorOut
    lines: tuple[OrderLineOut, ...]
    comment: str = ""
    #: ``ЗначенияРеквизитов`` in order: (name, value).
    requisites: tuple[tuple[str, str], ...] = ()
    warehouse: tuple[str, str] | None = None  # (Ид, Наименование)
    linked: tuple[LinkedOut, ...] = ()


# -- in: what 1C sends back --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderLineIn:
    """A goods line of a 1C document."""

    product_id: str
    name: str
    quantity: Decimal | None
    price: Decimal | None
    total: Decimal | None


@dataclass(frozen=True, slots=True)
class LinkedDocument:
    """A payment or shipment 1C made for an order: from requisites, ``ПодчиненныеДокументы``, or a
    top-level document whose ``Основание`` names the order."""

    kind: str  # "payment" | "shipment"
    number: str
    date: datetime | None
    amount: Decimal | None = None
    external_id: str = ""
    basis: str = ""
    lines: tuple[OrderLineIn, ...] = ()
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class OrderDocument:
    """An order as 1C sends it back (``ХозОперация`` "Заказ товара")."""

    external_id: str
    number: str
    onec_number: str = ""
    date: datetime | None = None
    onec_date: datetime | None = None
    version: str = ""
    deletion_mark: bool = False
    cancelled: bool = False
    posted: bool | None = None
    status_id: str = ""
    total: Decimal | None = None
    currency: str = ""
    #: None when the document has no ``Товары`` (then the lines are left as they are).
    lines: tuple[OrderLineIn, ...] | None = None
    linked: tuple[LinkedDocument, ...] = ()
    requisites: dict[str, str] = field(default_factory=dict)
    line: int | None = None
