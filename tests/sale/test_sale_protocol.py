"""The sale exchange through the real endpoint, driven by the 1C emulator."""

from datetime import timedelta

import pytest
from lxml import etree

from b2b_cabinet.models import ExchangeSession, OrderEvent, OrderPart, OrderStatus, OutboxEvent
from tests.sale.conftest import document, documents_xml, one_c

pytestmark = pytest.mark.django_db
S = OrderStatus


def numbers(body: bytes) -> list[str]:
    root = etree.fromstring(body)
    return [d.findtext("Номер") for d in root.findall("Документ")]


def test_the_whole_sale_conversation_places_statuses_back_on_the_parts(client, order, nodes):
    ekf = one_c(client, nodes["EKF"])
    part = order.parts.get(producer__name="EKF", warehouse__name="Москва")
    docs = documents_xml(document(part.number, status="P", onec_number="ЕКФ-000017"))
    results = ekf.sale_exchange({"documents.xml": docs})
    assert sorted(numbers(results["query"].body)) == sorted(
        order.parts.filter(producer__name="EKF").values_list("number", flat=True))
    assert results["import:documents.xml"].keyword == "success"
    part.refresh_from_db()
    assert (part.status, part.onec_number, part.onec_posted) == (S.CONFIRMED, "ЕКФ-000017", True)
    assert OrderEvent.objects.filter(part=part, source="1c", to_status=S.CONFIRMED).exists()


def test_checkauth_answers_cookie_and_sessid_and_init_negotiates_the_version(client, nodes):
    ekf = one_c(client, nodes["EKF"])
    assert ekf.checkauth().lines[:2] == ["success", "b2b_exchange"]
    answer = ekf.init("2.10")
    assert answer.lines == ["zip=yes", answer.lines[1], f"sessid={ekf.sessid}", "version=2.10", ""]
    assert ExchangeSession.objects.get(token=ekf.cookie[1]).version == "2.10"
    assert ekf.init("3.1").lines[3] == "version=2.10"
    assert ekf.init("2.07").lines[3] == "version=2.07"


def test_init_without_a_version_answers_two_lines_and_exports_in_the_2_05_style(client, order, nodes):
    ekf = one_c(client, nodes["EKF"])
    ekf.checkauth()
    assert ekf.init().text.startswith("zip=yes\nfile_limit=") and "version" not in ekf.init().text
    body = ekf.query().body
    assert etree.fromstring(body).get("ВерсияСхемы") == "2.05" and "БазоваяЕдиница".encode("cp1251") in body


