"""Golden tests of the order documents: our query answer against 1C-Bitrix's, and 1C's real documents in.

``SHARED`` files are 1C's and 1C-Bitrix's own (see shared/commerceml/README.md); our own answers are
kept as golden files in ``tests/fixtures/orders`` (regenerate with ``UPDATE_GOLDEN=1`` after a
deliberate change, and review the diff).
"""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.orders_xml import (
    ContractorOut,
    OrderLineOut,
    OrderOut,
    negotiate,
    read_order_documents,
    write_orders,
)
from b2b_cabinet.sync.orders_xml.records import LinkedOut

SHARED = Path(__file__).parents[2].parent / "shared" / "commerceml"
GOLDEN = Path(__file__).parents[1] / "fixtures" / "orders"
ATTACKS = Path(__file__).parents[1] / "fixtures" / "commerceml" / "attacks"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real 1C sample files are not here ({SHARED})")
BITRIX_FULL = SHARED / "dobromyslov_commerceml-parser" / "bitrix-query-response-full.xml"
BITRIX_EMPTY = SHARED / "dobromyslov_commerceml-parser" / "bitrix-query-response-empty.xml"
WHEN = datetime(2026, 12, 2, 10, 30, 15)


def sample_order() -> OrderOut:
    return OrderOut(
        external_id="A-000123/1", number="A-000123/1", created_at=WHEN, currency="RUB", total=Decimal("1450.00"),
        contractor=ContractorOut(external_id="le-1", name="ООО «Альфа-Трейд»", inn="6671234560", kpp="667101001",
                                 address="Екатеринбург, ул. Мира, 1"),
        lines=(
            OrderLineOut(product_id="prod-ns100", name="Насос НС-100 ∅50", quantity=Decimal(2),
                         price=Decimal("500.00"), total=Decimal("1000.00"), sku="NS-100", position=1,
                         vat_rate=Decimal("20.00")),
            OrderLineOut(product_id="prod-k#char-red", name="Кабель <красный> & прочее", quantity=Decimal("1.5"),
                         price=Decimal("300.00"), total=Decimal("450.00"), unit_code="006", unit_name="м",
                         unit_full_name="Метр", unit_intl="MTR", position=2),
        ),
        comment="Позвонить за час", warehouse=("wh-ekb", "Екатеринбург"),
        requisites=(("Статус заказа", "[N] Принят"), ("Статуса заказа ИД", "N"), ("Отменен", "false")),
        linked=(
            LinkedOut(kind="invoice", external_id="inv-1", number="СЧ-1", date=WHEN, amount=Decimal("1450"),
                      due_date=datetime(2026, 12, 12).date()),
            LinkedOut(kind="payment", external_id="pay-guid-7", number="ТДЦУ-000007", date=WHEN,
                      amount=Decimal("1000.00"), requisites=(("Номер1С", "ТДЦУ-000007"), ("Оплачено", "true"))),
            LinkedOut(kind="shipment", external_id="b2b-shipment-3", number="РН-3", date=WHEN,
                      amount=Decimal("1450.00"), requisites=(("Отгружено", "true"),)),
        ),
    )


def _children(element) -> list[str]:
    return [child.tag for child in element]


