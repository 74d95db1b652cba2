"""Plain records for the things a CommerceML file describes.

The reader turns XML into these and nothing else: they are frozen (safe to share), slotted (cheap
by the hundred thousand) and picklable (they cross process boundaries when files are read in
workers). They hold text exactly as 1C sent it, trimmed; numbers as ``Decimal``; 1C ``Ид`` values
as ``external_id`` strings. Mapping them to models is the loaders' job.

Conventions shared by all records:

* ``line`` is the 1-based line of the record's element in the source file, for error messages.
* ``deleted`` is True when 1C marks the object for deletion (``ПометкаУдаления`` = true, or
  ``Статус="Удален"`` on a product); loaders deactivate rather than delete.
* Multi-valued fields are tuples, in document order, so records compare and hash by value.
* ``content_hash`` (products and offers) is a digest of every other field except ``line``
  (:func:`content_digest` recomputes it): a loader stores it and skips rows whose hash did not
  change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

#: ``DocumentHeader.kind`` values.
KIND_IMPORT = "import"  # a Каталог (goods), possibly with its Классификатор
KIND_OFFERS = "offers"  # a ПакетПредложений or ИзмененияПакетаПредложений: offers, prices, stock
KIND_CLASSIFIER = "classifier"  # a Классификатор alone
KIND_DOCUMENTS = "documents"  # orders, payments, contractors: parsed elsewhere, not by this reader
KINDS = frozenset({KIND_IMPORT, KIND_OFFERS, KIND_CLASSIFIER, KIND_DOCUMENTS})


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    """What a file is; always the first record the reader yields.

    ``kind`` is one of :data:`KINDS`; a file with both a classifier and a catalog is ``"import"``.
    ``only_changes`` is ``СодержитТолькоИзменения`` of the catalog/offer package (or of the
    classifier in a classifier-only file): when True the file is a delta and absent objects must
    not be deactivated. Ids are empty strings when the file does not state them.
    """

    path: str
    kind: str
    schema_version: str
    only_changes: bool
    classifier_id: str
    catalog_id: str
    package_id: str
    generated_at: datetime | None
    namespace: str = ""


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """A product group (``Классификатор/Группы/Группа``), yielded parent before children.

    ``parent_id`` is None for a top-level group; ``position`` is the group's 0-based index among
    its siblings, so the tree can be rebuilt in 1C's order.
    """

    external_id: str
    name: str
    parent_id: str | None
    position: int
    deleted: bool
    line: int


@dataclass(frozen=True, slots=True)
class PropertyRecord:
    """A property declaration (``Классификатор/Свойства/Свойство``).

    ``value_type`` is ``ТипЗначений`` as sent (``Справочник``, ``Строка``, ``Число``, ``Время``).
    ``values`` are the allowed values as ``(ИдЗначения, Значение)``; a plain ``<Значение>`` variant
    without an id is ``("", value)``. ``for_offers`` is ``ДляПредложений`` (2.08+: the property
    describes a characteristic of offers rather than of products).
    """

    external_id: str
    name: str
    value_type: str
    values: tuple[tuple[str, str], ...]
    for_offers: bool
    deleted: bool
    line: int


@dataclass(frozen=True, slots=True)
class PriceTypeRecord:
    """A price type (``ТипЦены``), from ``Классификатор`` or ``ПакетПредложений``.

    ``currency`` is normalised (``руб``/``руб.``/``643`` → ``RUB``; ISO codes upper-cased; empty
    when 1C gave none). ``vat_included`` is ``Налог/УчтеноВСумме``, None when the type has no tax.
    """

    external_id: str
    name: str
    currency: str
    vat_included: bool | None
    deleted: bool
    line: int


@dataclass(frozen=True, slots=True)
class WarehouseRecord:
    """A warehouse (``Склады/Склад``); ``address`` is ``Адрес/Представление`` or ``""``."""

    external_id: str
    name: str
    address: str
    deleted: bool
    line: int


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """A unit of measure (``Классификатор/ЕдиницыИзмерения/ЕдиницаИзмерения``, non-XSD, УТ 11/3.1).

    ``external_id`` is the unit's ``Ид`` (what a 3.1 ``БазоваяЕдиница`` refers to), or its ``Код``
    when 1C sent no ``Ид``. ``code`` is the ОКЕИ code, ``name`` the short name (``шт``).
    """

    external_id: str
    code: str
    name: str
    full_name: str
    intl_abbr: str
    line: int


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """A product (``Каталог/Товары/Товар``).

    * ``external_id``: the ``Ид`` as sent; 2.04 variant products keep ``"product#characteristic"``.
    * ``unit_code``: ``БазоваяЕдиница@Код`` (ОКЕИ, 2.0x) or, in 3.1, the element text, which is the
      ``Ид`` of a :class:`UnitRecord`. ``unit_name``: ``НаименованиеПолное``, else the short name
      written as the element text. ``unit_ratio``: ``Пересчет/Коэффициент`` or None.
    * ``vat_rate``: the ``НДС`` rate in percent; None when absent or ``Без НДС`` (then
      ``vat_exempt`` is True).
    * ``properties``: ``((property_id, (value, ...)), ...)`` from ``ЗначенияСвойств``; empty
      values are dropped, so ``(pid, ())`` means 1C cleared the property.
    * ``requisites``: ``((name, value), ...)`` from ``ЗначенияРеквизитов``; a requisite with several
      ``Значение`` becomes one value joined by ``"\\n"``; repeated names (``ОписаниеФайла``) stay
      separate pairs.
    * ``characteristics``: ``((name, value), ...)`` from ``ХарактеристикиТовара`` (2.04).
    * ``version``: ``НомерВерсии`` as sent (opaque).
    """

    external_id: str
    sku: str
    name: str
    description: str
    group_ids: tuple[str, ...]
    barcode: str
    unit_code: str
    unit_name: str
    unit_ratio: Decimal | None
    vat_rate: Decimal | None
    vat_exempt: bool
    producer_id: str
    producer_name: str
    brand: str
    properties: tuple[tuple[str, tuple[str, ...]], ...]
    requisites: tuple[tuple[str, str], ...]
    images: tuple[str, ...]
    characteristics: tuple[tuple[str, str], ...]
    deleted: bool
    version: str
    line: int
    content_hash: bytes


@dataclass(frozen=True, slots=True)
class PriceRecord:
    """One ``Цена`` of an offer: ``value`` per ``unit`` × ``coefficient`` of the base unit."""

    price_type_id: str
    value: Decimal
    currency: str
    unit: str
    coefficient: Decimal
    min_quantity: Decimal | None


@dataclass(frozen=True, slots=True)
class StockRecord:
    """Quantity of an offer on one warehouse (may be negative: 1C allows overselling)."""

    warehouse_id: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """An offer (``Предложение``): what is sold, at which prices, how many are in stock.

    * ``external_id`` as sent (``"product"`` or ``"product#characteristic"``); ``product_id`` is the
      part before ``#``, ``variant_id`` the part after it or None. In 2.10
      ``ИзмененияПакетаПредложений`` an offer may be identified by ``Штрихкод`` or ``Артикул``
      alone: then ``external_id`` and ``product_id`` are ``""``.
    * ``prices`` is None when the offer has no ``Цены`` element: split ``rests___`` and bare
      ``offers___`` files carry no prices, and that must not be read as "no longer priced".
      Likewise ``stocks`` is None without any warehouse element and ``quantity`` is None without a
      total ``Количество`` (or ``Остаток/Количество`` outside a warehouse).
    * ``characteristics`` and ``properties`` as in :class:`ProductRecord` (2.05-2.07 name/value
      pairs, 2.08+/3.1 property values respectively).
    """

    external_id: str
    product_id: str
    variant_id: str | None
    sku: str
    name: str
    barcode: str
    prices: tuple[PriceRecord, ...] | None
    quantity: Decimal | None
    stocks: tuple[StockRecord, ...] | None
    characteristics: tuple[tuple[str, str], ...]
    properties: tuple[tuple[str, tuple[str, ...]], ...]
    requisites: tuple[tuple[str, str], ...]
    deleted: bool
    line: int
    content_hash: bytes


# Content hashes. Fields are serialised to one string with control characters as separators
# (fields \x1f, list items \x1e, parts of an item \x1d, None \x19): XML 1.0 cannot carry these
# characters, so the encoding is unambiguous, and it is stable across runs and processes (unlike
# hash()) and three times cheaper than repr(). Formatting changes in 1C (``1`` → ``1.000``) alter
# the digest; that costs one unnecessary write, never a missed one.
_FLAG = {True: "1", False: "0"}
_NONE = "\x19"


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def product_digest(fields: tuple) -> bytes:
    """16-byte BLAKE2b digest of a product's fields (``ProductRecord`` order, without line/hash)."""
    (
        external_id, sku, name, description, group_ids, barcode, unit_code, unit_name, unit_ratio,
        vat_rate, vat_exempt, producer_id, producer_name, brand, properties, requisites, images,
        characteristics, deleted, version,
    ) = fields  # fmt: skip
    return _digest(
        "\x1f".join(
            (
                external_id, sku, name, description, "\x1e".join(group_ids), barcode, unit_code,
                unit_name, str(unit_ratio), str(vat_rate), _FLAG[vat_exempt], producer_id,
                producer_name, brand,
                "\x1e".join([pid + "\x1d" + "\x1d".join(values) for pid, values in properties]),
                "\x1e".join([key + "\x1d" + value for key, value in requisites]),
                "\x1e".join(images),
                "\x1e".join([key + "\x1d" + value for key, value in characteristics]),
                _FLAG[deleted], version,
            )
        )
    )  # fmt: skip


