"""Benchmark of the 1C order exchange: prints one JSON line of figures.

    python benchmarks/exchange_bench.py [--parts 10000] [--database-url URL]

It fills a fresh database (SQLite file in a temporary folder by default; ``--database-url`` for
PostgreSQL, whose database is dropped and recreated) with one company, one exchange node with a
Bitrix-like status table, and ``--parts`` orders of one part and two lines each, all new. Then,
through the real exchange endpoint (Django's test client, a 1C emulator), it measures:

* ``query_10k_parts_s``: ``checkauth`` → ``init`` (2.05) → ``query`` answering every part, the
  windows-1251 XML built and sent (target ≤ 5 s); ``query_mb`` is the answer's size;
* ``status_import_10k_s``: ``file`` + ``import`` of a documents file (plain XML) with one status
  document per part (1C status ``P`` → confirmed), applied through ``set_part_statuses`` (the
  rules of ``set_order_status``) with its timeline events and notification outbox rows,
  notification tasks queued to the ORM broker as in production (target ≤ 5 s);
  ``reimport_10k_s`` is the same file imported again (all unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "example_site")]
PASSWORD = "bench"


def setup_django(database_url: str, workdir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")
    import django
    from django.conf import settings

    django.setup()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_DIR": workdir}
    # Production queues tasks to a broker; the test settings run them inline, which would time the
    # emails and webhooks instead of the exchange.
    from django_q.conf import Conf

    Conf.SYNC = False


def fill(parts: int):
    """Migrate, then bulk-insert the node, the company and the orders."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from b2b_cabinet import models as m
    from tests import factories as f

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        company = f.company("ООО «Бенчмарк»", external_id="bench-company")
        f.legal_entity(company)
        f.member(company, role="owner", email="owner@example.com")
        warehouse = f.warehouse("Основной", external_id="wh-1")
        producer = m.Producer.objects.create(name="Bench")
        products = [f.product(producer=producer) for _ in range(2)]
        node = m.ExchangeNode(name="1С bench", login="bench")
        node.set_password(PASSWORD)
        node.save()
        node.producers.add(producer)
        m.StatusMapping.objects.bulk_create([m.StatusMapping(node=node, onec_status=k, status=v)
                                             for k, v in (("N", "new"), ("P", "confirmed"), ("F", "completed"))])
        now = timezone.now()
        orders = m.Order.objects.bulk_create([
            m.Order(company=company, number=f"B-{i:06d}", total=Decimal("300.00"), created_at=now, updated_at=now)
            for i in range(parts)], batch_size=2000)
        order_parts = m.OrderPart.objects.bulk_create([
            m.OrderPart(order=o, index=1, number=f"{o.number}/1", warehouse=warehouse, producer=producer,
                        exchange_node=node, total=Decimal("300.00"), changed_at=now) for o in orders], batch_size=2000)
        m.OrderLine.objects.bulk_create([
            m.OrderLine(order_id=p.order_id, part=p, product=product, warehouse=warehouse, sku=product.sku,
                        name=product.name, quantity=Decimal(q), unit_price=Decimal("100.00"),
                        line_total=Decimal(q) * 100)
            for p in order_parts for product, q in zip(products, (1, 2), strict=True)], batch_size=2000)
    return node, [p.number for p in order_parts]


def documents(numbers: list[str]) -> bytes:
    """One 1C status document per part, as 1C's 2.09 documents file."""
    docs = "".join(
        f"<Документ><Ид>{n}</Ид><НомерВерсии>v1</НомерВерсии><Номер>{n}</Номер><Номер1С>1С-{i}</Номер1С>"
        f"<Дата>2026-12-02</Дата><ХозОперация>Заказ товара</ХозОперация><ЗначенияРеквизитов>"
        "<ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>true</Значение></ЗначениеРеквизита>"
        "<ЗначениеРеквизита><Наименование>Статуса заказа ИД</Наименование><Значение>P</Значение>"
        "</ЗначениеРеквизита></ЗначенияРеквизитов></Документ>\n"
        for i, n in enumerate(numbers))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" '
            f'ВерсияСхемы="2.09">\n{docs}</КоммерческаяИнформация>\n').encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from benchmarks import scratch_dir

    workdir = scratch_dir("b2b-exchange-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    if url.startswith("postgres"):
        from benchmarks.pricing_bench import reset_postgres

        reset_postgres(url)
    setup_django(url, workdir)
    started = time.perf_counter()
    node, numbers = fill(args.parts)
    result = {"parts": args.parts, "database": url.split(":")[0], "setup_s": round(time.perf_counter() - started, 1)}

    from django.test import Client

    from b2b_cabinet.models import OrderEvent, OrderPart
    from tests.onec_client import OneCClient

    one_c = OneCClient(Client(), node.login, PASSWORD, exchange_type="sale", max_polls=1)
    started = time.perf_counter()
    one_c.checkauth()
    one_c.init("2.05")
    answer = one_c.query()
    result["query_10k_parts_s"] = round(time.perf_counter() - started, 2)
    result["query_mb"] = round(len(answer.body) / 2**20, 1)
    assert answer.body.count("<Документ>".encode("cp1251")) == args.parts, "the query missed parts"
    one_c.success()

    data = documents(numbers)
    started = time.perf_counter()
    one_c.send_file("documents.xml", data)
    final = one_c.import_file("documents.xml")
    result["status_import_10k_s"] = round(time.perf_counter() - started, 2)
    assert final.keyword == "success", final.text
    assert OrderPart.objects.filter(status="confirmed").count() == args.parts
    result["events"] = OrderEvent.objects.count()

    again = OneCClient(Client(), node.login, PASSWORD, exchange_type="sale", max_polls=1)
    again.checkauth()
    again.init("2.09")
    started = time.perf_counter()
    again.send_file("documents.xml", data)
    again.import_file("documents.xml")
    result["reimport_10k_s"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
