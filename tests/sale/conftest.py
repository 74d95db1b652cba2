"""Two producers, each with its own 1C exchange node and login, and a placed order split between them."""

import pytest

from b2b_cabinet import ordering
from b2b_cabinet.models import StatusMapping
from tests.onec_client import OneCClient
from tests.ordering.conftest import MORNING, checkout_request, filled_cart, shop  # noqa: F401

PASSWORD = "секрет-1c"


@pytest.fixture
def nodes(shop):  # noqa: F811
    """The shop's nodes with passwords and a Bitrix-like status table (N, P, F and a custom one)."""
    for node in shop["nodes"].values():
        node.set_password(PASSWORD)
        node.save()
        StatusMapping.objects.bulk_create([
            StatusMapping(node=node, onec_status="N", onec_name="Принят", status="new"),
            StatusMapping(node=node, onec_status="P", onec_name="Подтвержден", status="confirmed"),
            StatusMapping(node=node, onec_status="S", onec_name="Отгружен", status="shipped"),
            StatusMapping(node=node, onec_status="F", onec_name="Выполнен", status="completed"),
            StatusMapping(node=node, onec_status="Открыт", status="confirmed", use_for_export=False),
        ])
    return shop["nodes"]


@pytest.fixture
def order(filled_cart, shop, nodes, django_capture_on_commit_callbacks):  # noqa: F811
    """Альфа's order: parts /1 (EKF, Екатеринбург), /2 (IEK, Екатеринбург), /3 (EKF, Москва).

    Placed as if committed (its ``order.created`` notifications dispatched), so that a test's
    own commit callbacks deliver only what the test did.
    """
    with django_capture_on_commit_callbacks(execute=True):
        return ordering.place_order(filled_cart, checkout_request(filled_cart.company, shop),
                                    actor=filled_cart.user, now=MORNING)


def one_c(client, node, **options) -> OneCClient:
    """A 1C emulator for ``node``'s sale exchange."""
    return OneCClient(client, node.login, PASSWORD, exchange_type="sale", **options)


def document(number: str, *, status: str = "", version: str = "", onec_number: str = "", requisites=(),
             lines: str = "", extra: str = "", deleted: bool = False) -> str:
    """One 1C order document (the shape of 1C's 2.09 documents-example.xml)."""
    values = [("Проведен", "true")] + ([("Статуса заказа ИД", status)] if status else []) + list(requisites)
    req = "".join(f"<ЗначениеРеквизита><Наименование>{n}</Наименование><Значение>{v}</Значение></ЗначениеРеквизита>"
                  for n, v in values)
    return f"""<Документ>
    <Ид>{number}</Ид>{f"<НомерВерсии>{version}</НомерВерсии>" if version else ""}
    <ПометкаУдаления>{"true" if deleted else "false"}</ПометкаУдаления>
    <Номер>{number}</Номер><Номер1С>{onec_number}</Номер1С><Дата>2026-12-02</Дата><Дата1С>2026-12-02</Дата1С>
    <ХозОперация>Заказ товара</ХозОперация><Валюта>RUB</Валюта><Курс>1</Курс><Роль>Продавец</Роль>
    <ЗначенияРеквизитов>{req}</ЗначенияРеквизитов>{lines}{extra}
  </Документ>"""


def documents_xml(*docs: str, version: str = "2.09") -> bytes:
    """A documents file as 1C sends it (UTF-8, namespaced)."""
    body = "\n  ".join(docs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="{version}" ДатаФормирования="2026-12-02T12:00:00">
  {body}
</КоммерческаяИнформация>
""".encode()


@pytest.fixture
def nodes_committed(transactional_db, shop, nodes):  # noqa: F811
    """The nodes, for tests that run real transactions in threads."""
    return nodes


@pytest.fixture
def order_committed(transactional_db, filled_cart, shop, nodes):  # noqa: F811
    return ordering.place_order(filled_cart, checkout_request(filled_cart.company, shop), actor=filled_cart.user,
                                now=MORNING)
