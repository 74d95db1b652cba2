"""``manage.py b2b_demo``: pages, companies, users and a catalogue for trying the portal out."""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from b2b_cabinet.demo import marketing as demo_marketing
from b2b_cabinet.demo import site as demo_site
from b2b_cabinet.demo.catalogue import CatalogueSpec, write_package
from b2b_cabinet.demo.finance import ensure_finance
from b2b_cabinet.demo.orders import ensure_orders
from b2b_cabinet.demo.pricing import ensure_pricing
from b2b_cabinet.models import Company, ImportRun
from b2b_cabinet.sync.pipeline import import_files


class Command(BaseCommand):
    help = "Create demo pages, companies, users and a catalogue. Safe to run twice; refuses when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=3000, help="Demo catalogue size (default 3000).")

    def handle(self, *args, products, **options):
        if not settings.DEBUG:
            raise CommandError(
                "b2b_demo creates users with the password 'demo'; it only runs with DEBUG=True "
                "(use example_site.settings.dev)."
            )
        # Placing the demo orders queues a few dozen notification tasks; django-q2 logs each at INFO,
        # which would bury the logins printed at the end.
        logging.getLogger("django-q").setLevel(logging.WARNING)
        with transaction.atomic():
            pages = demo_site.ensure_pages()
        self.load_catalogue(products)
        with transaction.atomic():
            reference = demo_site.ensure_reference_data()
            logins = demo_site.ensure_people(reference)
            ensure_pricing()
            demo_site.ensure_seller_requisites(pages["home"].get_site())
            # Two 1C bases, one per producer group: order parts go to the node owning their producer.
            nodes = demo_site.ensure_exchange_nodes()
        with transaction.atomic():
            for company in Company.objects.filter(name__in=("Альфа", "Бета")).order_by("name"):
                placed = ensure_orders(company)
                if placed:
                    self.stdout.write(f"Demo orders for {company}: {placed}.")
        with transaction.atomic():
            logins += ensure_finance()
        with transaction.atomic():
            demo_marketing.ensure_marketing(pages)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Logins (password '{demo_site.DEMO_PASSWORD}'):")
        for login in logins:
            self.stdout.write(f"  {login.username:<30} {login.role}")
        for node in nodes:
            self.stdout.write(f"  {node.login:<30} 1C exchange login ({node.name}): /1c/exchange/ or "
                              "/bitrix/admin/1c_exchange.php")

    def load_catalogue(self, products: int) -> None:
        """The demo catalogue, written as CommerceML like a 1C export and loaded through the real importer."""
        with tempfile.TemporaryDirectory(prefix="b2b-demo-") as folder:
            info = write_package(Path(folder), CatalogueSpec(products=products, images=True))
            run = import_files([info.import_path, info.offers_path], source=ImportRun.Source.DEMO)
        if run.status != ImportRun.Status.SUCCESS:
            raise CommandError(f"The demo catalogue did not import: {run.error}")
        self.stdout.write(
            f"Demo catalogue: {info.products} products imported through CommerceML "
            f"(run #{run.pk}: new {run.created}, unchanged {run.unchanged}, {run.duration:.1f} s)."
        )
