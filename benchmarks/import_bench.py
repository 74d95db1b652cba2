"""Benchmark of the CommerceML import: prints one JSON line of figures.

    python benchmarks/import_bench.py [--products 150000] [--workdir DIR] [--databases sqlite,postgres]

It writes a realistic package (``b2b_cabinet.demo.catalogue``: import.xml ~3 KB per product with
4 properties and 2 requisites, offers.xml with 3 prices and 5 warehouses per offer), then measures
in the same run:

* ``floor_s``: a bare single-process ``lxml.etree.iterparse`` of import.xml and offers.xml, filtered
  to ``{*}Товар``/``{*}Предложение``, clearing each element and doing nothing else;
* per database: ``full`` (both files into an empty database), ``unchanged`` (the same files again),
  ``prices_stock`` (an offers.xml with every price and quantity changed) and ``delta1pct`` (a 1 %
  changes-only package);
* ``floor_<database>_s``: the floor again, measured right before and right after that database's full
  import (their mean; ``floor_<database>_each_s`` both): on a shared VM whose speed drifts by half
  within minutes, the ratios ``full_<database>_per_floor`` and ``unchanged_<database>_per_floor``
  compare measurements taken under the same conditions;
* ``peak_rss_mb``: the largest resident set of any process of the import (main or worker);
  ``main_rss_mb`` that of the main process alone;
* ``cpu_<database>``: CPU seconds of each measure, as ``[main process, workers, database server]``
  (the server's from ``/proc`` for local PostgreSQL processes; SQLite runs in the main process).
  On a shared 2-core machine wall time moves with the neighbours' load; CPU time much less.

Each database is measured in its own child process; PostgreSQL uses a fresh database on
``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/postgres``), named by ``--pg-database``
(default ``b2b_import_bench_<pid>``) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def floor_seconds(paths: list[Path]) -> float:
    """Bare iterparse of the files, as the issue defines the floor."""
    from lxml import etree

    started = time.perf_counter()
    for path in paths:
        for _event, element in etree.iterparse(
            str(path), events=("end",), tag=("{*}Товар", "{*}Предложение"), resolve_entities=False,
            no_network=True, load_dtd=False, huge_tree=True,
        ):
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    return time.perf_counter() - started


def write_packages(workdir: Path, products: int) -> dict[str, list[str]]:
    """The full package, a changed offers file and a 1 % delta (reused if already written)."""
    from b2b_cabinet.demo.catalogue import CatalogueSpec, write_delta, write_offers_changed, write_package

    spec = CatalogueSpec.realistic(products=products, properties_per_product=4, requisites_per_product=2)
    marker = workdir / f"spec-{products}.json"
    full, changed, delta = workdir / "full", workdir / "changed", workdir / "delta"
    if not marker.exists():
        info = write_package(full, spec)
        write_offers_changed(changed, spec)
        write_delta(delta, spec, fraction=0.01)
        marker.write_text(json.dumps(info.summary(), default=str))
    return {
        "full": [str(full / "import.xml"), str(full / "offers.xml")],
        "prices_stock": [str(changed / "offers.xml")],
        "delta1pct": [str(delta / "import.xml"), str(delta / "offers.xml")],
    }


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the local PostgreSQL processes (0 where /proc cannot tell)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text or "(postmaster)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measure_database(packages: dict[str, list[str]]) -> dict:
    """Run in a child process whose DATABASE_URL names an empty database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from b2b_cabinet.models import ImportRun
    from b2b_cabinet.sync.pipeline import import_files

    call_command("migrate", verbosity=0)
    figures = {}
    floors = []
    for name, files in (
        ("full", packages["full"]),
        ("unchanged", packages["full"]),
        ("prices_stock", packages["prices_stock"]),
        ("delta1pct", packages["delta1pct"]),
    ):
        if name == "full":
            floors.append(floor_seconds([Path(p) for p in files]))
        started, times, server = time.perf_counter(), os.times(), server_cpu_seconds()
        run = import_files(files, source=ImportRun.Source.COMMAND)
        figures[f"{name}_s"] = round(time.perf_counter() - started, 2)
        done = os.times()
        if name == "full":
            floors.append(floor_seconds([Path(p) for p in files]))
            figures["floor_s"] = round(sum(floors) / 2, 2)
            figures["floor_each_s"] = [round(f, 2) for f in floors]
        figures[f"{name}_cpu"] = [
            round(done.user + done.system - times.user - times.system, 2),
            round(done.children_user + done.children_system - times.children_user - times.children_system, 2),
            round(server_cpu_seconds() - server, 2),
        ]
        if run.status != ImportRun.Status.SUCCESS:
            raise SystemExit(f"{name}: import failed: {run.error}")
        figures[f"{name}_counts"] = [run.created, run.updated, run.unchanged, run.deactivated, run.rejected]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["peak_rss_mb"] = round(max(own, children))
    figures["main_rss_mb"] = round(own)
    return figures


def run_child(database: str, url: str, packages_file: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(packages_file)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{database} benchmark failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=150_000)
    parser.add_argument("--workdir", type=Path, help="keep the generated package here and reuse it")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pg-database", help="name of the scratch database (default b2b_import_bench_<pid>)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_database(json.loads(args.child.read_text()))))
        return
    from benchmarks import scratch_dir

    # Without --workdir the 785 MB package goes into a scratch folder removed at exit.
    workdir = args.workdir or Path(scratch_dir("b2b-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    packages = write_packages(workdir, args.products)
    packages_file = workdir / "packages.json"
    packages_file.write_text(json.dumps(packages))
    sizes = {name: sum(os.path.getsize(p) for p in files) for name, files in packages.items()}
    out = {"products": args.products, "package_mb": round(sizes["full"] / 2**20)}
    out["floor_s"] = round(floor_seconds([Path(p) for p in packages["full"]]), 2)
    peak = main_peak = 0
    for database in args.databases.split(","):
        if database == "sqlite":
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{workdir / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
            figures = run_child("sqlite", url, packages_file)
            key = "sqlite"
        else:
            import psycopg

            name = args.pg_database or f"b2b_import_bench_{os.getpid()}"
            with psycopg.connect(args.pg_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
            try:
                figures = run_child("postgres", args.pg_url.rsplit("/", 1)[0] + f"/{name}", packages_file)
            finally:
                with psycopg.connect(args.pg_url, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name}")
            key = "pg"
        for measure in ("full", "prices_stock", "unchanged", "delta1pct"):
            out[f"{measure}_{key}_s"] = figures[f"{measure}_s"]
        out[f"floor_{key}_s"] = figures["floor_s"]
        out[f"floor_{key}_each_s"] = figures["floor_each_s"]
        out[f"full_{key}_per_floor"] = round(figures["full_s"] / figures["floor_s"], 2)
        out[f"unchanged_{key}_per_floor"] = round(figures["unchanged_s"] / figures["floor_s"], 2)
        out[f"counts_{key}"] = {m: figures[f"{m}_counts"] for m in ("full", "unchanged", "prices_stock", "delta1pct")}
        out[f"cpu_{key}"] = {m: figures[f"{m}_cpu"] for m in ("full", "unchanged", "prices_stock", "delta1pct")}
        peak = max(peak, figures["peak_rss_mb"])
        main_peak = max(main_peak, figures["main_rss_mb"])
    out["peak_rss_mb"] = peak
    out["main_rss_mb"] = main_peak  # the main process alone (the rest of the peak is a worker's)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
