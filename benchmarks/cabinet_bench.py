"""Benchmark of the cabinet catalogue, search and quick order: prints one JSON line of figures.

    PYTHONPATH=. python benchmarks/cabinet_bench.py [--products 150000] [--database-url URL]

It fills a fresh database with the catalogue of ``benchmarks/pricing_bench.py`` (``--products``
products in 200 categories and 6 brands, three price types, stock in two of five warehouses, 1,000
discount rules for the buyer's company) and then measures, in one process, through Django's test
client (server time: URL routing, middleware, session, the view, queries and the template):

* ``baseline_p95_ms``: a minimal Django view (``HttpResponse("ok")``) behind the same middleware,
  signed in as the same user;
* ``catalog_p50_ms``, ``catalog_p95_ms``: ``/cabinet/catalogue/`` pages (24 products with personal
  prices and stock) over random pages, categories, brands and "in stock", 60 requests;
* ``search_p95_ms``: searches by name words, SKU, SKU prefix and barcode, 60 requests;
* ``quick_order_1000_s``: one POST of 1,000 pasted "SKU⇥quantity" lines to ``/cabinet/quick-order/``
  (parsing, matching, adding to the cart), the median of 3 runs on an emptied cart.

Targets: catalogue and search p95 ≤ 150 ms; quick order ≤ 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "example_site")]

from benchmarks.pricing_bench import prepare_catalogue  # noqa: E402


def p95(timings: list[float]) -> float:
    return round(statistics.quantiles(timings, n=20)[18], 1)


def install_baseline_urlconf() -> None:
    """The site's URLs plus ``/__baseline__/``, a view that does nothing, for the comparison."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("__baseline__/", lambda request: HttpResponse("ok")),
                          path("", include(settings.ROOT_URLCONF))]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def timed(client, url: str, params=None, method="get") -> float:
    started = time.perf_counter()
    response = getattr(client, method)(url, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed


def measure(user_id: int, ids: list[int]) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from b2b_cabinet.models import Brand, CartLine, Category, Product

    rng = random.Random(5)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    catalogue = "/cabinet/catalogue/"
    for _ in range(3):  # warm caches, templates, the pricing strategy
        client.get(catalogue)
        client.get("/__baseline__/")
    baseline = [timed(client, "/__baseline__/") for _ in range(60)]
    categories = list(Category.objects.values_list("pk", flat=True))
    brands = list(Brand.objects.values_list("pk", flat=True))
    browse = []
    for i in range(60):
        params = {"page": rng.randint(1, 40)}
        if i % 3 == 0:
            params["category"] = rng.choice(categories)
        if i % 4 == 1:
            params["brand"] = rng.choice(brands)
        if i % 5 == 2:
            params["in_stock"] = "on"
        browse.append(timed(client, catalogue, params))
    sample = Product.objects.filter(pk__in=rng.sample(ids, 30)).values_list("sku", "name")
    queries = ["автомат 16А", "товар 0123", "SKU-01", "SKU-1499", "автомат"]
    for sku, name in sample:
        queries += [sku, sku[:8], " ".join(name.split()[:2])]
    search = [timed(client, catalogue, {"q": q, "in_stock": "on" if i % 2 else ""})
              for i, q in enumerate(queries[:60])]
    skus = [sku for sku in Product.objects.filter(pk__in=rng.sample(ids, 1000)).values_list("sku", flat=True)]
    text = "Артикул\tКоличество\n" + "\n".join(f"{sku}\t{rng.randint(1, 50)}" for sku in skus)
    quick = []
    for _ in range(3):
        CartLine.objects.all().delete()
        quick.append(timed(client, "/cabinet/quick-order/", {"text": text}, method="post") / 1000)
    assert CartLine.objects.count() == 1000
    return {
        "catalog_p50_ms": round(statistics.median(browse), 1),
        "catalog_p95_ms": p95(browse),
        "search_p50_ms": round(statistics.median(search), 1),
        "search_p95_ms": p95(search),
        "baseline_p50_ms": round(statistics.median(baseline), 1),
        "baseline_p95_ms": p95(baseline),
        "quick_order_1000_s": round(statistics.median(quick), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=150_000)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url, data, setup_s = prepare_catalogue(args.database_url, args.products, args.rules, "b2b-cabinet-bench-")
    result = {"products": args.products, "database": url.split(":")[0], "setup_s": setup_s}
    install_baseline_urlconf()
    result.update(measure(data["user"], data["ids"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