def offer_digest(fields: tuple) -> bytes:
    """16-byte BLAKE2b digest of an offer's fields (``OfferRecord`` order, without line/hash)."""
    (
        external_id, product_id, variant_id, sku, name, barcode, prices, quantity, stocks,
        characteristics, properties, requisites, deleted,
    ) = fields  # fmt: skip
    if prices is None:
        price_text = _NONE
    else:
        price_text = "\x1e".join(
            [
                "\x1d".join((p.price_type_id, str(p.value), p.currency, p.unit, str(p.coefficient),
                             str(p.min_quantity)))
                for p in prices
            ]
        )  # fmt: skip
    if stocks is None:
        stock_text = _NONE
    else:
        stock_text = "\x1e".join([s.warehouse_id + "\x1d" + str(s.quantity) for s in stocks])
    return _digest(
        "\x1f".join(
            (
                external_id, product_id, variant_id or _NONE, sku, name, barcode, price_text,
                str(quantity), stock_text,
                "\x1e".join([key + "\x1d" + value for key, value in characteristics]),
                "\x1e".join([pid + "\x1d" + "\x1d".join(values) for pid, values in properties]),
                "\x1e".join([key + "\x1d" + value for key, value in requisites]),
                _FLAG[deleted],
            )
        )
    )  # fmt: skip


def content_digest(record: ProductRecord | OfferRecord) -> bytes:
    """Recompute ``record.content_hash`` (for loaders and tests; the reader computes it from the
    same fields before building the record)."""
    names = type(record).__slots__[:-2]  # every field but line and content_hash
    fields = tuple(getattr(record, name) for name in names)
    return product_digest(fields) if isinstance(record, ProductRecord) else offer_digest(fields)


#: Anything :func:`b2b_cabinet.sync.reader.read_document` yields.
Record = (
    DocumentHeader
    | GroupRecord
    | PropertyRecord
    | PriceTypeRecord
    | WarehouseRecord
    | UnitRecord
    | ProductRecord
    | OfferRecord
)
