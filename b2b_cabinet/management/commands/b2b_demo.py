"""``manage.py b2b_demo``: pages, companies, users and a catalogue for trying the portal out."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from b2b_cabinet.demo import site as demo_site


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
        with transaction.atomic():
            pages = demo_site.ensure_pages()
            reference = demo_site.ensure_reference_data()
            logins = demo_site.ensure_people(reference)
            demo_site.ensure_seller_requisites(pages["home"].get_site())
        self.load_catalogue(products)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Logins (password '{demo_site.DEMO_PASSWORD}'):")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role}")

    def load_catalogue(self, products: int) -> None:
        """The demo catalogue, written as CommerceML and loaded through the real importer."""
        from b2b_cabinet.demo.products import ensure_products

        ensure_products(products)