def test_a_query_repeated_without_success_returns_the_same_orders(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    iek.checkauth()
    iek.init("2.09")
    first = numbers(iek.query().body)
    assert first == numbers(iek.query().body) and len(first) == 1
    iek.checkauth()
    iek.init("2.09")
    assert numbers(iek.query().body) == first


def test_success_commits_the_watermark_so_the_next_query_is_empty(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    iek.sale_exchange()
    nodes["IEK"].refresh_from_db()
    assert nodes["IEK"].sale_watermark is not None
    assert OrderPart.objects.get(producer__name="IEK").exported_at is not None
    iek.checkauth()
    iek.init("2.09")
    assert numbers(iek.query().body) == []


def test_a_portal_change_after_success_is_exported_again_but_a_change_from_1c_is_not(client, order, nodes):
    from b2b_cabinet import ordering

    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    iek.sale_exchange({"d.xml": documents_xml(document(part.number, status="P"))})
    iek.checkauth()
    iek.init("2.09")
    assert numbers(iek.query().body) == []  # 1C's own confirmation is not echoed back
    ordering.cancel_order(order, actor=order.created_by)
    assert numbers(iek.query().body) == [part.number]


def test_the_query_answer_is_windows_1251_by_default_and_utf8_with_bom_on_request(client, order, nodes):
    node = nodes["EKF"]
    ekf = one_c(client, node)
    ekf.checkauth()
    ekf.init("2.09")
    answer = ekf.query()
    assert answer.content_type == "application/xml; charset=windows-1251"
    assert answer.body.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    assert "Альфа".encode("cp1251") in answer.body
    node.query_encoding = "utf-8"
    node.save()
    answer = ekf.query()
    assert answer.content_type == "application/xml; charset=utf-8"
    assert answer.body.startswith(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>')
    assert "Альфа".encode() in answer.body


@pytest.mark.parametrize("use_zip", [True, False])
def test_the_old_protocol_applies_documents_on_file(client, order, nodes, settings, use_zip):
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_ZIP": use_zip}
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    results = iek.sale_exchange({"orders.xml": documents_xml(document(part.number, status="P"))}, version=None)
    assert results["init"].text.startswith(f"zip={'yes' if use_zip else 'no'}\n")
    final = results["file" if use_zip else "file:orders.xml"]
    assert final.text.startswith("success\nДокументы orders.xml загружены")
    part.refresh_from_db()
    assert part.status == S.CONFIRMED


def test_importing_the_same_documents_twice_changes_nothing_the_second_time(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    docs = documents_xml(document(part.number, status="S"))
    iek.sale_exchange({"d.xml": docs})
    events = OrderEvent.objects.count()
    second = one_c(client, nodes["IEK"]).sale_exchange({"d.xml": docs})
    assert "изменено 0" in second["import:d.xml"].text
    assert OrderEvent.objects.count() == events
    part.refresh_from_db()
    assert part.status == S.SHIPPED


def test_a_status_1c_jumps_to_is_reached_through_allowed_steps(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    iek.sale_exchange({"d.xml": documents_xml(document(part.number, status="F"))})
    steps = list(OrderEvent.objects.filter(part=part, source="1c").values_list("to_status", flat=True))
    assert steps == [S.CONFIRMED, S.SHIPPED, S.COMPLETED]


def test_two_documents_for_one_part_in_one_file_walk_both_steps_with_one_notification(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    docs = documents_xml(document(part.number, status="P", version="v1", onec_number="ИЭК-1"),
                         document(part.number, status="S", version="v2", onec_number="ИЭК-1"))
    answer = iek.sale_exchange({"d.xml": docs})["import:d.xml"]
    assert "документов 2" in answer.text
    part.refresh_from_db()
    assert (part.status, part.onec_version, part.changed_by_onec) == (S.SHIPPED, "v2", True)
    steps = list(OrderEvent.objects.filter(part=part, source="1c").order_by("pk").values_list("to_status", flat=True))
    assert steps == [S.CONFIRMED, S.SHIPPED]
    (event,) = OutboxEvent.objects.filter(part=part, event_type="order.status_changed")
    assert (event.payload["from_status"], event.payload["to_status"]) == ("new", "shipped")


def test_deletion_mark_cancels_the_part(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    iek.sale_exchange({"d.xml": documents_xml(document(part.number, deleted=True))})
    part.refresh_from_db()
    assert part.status == S.CANCELLED


def test_both_spellings_of_the_status_requisite_are_understood(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    doc = document(part.number, requisites=[("Статус заказа ИД", "P")])
    iek.sale_exchange({"d.xml": documents_xml(doc)})
    part.refresh_from_db()
    assert part.status == S.CONFIRMED


def test_an_unknown_1c_status_is_reported_not_guessed(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    answer = iek.sale_exchange({"d.xml": documents_xml(document(part.number, status="ZZ"))})["import:d.xml"]
    assert "'ZZ' is not in the status table" in answer.text
    part.refresh_from_db()
    assert part.status == S.NEW


def test_changed_quantities_and_prices_from_1c_rewrite_the_lines_and_totals(client, order, nodes, shop):
    iek = one_c(client, nodes["IEK"])
    part = OrderPart.objects.get(producer__name="IEK")
    product = shop["products"]["IEK-1"]
    lines = (f"<Товары><Товар><Ид>{product.external_id}</Ид><Наименование>x</Наименование>"
             "<Количество>5</Количество><Цена>90</Цена><Сумма>450</Сумма></Товар></Товары>")
    iek.sale_exchange({"d.xml": documents_xml(document(part.number, status="P", lines=lines))})
    part.refresh_from_db()
    line = part.lines.get()
    assert (line.quantity, line.unit_price, line.line_total, part.total) == (5, 90, 450, 450)
    order.refresh_from_db()
    assert order.total == sum(p.total for p in order.parts.all())


def test_idle_sessions_of_another_kind_cannot_be_used_for_sale(client, nodes):
    from tests.onec_client import OneCClient
    from tests.sale.conftest import PASSWORD

    catalog = OneCClient(client, nodes["IEK"].login, PASSWORD)
    catalog.checkauth()
    sale = one_c(client, nodes["IEK"])
    sale.cookie, sale.sessid = catalog.cookie, catalog.sessid
    assert sale.query().status == 401


def test_success_without_a_query_confirms_nothing(client, order, nodes):
    iek = one_c(client, nodes["IEK"])
    iek.checkauth()
    iek.init("2.09")
    assert iek.success().keyword == "success"
    nodes["IEK"].refresh_from_db()
    assert nodes["IEK"].sale_watermark is None


def test_the_watermark_never_moves_back(client, order, nodes):
    from b2b_cabinet.sync.orders_export import commit_export

    node = nodes["IEK"]
    later = order.created_at + timedelta(days=1)
    commit_export(node, later, [])
    commit_export(node, order.created_at, [])
    node.refresh_from_db()
    assert node.sale_watermark == later


def test_info_answers_the_reference_book_like_1c_bitrix(client, order, nodes):
    ekf = one_c(client, nodes["EKF"])
    ekf.checkauth()
    ekf.init("2.09")
    answer = ekf.request("info")
    assert answer.content_type == "application/xml; charset=windows-1251"
    assert answer.body.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    # The statuses element starts with a Latin C, byte for byte as 1C-Bitrix writes it.
    assert b"<C" + "татусы>".encode("cp1251") in answer.body
    root = etree.fromstring(answer.body)
    assert root.tag == "Справочник"
    assert [child.tag for child in root] == ["C" + "татусы", "ПлатежныеСистемы", "СлужбыДоставки"]
    statuses = {item.findtext("Ид"): item.findtext("Название") for item in root[0]}
    assert {k: statuses[k] for k in "NPSF"} == {"N": "Принят", "P": "Подтвержден", "S": "Отгружен", "F": "Выполнен"}
    assert "Открыт" not in statuses  # an import-only mapping is not offered
    assert statuses["in_progress"] == "being assembled" and statuses["cancelled"] == "cancelled"
    assert {item.findtext("Ид") for item in root[2]} == {"pickup", "delivery"}
    sent = {value.getparent().findtext("Значение") for value in etree.fromstring(ekf.query().body).iter("Наименование")
            if value.text == "Статуса заказа ИД"}
    assert sent and sent <= set(statuses)  # every id the query sends is in the reference book


def test_a_file_longer_than_one_batch_applies_every_document(client, order, nodes, monkeypatch):
    from b2b_cabinet.sync import orders_import

    monkeypatch.setattr(orders_import, "rows_per_batch", lambda: 1)
    ekf = one_c(client, nodes["EKF"])
    parts = list(OrderPart.objects.filter(producer__name="EKF").order_by("pk"))
    docs = documents_xml(*(document(part.number, status="P", onec_number=f"ЕКФ-{i}") for i, part in enumerate(parts)))
    answer = ekf.sale_exchange({"d.xml": docs})["import:d.xml"]
    assert f"документов {len(parts)}, изменено {len(parts)}" in answer.text
    assert [(p.status, p.onec_number) for p in OrderPart.objects.filter(producer__name="EKF").order_by("pk")] == [
        (S.CONFIRMED, f"ЕКФ-{i}") for i in range(len(parts))]
    assert OutboxEvent.objects.filter(event_type="order.status_changed", part__in=parts).count() == len(parts)