def _golden(name: str, data: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_bytes(data)
    return path.read_bytes()


@pytest.mark.parametrize("version", ["2.05", "2.08", "2.10"])
def test_the_query_answer_matches_its_golden_file(version):
    data = write_orders([sample_order()], version=version, generated_at=WHEN)
    assert data == _golden(f"query_{version.replace('.', '_')}.xml", data)


def test_the_golden_answers_are_committed_not_generated_in_ci():
    assert {p.name for p in GOLDEN.glob("query_*.xml")} >= {"query_2_05.xml", "query_2_08.xml", "query_2_10.xml"}


@needs_shared
def test_our_2_05_answer_has_the_shape_of_1c_bitrix_s_own_answer():
    ours = etree.fromstring(write_orders([sample_order()], version="2.05", generated_at=WHEN))
    theirs = etree.parse(str(BITRIX_FULL)).getroot()
    assert set(ours.attrib) == set(theirs.attrib) and ours.get("ВерсияСхемы") == theirs.get("ВерсияСхемы")
    their_doc, our_doc = theirs.find("Документ"), ours.find("Документ")
    shared_tags = [t for t in _children(their_doc) if t in _children(our_doc)]
    assert shared_tags == [t for t in _children(our_doc) if t in shared_tags]  # same order
    assert set(_children(their_doc)) <= set(_children(our_doc))
    their_line, our_line = their_doc.find("Товары/Товар"), our_doc.find("Товары/Товар")
    assert [t for t in _children(our_line) if t in _children(their_line)] == \
        [t for t in _children(their_line) if t in _children(our_line)]
    assert our_line.find("БазоваяЕдиница").attrib.keys() == their_line.find("БазоваяЕдиница").attrib.keys()
    their_reqs = {r.findtext("Наименование") for r in their_doc.iterfind("ЗначенияРеквизитов/ЗначениеРеквизита")}
    assert {"Статус заказа", "Статуса заказа ИД", "Отменен"} <= their_reqs


@needs_shared
def test_an_empty_answer_is_just_the_root_like_bitrix_s():
    ours = etree.fromstring(write_orders([], version="2.05", generated_at=WHEN))
    theirs = etree.parse(str(BITRIX_EMPTY)).getroot()
    assert len(ours) == len(theirs) == 0 and dict(ours.attrib).keys() == dict(theirs.attrib).keys()
    assert BITRIX_EMPTY.read_bytes().startswith(b'<?xml version="1.0" encoding="windows-1251"?>')


def test_characters_outside_windows_1251_become_references():
    data = write_orders([sample_order()], version="2.05", generated_at=WHEN)
    assert b"&#8709;" in data and "Насос".encode("cp1251") in data
    assert etree.fromstring(data).findtext("Документ/Товары/Товар/Наименование") == "Насос НС-100 ∅50"


def test_2_08_writes_units_as_elements_and_2_10_adds_subordinate_documents():
    v208 = etree.fromstring(write_orders([sample_order()], version="2.08", generated_at=WHEN))
    v210 = etree.fromstring(write_orders([sample_order()], version="2.10", generated_at=WHEN))
    assert v208.find("Документ/Товары/Товар/Единица/Код").text == "796"
    assert v208.find("Документ/ПодчиненныеДокументы") is None
    subordinate = v210.findall("Документ/ПодчиненныеДокументы/ПодчиненныйДокумент")
    assert [(d.findtext("ХозОперация"), d.findtext("Номер"), d.findtext("Сумма")) for d in subordinate] == [
        ("Счет на оплату", "СЧ-1", "1450.00"), ("Выплата безналичных денег", "ТДЦУ-000007", "1000.00"),
        ("Отпуск товара", "РН-3", "1450.00")]
    assert subordinate[0].findtext("СрокПлатежа") == "2026-12-12"


XSD_210 = SHARED / "carono_yii2-1c-exchange" / "commerceML_2.10.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _xsd_sequence(type_name: str) -> list[str]:
    complex_type = etree.parse(XSD_210).getroot().find(f"{XS}complexType[@name='{type_name}']")
    return [e.get("name") for e in complex_type.find(f"{XS}sequence").findall(f"{XS}element")]


def _in_order(tags: list[str], sequence: list[str]) -> bool:
    return all(t in sequence for t in tags) and [sequence.index(t) for t in tags] == sorted(
        sequence.index(t) for t in tags)


@needs_shared
def test_the_2_10_subordinate_documents_follow_1c_s_own_schema():
    """The official 2.10 XSD (shared sample): element order and ХозОперация values of what we write."""
    root = etree.fromstring(write_orders([sample_order()], version="2.10", generated_at=WHEN))
    document = root.find("Документ")
    assert _in_order([t for t in _children(document) if t != "Склады"], _xsd_sequence("Документ"))
    assert _children(document)[-1] == "ПодчиненныеДокументы"
    operations = {e.get("value") for e in etree.parse(XSD_210).getroot().find(
        f"{XS}simpleType[@name='ХозОперацияТип']").iter(f"{XS}enumeration")}
    for linked in document.find("ПодчиненныеДокументы"):
        assert _in_order(_children(linked), _xsd_sequence("ПодчиненныйДокумент"))
        assert linked.findtext("ХозОперация") in operations


def test_our_2_10_answer_reads_back_with_its_payments_and_shipments(tmp_path):
    """1C sends payments and shipments in the same shape: what we write, our reader understands.

    The invoice ("Счет на оплату") is not money received: it is not read as a payment.
    """
    path = tmp_path / "answer.xml"
    path.write_bytes(write_orders([sample_order()], version="2.10", generated_at=WHEN))
    (doc,) = read_order_documents(path)
    assert [(d.kind, d.external_id, d.number, d.amount) for d in doc.linked] == [
        ("payment", "pay-guid-7", "ТДЦУ-000007", Decimal("1000.00")),
        ("shipment", "b2b-shipment-3", "РН-3", Decimal("1450.00"))]


def test_versions_are_negotiated_down_to_what_we_write():
    assert [negotiate(v) for v in ("2.05", "2.09", "2.10", "3.1", "", "junk", "2.07")] == [
        "2.05", "2.09", "2.10", "2.10", "2.05", "2.05", "2.07"]


@needs_shared
def test_1c_s_2_09_documents_yield_statuses_numbers_payments_and_shipments():
    docs = list(read_order_documents(SHARED / "ArgentCrusade_commerceml" / "documents-example.xml"))
    first = docs[0]
    assert (first.number, first.onec_number, first.status_id, first.posted, first.version) == (
        "142", "ТДЦУ-000001", "P", True, "AAAAEAAAAAA=")
    assert [(d.kind, d.number, d.date) for d in first.linked] == [
        ("payment", "ТДЦУ-000001", datetime(2015, 6, 29, 15, 39, 10)),
        ("shipment", "ТДЦУ-000003", datetime(2015, 6, 29, 17, 32, 27))]
    assert [(x.product_id[:8], x.quantity, x.price) for x in first.lines] == [
        ("cbcf493f", 1, 3338), ("bd72d913", 1, 3600)]
    assert len(docs) == 2 and first.total == Decimal("8186.84")


@needs_shared
def test_1c_s_official_2_03_answer_carries_the_payment_and_the_status_letter():
    (doc,) = read_order_documents(SHARED / "carono_yii2-1c-exchange" / "to.xml")
    assert (doc.number, doc.status_id) == ("20", "F")
    assert [(d.kind, d.number) for d in doc.linked] == [("payment", "ТК000000026")]


@needs_shared
def test_unf_style_documents_carry_the_1c_number_in_requisites():
    docs = list(read_order_documents(SHARED / "irpsv_commerceml" / "off-doc-1c_orders.xml"))
    assert [(d.number, d.onec_number, d.status_id) for d in docs[1:]] == [("92", "MM92", "Открыт"),
                                                                         ("93", "MM93", "Открыт")]


@needs_shared
def test_bitrix_s_answer_reads_back_as_orders():
    docs = list(read_order_documents(BITRIX_FULL))
    assert [d.status_id for d in docs] == ["N", "N"] and docs[0].lines[0].quantity == 1


def test_2_10_subordinate_and_top_level_payment_documents_are_attached_to_their_order(tmp_path):
    path = tmp_path / "d.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">
 <Документ><Ид>A-1/1</Ид><Номер>A-1/1</Номер><ХозОперация>Заказ товара</ХозОперация>
  <ПодчиненныеДокументы><ПодчиненныйДокумент><Ид>ship-1</Ид><Номер>РТ-5</Номер><Дата>2026-12-03</Дата>
   <ХозОперация>Отпуск товара</ХозОперация><Сумма>100</Сумма></ПодчиненныйДокумент></ПодчиненныеДокументы>
 </Документ>
 <Документ><Ид>pay-1</Ид><Номер>ПП-9</Номер><Дата>2026-12-04</Дата><ХозОперация>Выплата безналичных денег</ХозОперация>
  <Сумма>100</Сумма><Основание>A-1/1</Основание></Документ>
</КоммерческаяИнформация>""", encoding="utf-8")
    (doc,) = read_order_documents(path)
    assert [(d.kind, d.number, d.amount) for d in doc.linked] == [("shipment", "РТ-5", 100), ("payment", "ПП-9", 100)]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_dtd.xml", "xxe_file.xml"])
def test_documents_with_a_doctype_are_refused(name):
    with pytest.raises(CommerceMLError, match="DOCTYPE"):
        list(read_order_documents(ATTACKS / name))


@needs_shared
def test_1c_s_real_2_09_documents_file_applies_to_the_parts_it_names(client, order, nodes):
    """documents-example.xml (1C УТ, 2.09) against parts numbered as the site numbered them there."""
    from b2b_cabinet.models import OrderPart, Payment, Shipment
    from tests.sale.conftest import one_c

    first, second = OrderPart.objects.filter(producer__name="EKF").order_by("pk")
    OrderPart.objects.filter(pk=first.pk).update(number="142")
    OrderPart.objects.filter(pk=second.pk).update(number="235")
    data = (SHARED / "ArgentCrusade_commerceml" / "documents-example.xml").read_bytes()
    answer = one_c(client, nodes["EKF"]).sale_exchange({"documents-example.xml": data})["import:documents-example.xml"]
    assert "документов 2, изменено 2" in answer.text
    first.refresh_from_db()
    assert (first.status, first.onec_number, first.onec_posted, first.onec_version) == (
        "confirmed", "ТДЦУ-000001", True, "AAAAEAAAAAA=")
    assert "not a catalogue product; the lines were left as they are" in answer.text
    assert first.lines.count() == 1  # 1C's demo goods are not in our catalogue: lines untouched
    assert set(Payment.objects.values_list("number", flat=True)) == {"ТДЦУ-000001", "ТДЦУ-000002"}
    assert list(Shipment.objects.values_list("number", flat=True)) == ["ТДЦУ-000003"]
