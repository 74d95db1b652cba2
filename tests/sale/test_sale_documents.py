"""Payments and shipments from 1C, two nodes at once, and what a node may not see or touch."""

import threading

import pytest
from django.core import mail
from django.db import connection
from lxml import etree

from b2b_cabinet.models import (
    Delivery,
    ExchangeSession,
    Notification,
    OrderPart,
    OrderStatus,
    Payment,
    Shipment,
    WebhookEndpoint,
)
from tests.sale.conftest import document, documents_xml, one_c
from tests.sale.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db
S = OrderStatus
PAID = [("Номер оплаты по 1С", "ТДЦУ-000001"), ("Дата оплаты по 1С", "2026-12-02T15:39:10"),
        ("Номер отгрузки по 1С", "ТДЦУ-000003"), ("Дата отгрузки по 1С", "2026-12-03T17:32:27")]


def numbers(body: bytes) -> set[str]:
    return {d.findtext("Номер") for d in etree.fromstring(body).findall("Документ")}


def test_payment_and_shipment_requisites_become_finance_records_once(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    docs = documents_xml(document(part.number, status="S", requisites=PAID))
    iek.sale_exchange({"d.xml": docs})
    one_c(client, nodes["IEK"]).sale_exchange({"d.xml": docs})
    payment, shipment = Payment.objects.get(), Shipment.objects.get()
    assert (payment.number, payment.amount, payment.order_part_id, payment.node_id) == (
        "ТДЦУ-000001", part.total, part.pk, nodes["IEK"].pk)
    assert (shipment.number, str(shipment.date)) == ("ТДЦУ-000003", "2026-12-03")


def test_2_10_subordinate_documents_bring_payments_and_shipments_with_amounts(client, order, nodes, shop):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    extra = f"""<ПодчиненныеДокументы>
      <ПодчиненныйДокумент><Ид>pay-guid</Ид><Номер>ПП-7</Номер><Дата>2026-12-04</Дата>
        <ХозОперация>Выплата безналичных денег</ХозОперация><Сумма>150.00</Сумма></ПодчиненныйДокумент>
      <ПодчиненныйДокумент><Ид>ship-guid</Ид><Номер>РТ-3</Номер><Дата>2026-12-05</Дата>
        <ХозОперация>Отпуск товара</ХозОперация><Сумма>200.00</Сумма>
        <Товары><Товар><Ид>{shop["products"]["IEK-1"].external_id}</Ид><Количество>2</Количество>
          <ЦенаЗаЕдиницу>100</ЦенаЗаЕдиницу><Сумма>200</Сумма></Товар></Товары></ПодчиненныйДокумент>
    </ПодчиненныеДокументы>"""
    iek.sale_exchange({"d.xml": documents_xml(document(part.number, status="P", extra=extra), version="2.10")},
                      version="2.10")
    assert Payment.objects.get().amount == 150
    shipment = Shipment.objects.get()
    assert (shipment.number, shipment.amount, shipment.lines.get().quantity) == ("РТ-3", 200, 2)


def test_two_nodes_each_see_only_their_own_parts(client, order, nodes):
    ekf, iek = one_c(client, nodes["EKF"]), one_c(client, nodes["IEK"])
    ekf.checkauth()
    iek.checkauth()
    ekf.init("2.09")
    iek.init("2.05")
    ekf_parts = set(order.parts.filter(producer__name="EKF").values_list("number", flat=True))
    iek_parts = set(order.parts.filter(producer__name="IEK").values_list("number", flat=True))
    assert numbers(ekf.query().body) == ekf_parts and numbers(iek.query().body) == iek_parts
    assert iek.success().keyword == "success"  # IEK confirms; EKF has not yet
    assert numbers(ekf.query().body) == ekf_parts
    nodes["EKF"].refresh_from_db()
    assert nodes["EKF"].sale_watermark is None


def test_a_node_cannot_change_another_producers_part(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    foreign = OrderPart.objects.filter(producer__name="EKF").first()
    answer = iek.sale_exchange({"d.xml": documents_xml(document(foreign.number, status="F", requisites=PAID))})
    assert "belongs to another exchange node; refused" in answer["import:d.xml"].text
    foreign.refresh_from_db()
    assert foreign.status == S.NEW and not Payment.objects.exists()


def test_the_cookie_of_one_node_with_the_login_of_another_is_refused(client, order, nodes):
    ekf, iek = one_c(client, nodes["EKF"]), one_c(client, nodes["IEK"])
    ekf.checkauth()
    iek.checkauth()
    iek.cookie = ekf.cookie  # IEK's sessid with EKF's cookie
    assert iek.query().status == 401


def test_a_wrong_password_opens_no_sale_session(client, nodes):
    iek = one_c(client, nodes["IEK"])
    assert iek.checkauth(password="wrong").status == 401
    assert not ExchangeSession.objects.exists()


def test_a_documents_file_with_a_doctype_is_refused_and_changes_nothing(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    evil = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            f'<КоммерческаяИнформация><Документ><Номер>{part.number}</Номер>'
            '<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Статуса заказа ИД</Наименование>'
            '<Значение>&e;</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ>'
            '</КоммерческаяИнформация>').encode()
    iek.checkauth()
    iek.init("2.09")
    iek.send_file("evil.xml", evil)
    answer = iek.import_file("evil.xml")
    assert answer.keyword == "failure" and "DOCTYPE" in answer.text
    part.refresh_from_db()
    assert part.status == S.NEW


def test_a_path_traversal_file_name_is_refused_on_sale_too(client, nodes):
    iek = one_c(client, nodes["IEK"])
    iek.checkauth()
    iek.init("2.09")
    (answer,) = iek.send_file("../../escape.xml", b"<x/>")
    assert answer.keyword == "failure" and "leaves the exchange folder" in answer.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nodes_exchanging_at_the_same_time_do_not_interfere(order_committed, nodes_committed):
    """Two 1C bases run their whole conversation in parallel threads against the real views.

    PostgreSQL only: SQLite's in-memory test database locks whole tables between threads. The
    interleaved test above covers the same isolation on SQLite, one request at a time.
    """
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real concurrent transactions)")

    errors, results = [], {}
    parts = {name: OrderPart.objects.filter(producer__name=name).first() for name in ("IEK", "EKF")}

    def run(name):
        try:
            client = Client()
            docs = documents_xml(document(parts[name].number, status="P", onec_number=f"{name}-1"))
            results[name] = one_c(client, nodes_committed[name]).sale_exchange({"d.xml": docs})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("IEK", "EKF")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for name, part in parts.items():
        part.refresh_from_db()
        assert (part.status, part.onec_number) == (S.CONFIRMED, f"{name}-1")
        node = nodes_committed[name]
        node.refresh_from_db()
        assert node.sale_watermark is not None
        sent = numbers(results[name]["query"].body)
        assert sent == set(OrderPart.objects.filter(producer__name=name).values_list("number", flat=True))


def test_done_when_orders_go_to_two_nodes_and_everything_comes_back_to_the_partner(
        client, order, nodes, settings, django_capture_on_commit_callbacks):
    """The issue's acceptance: two producer nodes, statuses, payments and shipments back; cabinet, email, CRM."""
    settings.LANGUAGE_CODE = "ru"
    mail.outbox.clear()
    with Receiver("crm-secret") as crm, django_capture_on_commit_callbacks(execute=True):
        WebhookEndpoint.objects.create(name="CRM", url=crm.url, secret="crm-secret")
        for name in ("IEK", "EKF"):
            node_parts = OrderPart.objects.filter(producer__name=name)
            docs = documents_xml(*[document(p.number, status="S", requisites=PAID) for p in node_parts])
            one_c(client, nodes[name]).sale_exchange({"documents.xml": docs})
    assert set(OrderPart.objects.values_list("status", flat=True)) == {S.SHIPPED}
    assert Payment.objects.count() == Shipment.objects.count() == 3
    owner = order.created_by
    kinds = set(Notification.objects.filter(user=owner).values_list("kind", flat=True))
    assert {"order.status_changed", "payment.received", "shipment.created"} <= kinds
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Получена оплата ТДЦУ-000001") for s in subjects), subjects
    assert any(s.startswith("Создана отгрузка ТДЦУ-000003") for s in subjects), subjects
    assert {e["type"] for e in crm.events} >= {"order.status_changed", "payment.received", "shipment.created"}
    assert crm.rejected == 0 and not Delivery.objects.exclude(status="sent").exists()


def test_a_node_without_producers_or_warehouses_is_the_catch_all_of_unrouted_parts(client, order, nodes):
    from b2b_cabinet.models import ExchangeNode
    from b2b_cabinet.sync.orders_export import node_parts

    OrderPart.objects.update(exchange_node=None)
    catch_all = ExchangeNode.objects.create(name="Единая база", login="1c-all")
    assert not node_parts(catch_all).exists()  # every part's producer belongs to a node
    nodes["EKF"].producers.clear()
    assert set(node_parts(catch_all).values_list("producer__name", flat=True)) == {"EKF"}


def test_the_2_10_query_carries_the_parts_invoice_payment_and_shipment_and_only_its_own(client, order, nodes):
    from datetime import date
    from decimal import Decimal

    from b2b_cabinet import finance

    part = OrderPart.objects.get(producer__name="IEK")
    invoice = finance.issue_invoice(part.order, part, today=date(2026, 12, 1))
    finance.record_payment(order_part=part, number="ТДЦУ-000001", date=date(2026, 12, 2), amount=Decimal("10.00"),
                           source="1c", external_id="pay-guid", node=nodes["IEK"])
    shipment = finance.record_shipment(order_part=part, number="РН-1", date=date(2026, 12, 3), source="manual")
    iek, ekf = one_c(client, nodes["IEK"]), one_c(client, nodes["EKF"])
    for one in (iek, ekf):
        one.checkauth()
        one.init("2.10")
    (doc,) = [d for d in etree.fromstring(iek.query().body).findall("Документ") if d.findtext("Номер") == part.number]
    linked = doc.findall("ПодчиненныеДокументы/ПодчиненныйДокумент")
    assert [(d.findtext("ХозОперация"), d.findtext("Ид"), d.findtext("Номер"), d.findtext("Дата")) for d in linked] == [
        ("Счет на оплату", invoice.number, invoice.number, "2026-12-01"),
        ("Выплата безналичных денег", "pay-guid", "ТДЦУ-000001", "2026-12-02"),
        ("Отпуск товара", f"b2b-shipment-{shipment.pk}", "РН-1", "2026-12-03")]
    assert linked[1].findtext("Сумма") == "10.00" and linked[0].findtext("СрокПлатежа")
    other = ekf.query().body
    assert "<ПодчиненныеДокументы>".encode("cp1251") not in other  # EKF's parts have no documents
    assert "ТДЦУ-000001".encode("cp1251") not in other and invoice.number.encode("cp1251") not in other
    iek.init("2.09")
    assert etree.fromstring(iek.query().body).find("Документ/ПодчиненныеДокументы") is None


def test_a_whole_order_invoice_goes_only_to_a_node_that_has_every_part_of_the_order(client, order, nodes):
    from datetime import date

    from b2b_cabinet import finance

    # The order is split between EKF's and IEK's nodes: an invoice for the whole of it bills the goods
    # of both producers, so neither base may receive it as its part's document.
    invoice = finance.issue_invoice(order, today=date(2026, 12, 1))
    assert invoice.part_id is None
    for name in ("EKF", "IEK"):
        one = one_c(client, nodes[name])
        one.checkauth()
        one.init("2.10")
        body = one.query().body
        assert etree.fromstring(body).findall("Документ")  # the node's parts are in the answer
        assert invoice.number.encode("cp1251") not in body

    # Once every part is routed to one node, that node's answer carries it under each part.
    order.parts.update(exchange_node=nodes["EKF"])
    ekf = one_c(client, nodes["EKF"])
    ekf.checkauth()
    ekf.init("2.10")
    docs = etree.fromstring(ekf.query().body).findall("Документ")
    assert len(docs) == order.parts.count()
    assert all(d.findtext("ПодчиненныеДокументы/ПодчиненныйДокумент/Номер") == invoice.number for d in docs)


def test_a_refused_document_leaves_nothing_for_a_later_document_of_the_same_part(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    bad_shipment = """<ПодчиненныеДокументы><ПодчиненныйДокумент><Ид>ship-bad</Ид><Номер>РТ-9</Номер>
      <Дата>2026-12-05</Дата><ХозОперация>Отпуск товара</ХозОперация><Сумма>-5.00</Сумма>
    </ПодчиненныйДокумент></ПодчиненныеДокументы>"""
    docs = documents_xml(document(part.number, status="P", onec_number="ЗК-ОТКАЗ", extra=bad_shipment),
                         document(part.number, status="P"), version="2.10")
    iek.sale_exchange({"d.xml": docs}, version="2.10")
    part.refresh_from_db()
    assert part.onec_number != "ЗК-ОТКАЗ"
    assert not Shipment.objects.exists()
    assert part.status == S.CONFIRMED
