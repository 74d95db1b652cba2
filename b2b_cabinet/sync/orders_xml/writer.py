"""The ``sale/query`` answer: order parts as CommerceML, byte-for-byte in one encoding.

Shaped after 1C-Bitrix's own answer (the reference of what 1C's exchange expects): no namespace,
Bitrix's root format attributes, the same element order in ``Документ`` (Ид, Номер, Дата,
ХозОперация, Роль, Валюта, Курс, Сумма, Контрагенты, Время, Комментарий, Товары,
ЗначенияРеквизитов), ``ЦенаЗаЕдиницу`` with four decimals and sums with two.

Text is assembled directly (escaped) rather than through an element tree: the answer for 10,000
parts is a few megabytes, and a tree would cost more than the database reads. Encoding is
``windows-1251`` (characters outside it become ``&#NNNN;`` references, legal in XML) or ``utf-8``
with a BOM; the declaration always names the encoding actually used (PROTOCOL §2.8).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from . import names
from .records import ContractorOut, LinkedOut, OrderLineOut, OrderOut
from .versions import new_units, subordinate_documents

ROOT_FORMATS = (
    ' ФорматДаты="ДФ=yyyy-MM-dd; ДЛФ=DT" ФорматВремени="ДФ=ЧЧ:мм:сс; ДЛФ=T" РазделительДатаВремя="T"'
    ' ФорматСуммы="ЧЦ=18; ЧДЦ=2; ЧРД=." ФорматКоличества="ЧЦ=18; ЧДЦ=2; ЧРД=."'
)
ENCODINGS = {"windows-1251": "cp1251", "utf-8": "utf-8"}
BOM = b"\xef\xbb\xbf"


def money(value: Decimal | None, places: int = 2) -> str:
    """``Decimal`` → ``"231.74"`` (fixed point, ``.`` as the mark, never an exponent)."""
    if value is None:
        return ""
    return f"{Decimal(value):.{places}f}"


def quantity(value: Decimal) -> str:
    return f"{Decimal(value):.4f}"


def _day(value: date | datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


PAD = tuple("  " * n for n in range(8))


def _esc(value: str) -> str:
    # Most values (numbers, dates, ids) need no escaping; skip the three replaces for them.
    return escape(value) if ("&" in value or "<" in value or ">" in value) else value


def _el(out: list[str], indent: int, tag: str, value: str = "") -> None:
    out.append(f"{PAD[indent]}<{tag}>{_esc(value)}</{tag}>")


def _requisite(out: list[str], indent: int, name: str, value: str) -> None:
    pad = "  " * indent
    out.append(f"{pad}<ЗначениеРеквизита>")
    _el(out, indent + 1, "Наименование", name)
    _el(out, indent + 1, "Значение", value)
    out.append(f"{pad}</ЗначениеРеквизита>")


def _contractor(out: list[str], c: ContractorOut) -> None:
    out.append("    <Контрагенты>")
    out.append("      <Контрагент>")
    _el(out, 4, "Ид", c.external_id[:40])
    _el(out, 4, "Наименование", c.name)
    if c.inn:
        # A legal entity: 1C finds the counterparty by ИНН (and КПП), PROTOCOL §3.6.
        _el(out, 4, "ОфициальноеНаименование", c.full_name or c.name)
        _el(out, 4, "ИНН", c.inn)
        if c.kpp:
            _el(out, 4, "КПП", c.kpp)
        out.append("        <ЮридическийАдрес>")
        _el(out, 5, "Представление", c.address)
        out.append("        </ЮридическийАдрес>")
    else:
        _el(out, 4, "ПолноеНаименование", c.full_name or c.name)
        out.append("        <АдресРегистрации>")
        _el(out, 5, "Представление", c.address)
        out.append("        </АдресРегистрации>")
    _el(out, 4, "Роль", "Покупатель")
    out.append("      </Контрагент>")
    out.append("    </Контрагенты>")


def _line(out: list[str], line: OrderLineOut, version: str) -> None:
    out.append("      <Товар>")
    _el(out, 4, "Ид", line.product_id)
    if line.catalog_id:
        _el(out, 4, "ИдКаталога", line.catalog_id)
    if line.sku:
        _el(out, 4, "Артикул", line.sku)
    _el(out, 4, "Наименование", line.name)
    if new_units(version):
        out.append("        <Единица>")
        _el(out, 5, "Ид", line.unit_code)
        _el(out, 5, "НаименованиеКраткое", line.unit_name)
        _el(out, 5, "Код", line.unit_code)
        _el(out, 5, "НаименованиеПолное", line.unit_full_name)
        out.append("        </Единица>")
        _el(out, 4, "Коэффициент", "1")
    else:
        out.append(
            f"        <БазоваяЕдиница Код={quoteattr(line.unit_code)} НаименованиеПолное="
            f"{quoteattr(line.unit_full_name)} МеждународноеСокращение={quoteattr(line.unit_intl)}>"
            f"{escape(line.unit_name)}</БазоваяЕдиница>"
        )
    _el(out, 4, "ЦенаЗаЕдиницу", money(line.price, 4))
    _el(out, 4, "Количество", quantity(line.quantity))
    _el(out, 4, "Сумма", money(line.total))
    if line.vat_rate is not None:
        out.append("        <СтавкиНалогов>")
        out.append("          <СтавкаНалога>")
        _el(out, 6, "Наименование", "НДС")
        _el(out, 6, "Ставка", f"{line.vat_rate.normalize():f}")
        out.append("          </СтавкаНалога>")
        out.append("        </СтавкиНалогов>")
    out.append("        <ЗначенияРеквизитов>")
    _requisite(out, 5, "ВидНоменклатуры", "Товар")
    _requisite(out, 5, "ТипНоменклатуры", "Товар")
    if line.position:
        _requisite(out, 5, "НомерПозицииКорзины", str(line.position))
    out.append("        </ЗначенияРеквизитов>")
    out.append("      </Товар>")


def _linked(out: list[str], doc: LinkedOut, order: OrderOut) -> None:
    """One ``ПодчиненныйДокумент``, elements in the 2.10 XSD's order."""
    out.append("      <ПодчиненныйДокумент>")
    _el(out, 4, "Ид", doc.external_id)
    _el(out, 4, "Номер", doc.number)
    _el(out, 4, "Дата", _day(doc.date))
    _el(out, 4, "ХозОперация", names.LINKED_OPERATIONS[doc.kind])
    _el(out, 4, "Роль", "Продавец")
    _el(out, 4, "Валюта", doc.currency or order.currency)
    _el(out, 4, "Курс", "1")
    _el(out, 4, "Сумма", money(doc.amount))
    if doc.due_date:
        _el(out, 4, "СрокПлатежа", _day(doc.due_date))
    if doc.requisites:
        out.append("        <ЗначенияРеквизитов>")
        for name, value in doc.requisites:
            _requisite(out, 5, name, value)
        out.append("        </ЗначенияРеквизитов>")
    out.append("      </ПодчиненныйДокумент>")


