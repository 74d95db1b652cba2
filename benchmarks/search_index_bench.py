"""Benchmark of what the SQLite search index costs the 1C importer: prints one JSON line of figures.

    PYTHONPATH=. python benchmarks/search_index_bench.py [--products 150000] [--rounds 2]

Writes ``--products`` products through the importer's ``SQLiteWriter.upsert_products`` (2,000-row
batches in one transaction, as the goods-file chunks arrive), then renames all of them, then 1 % of
them, in three modes, each in a fresh child process and database, the modes interleaved per round:

* ``none``: no search index (migration 0008's objects dropped);
* ``triggers``: the index kept by its triggers row by row;
* ``deferred``: the writes inside ``product_search.deferred()``, as the import pipeline does.

Figures are seconds per write, one list entry per round (``<mode>_<write>_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "example_site")]

MODES = ("none", "triggers", "deferred")
BATCH = 2000


def rows(template: str, count: int) -> list[tuple]:
    """Product rows in ``PRODUCT_COLUMNS`` order, each with a fresh digest like a changed 1C record."""
    return [(f"p{i}", f"SKU-{i:06d}", template.format(i=i, amps=i % 63), "описание", None, None, None, None, 1,
             None, "", "{}", "{}", 1, os.urandom(16)) for i in range(count)]


def measure(mode: str, products: int) -> dict:
    """One mode in this process: migrate a fresh SQLite database and time the three writes."""
    from benchmarks.pricing_bench import setup_django

    folder = tempfile.TemporaryDirectory(prefix="b2b-search-bench-")  # removed when the child exits
    setup_django(f"sqlite:///{folder.name}/bench.sqlite3")
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from b2b_cabinet.models import ImportRun, product_search
    from b2b_cabinet.sync.loaders import bulk_writer

    if mode == "none":
        product_search.drop(connection)
    run = ImportRun.objects.create(source=ImportRun.Source.COMMAND, files=[])

    def write(data: list[tuple]) -> float:
        started = time.perf_counter()
        with transaction.atomic():
            writer = bulk_writer(connection, run.pk)
            block = product_search.deferred(connection) if mode == "deferred" else transaction.atomic()
            with block:
                for start in range(0, len(data), BATCH):
                    writer.upsert_products(data[start:start + BATCH])
        return round(time.perf_counter() - started, 2)

    figures = {
        "insert": write(rows("Товар {i:06d} автомат {amps}А", products)),
        "rename_all": write(rows("Изделие {i:06d} выключатель {amps}А", products)),
        "rename_1pct": write(rows("Деталь {i:06d} выключатель {amps}А", products // 100)),
    }
    connection.close()
    folder.cleanup()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.products)))
        return
    result: dict = {"products": args.products}
    for _ in range(args.rounds):
        for mode in MODES:
            out = subprocess.run([sys.executable, __file__, "--products", str(args.products), "--mode", mode],
                                 check=True, capture_output=True, text=True).stdout
            for write, seconds in json.loads(out.splitlines()[-1]).items():
                result.setdefault(f"{mode}_{write}_s", []).append(seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
