"""Benchmark of finance documents: prints one JSON line of figures.

    python benchmarks/finance_bench.py [--entries 10000] [--database-url URL]

It fills a fresh database (SQLite file in a temporary folder by default; ``--database-url`` for
PostgreSQL, whose database is dropped and recreated) with one company and ``--entries`` ledger
entries over a year (invoices debit, payments credit, document names as 1C writes them), then
measures, each as the median of 3 runs:

* ``statement_10k_pdf_s``: build the акт сверки for the year and render it to PDF (target ≤ 3 s);
* ``statement_10k_xlsx_s``: the same statement to XLSX (target ≤ 3 s);
* ``invoice_pdf_ms``: render a 10-line invoice PDF with its QR code (target ≤ 300 ms), after one
  warm-up render (WeasyPrint loads fonts and Pango once per process).
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "example_site")]


from benchmarks.pricing_bench import reset_postgres, setup_django  # noqa: E402


def fill(entries: int):
    """Migrate, then a company, seller requisites, an invoiced order and ``entries`` ledger rows."""
    from django.core.management import call_command
    from django.db import transaction

    from b2b_cabinet import finance
    from b2b_cabinet.models import LedgerEntry
    from tests import factories as f

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        f.site_pages()
        f.seller()
        company = f.company("Альфа")
        f.legal_entity(company, name="ООО «Альфа-Трейд»", inn="6671234560", kpp="667101001")
        contract = f.contract(company, number="Д-1/2026", payment_terms_days=30)
        order, part = f.order_with_part(company, lines=[("1234.50", str(i + 1)) for i in range(10)])
        invoice = finance.issue_invoice(order, part, today=datetime.date(2026, 1, 10))
        start = datetime.date(2026, 1, 1)
        rows = []
        for i in range(entries):
            day = start + datetime.timedelta(days=i * 365 // entries)
            if i % 3:
                rows.append(LedgerEntry(company=company, contract=contract, date=day, kind="invoice",
                                        debit=Decimal(1000 + i % 977) + Decimal("0.45"),
                                        document=f"Счёт на оплату СЧ-2026-{i:06d} от {day:%d.%m.%Y}",
                                        due_date=day + datetime.timedelta(days=30)))
            else:
                rows.append(LedgerEntry(company=company, contract=contract, date=day, kind="payment",
                                        credit=Decimal(1500 + i % 1733), document=f"Оплата ПП-{i} от {day:%d.%m.%Y}"))
        LedgerEntry.objects.bulk_create(rows, batch_size=2000)
    return company, contract, invoice


def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(entries: int) -> dict:
    from b2b_cabinet.finance.pdf import invoice_pdf
    from b2b_cabinet.finance.statement_pdf import statement_pdf
    from b2b_cabinet.finance.statement_xlsx import statement_xlsx
    from b2b_cabinet.finance.statements import build_statement

    company, contract, invoice = fill(entries)
    period = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))

    def pdf():
        statement = build_statement(company, *period, contract)
        assert len(statement.rows) >= entries
        return statement_pdf(statement)

    def xlsx():
        return statement_xlsx(build_statement(company, *period, contract))

    invoice_pdf(invoice)  # warm-up: fonts, Pango
    return {
        "entries": entries,
        "statement_10k_pdf_s": round(median_time(pdf), 2),
        "statement_10k_xlsx_s": round(median_time(xlsx), 2),
        "invoice_pdf_ms": round(median_time(lambda: invoice_pdf(invoice), runs=5) * 1000),
        "statement_pdf_bytes": len(pdf()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="b2b-finance-bench-") as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        if url.startswith("postgres"):
            reset_postgres(url)
        setup_django(url)
        figures = measure(args.entries)
        figures["database"] = "postgres" if url.startswith("postgres") else "sqlite"
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
