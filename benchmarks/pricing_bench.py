"""Benchmark of the price engine and the personal price list: prints one JSON line of figures.

    python benchmarks/pricing_bench.py [--products 150000] [--rules 1000] [--database-url URL]

It fills a fresh database (SQLite file in a temporary folder by default; ``--database-url`` for
PostgreSQL, whose database is dropped and recreated) with a catalogue of ``--products`` products
in 200 categories and 6 brands, three price types, stock in five warehouses, and ``--rules``
active discount rules for one company: 80 % on single products, 15 % on categories, 3 % on brands,
the rest on property values and two for everyone; exclusive, stacked and capped mixed; a quarter
with a minimum quantity. Then it measures:

* ``price_10k_lines_ms``: median of 5 runs pricing 10,000 random lines (random quantities) for the
  company with a fresh context, queries included (target ≤ 200 ms);
* ``catalog_page_queries``: queries the catalogue and the engine run to render a page of 50 products
  with personal prices for a signed-in partner (target ≤ 10); ``catalog_page_queries_total`` adds
  Wagtail routing, the menu, session and user, which every page pays; ``catalog_page_p95_ms`` is the
  p95 server time of 20 such pages;
* ``price_list_150k_s`` and ``price_list_peak_rss_mb``: the personal price list of every product,
  written to .xlsx by a fresh child process (targets ≤ 20 s and ≤ 300 MB).

``price_10k_lines_cpu_ms`` and ``price_list_cpu_s`` are the same runs in CPU time of the process:
on a shared machine the wall-clock figures grow with the load, these much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "example_site")]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")
    import django

    django.setup()


def fill(products: int, rules: int) -> dict:
    """Migrate and bulk-insert the catalogue, prices, stock, a company and its rules."""
    from django.core.management import call_command
    from django.db import transaction

    from b2b_cabinet import models as m
    from tests import factories as f

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    with transaction.atomic():
        pages = f.site_pages()
        roots = [m.Category.objects.create(name=f"Раздел {i}", slug=f"r{i}") for i in range(20)]
        cats = [m.Category.objects.create(name=f"Группа {r.pk}-{j}", slug=f"g{r.pk}-{j}", parent=r)
                for r in roots for j in range(9)]
        brands = [m.Brand.objects.create(name=name, slug=name.lower())
                  for name in ("IEK", "EKF", "ABB", "SE", "KEAZ", "DEK")]
        dealer = m.PriceType.objects.create(name="Дилерская")
        wholesale = m.PriceType.objects.create(name="Оптовая", is_default=True)
        rrp = m.PriceType.objects.create(name="РРЦ", is_rrp=True)
        warehouses = [m.Warehouse.objects.create(name=f"Склад {i}") for i in range(5)]
        batch = 5000
        for start in range(0, products, batch):
            m.Product.objects.bulk_create([
                m.Product(external_id=f"p{i}", sku=f"SKU-{i:06d}", name=f"Товар {i:06d} автомат {i % 63}А",
                          category=cats[i % len(cats)], brand=brands[i % len(brands)], vat_rate=Decimal(20),
                          properties={"Ток": f"{i % 63}А", "Полюсов": str(1 + i % 4)})
                for i in range(start, min(products, start + batch))
            ])
        ids = list(m.Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            prices, stock = [], []
            for pid in chunk:
                base = Decimal(rng.randint(100, 50000)) / 10
                prices += [m.Price(product_id=pid, price_type=dealer, value=base),
                           m.Price(product_id=pid, price_type=wholesale, value=base * Decimal("1.1")),
                           m.Price(product_id=pid, price_type=rrp, value=base * Decimal("1.5"))]
                for w in rng.sample(warehouses, 2):
                    stock.append(m.StockLevel(product_id=pid, warehouse=w, on_hand=rng.randint(0, 500),
                                              in_transit=rng.choice([0, 0, 0, 20]), expected_at=None))
            m.Price.objects.bulk_create(prices, batch_size=batch)
            m.StockLevel.objects.bulk_create(stock, batch_size=batch)
        company = m.Company.objects.create(name="Альфа")
        m.Contract.objects.create(company=company, number="Д-1", price_type=dealer)
        group = m.CompanyGroup.objects.create(name="Дилеры")
        group.companies.add(company)
        prop = m.Property.objects.create(name="Ток")
        values = [m.PropertyValue.objects.create(property=prop, value=f"{a}А") for a in range(63)]
        made = []
        # A realistic mix for one big dealer: mostly personal prices on SKUs, then category and brand
        # discounts (brand ones as volume ladders), a few by property, two blanket group rules.
        for i in range(rules):
            share = i / rules
            target = ({"product_id": rng.choice(ids)} if share < 0.80 else
                      {"category": rng.choice(cats + roots)} if share < 0.95 else
                      {"brand": brands[i % len(brands)]} if share < 0.98 else
                      {"property_value": rng.choice(values)} if i < rules - 2 else {})
            who = {"company_group": group} if i % 7 == 0 else {"company": company}
            combination = ("exclusive", "stacked", "capped")[i % 3]
            made.append(m.DiscountRule(
                name=f"rule {i}", method="percent", value=Decimal(rng.randint(1, 15)), combination=combination,
                cap_percent=Decimal(20) if combination == "capped" else None,
                min_quantity=Decimal(rng.choice([0, 0, 10, 50])), priority=rng.randint(0, 3), **who, **target))
        m.DiscountRule.objects.bulk_create(made)
        user = f.member(company, role="buyer", email="bench@example.com")
    return {"company": company.pk, "user": user.pk, "ids": ids, "catalog": pages["catalog"].url}


def price_10k(company_id: int, ids: list[int]) -> tuple[float, float]:
    from b2b_cabinet import pricing
    from b2b_cabinet.models import Company

    rng = random.Random(11)
    lines = [pricing.LineRequest(pid, Decimal(rng.randint(1, 100))) for pid in rng.sample(ids, min(10_000, len(ids)))]
    timings, cpu = [], []
    for _ in range(5):
        company = Company.objects.select_related("region").get(pk=company_id)
        started, started_cpu = time.perf_counter(), time.process_time()
        priced = pricing.price_lines(pricing.context_for_company(company), lines)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert all(line.available for line in priced)
    return round(statistics.median(timings), 1), round(statistics.median(cpu), 1)


def catalog_page(user_id: int, url: str) -> dict:
    import re

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    framework = re.compile(r'FROM "(wagtailcore_\w+|django_session|auth_user)"')
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    with override_settings(B2B_CABINET={"CATALOG_PAGE_SIZE": 50}):
        client.get(url)
        timings = []
        for page in range(1, 21):
            started = time.perf_counter()
            response = client.get(url, {"page": page * 37})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.content.count(b"price__value") == 50
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"page": 3})
    catalogue = [q for q in queries if not framework.search(q["sql"])]
    return {"catalog_page_queries": len(catalogue), "catalog_page_queries_total": len(queries),
            "catalog_page_p95_ms": round(statistics.quantiles(timings, n=20)[18], 1)}


def price_list_child(company_id: int) -> None:
    """Runs in a fresh process: write the price list and print seconds, rows and peak RSS."""
    from b2b_cabinet import pricing
    from b2b_cabinet.models import Company
    from b2b_cabinet.pricelist import write_price_list

    company = Company.objects.get(pk=company_id)
    with tempfile.TemporaryFile() as target:
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = write_price_list(pricing.context_for_company(company), target)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        size = target.tell()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "cpu": round(cpu, 1), "rows": rows, "rss_mb": round(rss),
                      "bytes": size}))



def prepare_catalogue(database_url: str, products: int, rules: int, prefix: str) -> tuple[str, dict, float]:
    """A fresh database (SQLite in a scratch folder unless ``database_url``) filled by :func:`fill` and
    analysed; returns its URL, what :func:`fill` returned and the setup seconds."""
    from benchmarks import scratch_dir

    url = database_url or f"sqlite:///{scratch_dir(prefix)}/bench.sqlite3"
    if url.startswith("postgres"):
        reset_postgres(url)
    setup_django(url)
    started = time.perf_counter()
    data = fill(products, rules)
    from django.db import connection

    # Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would give a live site.
    connection.cursor().execute("ANALYZE")
    return url, data, round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=150_000)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--price-list-child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.price_list_child:
        setup_django(args.database_url)
        price_list_child(args.price_list_child)
        return
    url, data, setup_s = prepare_catalogue(args.database_url, args.products, args.rules, "b2b-pricing-bench-")
    result = {"products": args.products, "rules": args.rules, "database": url.split(":")[0], "setup_s": setup_s}
    result["price_10k_lines_ms"], result["price_10k_lines_cpu_ms"] = price_10k(data["company"], data["ids"])
    result.update(catalog_page(data["user"], data["catalog"]))
    from django.db import connections

    connections.close_all()
    child = subprocess.run(
        [sys.executable, __file__, "--price-list-child", str(data["company"]), "--database-url", url],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    result.update({"price_list_150k_s": figures["seconds"], "price_list_cpu_s": figures["cpu"],
                   "price_list_rows": figures["rows"],
                   "price_list_peak_rss_mb": figures["rss_mb"], "price_list_mb": round(figures["bytes"] / 2**20, 1)})
    print(json.dumps(result))


def reset_postgres(url: str) -> None:
    """Drop and recreate the benchmark database named in ``url``."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