def _document(out: list[str], order: OrderOut, version: str) -> None:
    out.append("  <Документ>")
    _el(out, 2, "Ид", order.external_id)
    _el(out, 2, "Номер", order.number)
    _el(out, 2, "Дата", _day(order.created_at))
    _el(out, 2, "ХозОперация", names.ORDER_OPERATION)
    _el(out, 2, "Роль", "Продавец")
    _el(out, 2, "Валюта", order.currency)
    _el(out, 2, "Курс", "1")
    _el(out, 2, "Сумма", money(order.total))
    _contractor(out, order.contractor)
    _el(out, 2, "Время", order.created_at.strftime("%H:%M:%S"))
    _el(out, 2, "Комментарий", order.comment)
    if order.warehouse:
        out.append("    <Склады>")
        out.append("      <Склад>")
        _el(out, 4, "Ид", order.warehouse[0])
        _el(out, 4, "Наименование", order.warehouse[1])
        out.append("      </Склад>")
        out.append("    </Склады>")
    out.append("    <Товары>")
    for line in order.lines:
        _line(out, line, version)
    out.append("    </Товары>")
    out.append("    <ЗначенияРеквизитов>")
    for name, value in order.requisites:
        _requisite(out, 3, name, value)
    out.append("    </ЗначенияРеквизитов>")
    if subordinate_documents(version) and order.linked:
        out.append("    <ПодчиненныеДокументы>")
        for doc in order.linked:
            _linked(out, doc, order)
        out.append("    </ПодчиненныеДокументы>")
    out.append("  </Документ>")


def write_orders(orders: Iterable[OrderOut], *, version: str, generated_at: datetime,
                 encoding: str = "windows-1251") -> bytes:
    """The whole answer as bytes: declaration, root, one ``Документ`` per order part."""
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise ValueError(f"unsupported encoding {encoding!r}; use windows-1251 or utf-8")
    label = "windows-1251" if codec == "cp1251" else "UTF-8"
    out = [
        f'<?xml version="1.0" encoding="{label}"?>',
        f'<{names.ROOT} ВерсияСхемы="{escape(version)}" ДатаФормирования="{generated_at:%Y-%m-%dT%H:%M:%S}"'
        f"{ROOT_FORMATS}>",
    ]
    for order in orders:
        _document(out, order, version)
    out.append(f"</{names.ROOT}>")
    data = ("\n".join(out) + "\n").encode(codec, "xmlcharrefreplace")
    return BOM + data if codec == "utf-8" else data
