"""``b2b_demo`` builds a usable demo and is safe to run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from b2b_cabinet.models import (
    CabinetPage,
    CatalogPage,
    Company,
    Contract,
    ExchangeNode,
    ImportRun,
    Membership,
    Order,
    OrderPart,
    Price,
    Product,
    SavedList,
    StockLevel,
    Warehouse,
)

pytestmark = pytest.mark.django_db


def test_demo_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("b2b_demo", products=10)


def test_demo_creates_pages_companies_and_logins_and_can_run_twice(settings, client):
    settings.DEBUG = True
    call_command("b2b_demo", products=20, stdout=open("/dev/null", "w"))
    call_command("b2b_demo", products=20, stdout=open("/dev/null", "w"))

    assert CatalogPage.objects.get().url == "/catalog/"
    assert CabinetPage.objects.get().url == "/cabinet/"
    assert set(Company.objects.values_list("name", flat=True)) == {"Альфа", "Бета"}
    assert Contract.objects.count() == 2
    assert Warehouse.objects.values("city").distinct().count() == 2
    assert Product.objects.count() == 20
    assert Price.objects.count() == 60 and StockLevel.objects.filter(in_transit__gt=0).exists()
    runs = ImportRun.objects.filter(source=ImportRun.Source.DEMO).order_by("pk")
    assert [run.status for run in runs] == ["success", "success"]
    assert runs[1].unchanged == 40  # the second demo run re-imports an unchanged catalogue
    assert ExchangeNode.objects.get(login="1c").check_password("demo")
    first, ekf = ExchangeNode.objects.get(login="1c"), ExchangeNode.objects.get(login="1c-ekf")
    assert ekf.check_password("demo") and list(ekf.producers.values_list("name", flat=True)) == ["EKF"]
    assert "EKF" not in set(first.producers.values_list("name", flat=True)) and first.producers.exists()
    assert first.status_mappings.get(onec_status="P").status == "confirmed"
    assert Contract.objects.get(company__name="Альфа").price_type.name == "Дилерская"
    User = get_user_model()
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    assert User.objects.get(username="manager@example.com").is_staff
    roles = set(Membership.objects.filter(company__name="Альфа").values_list("role", flat=True))
    assert roles == {"owner", "viewer", "accountant"}

    # Five demo orders each, plus the three the finance demo invoices for Альфа; the second run adds none.
    for name, expected in (("Альфа", 8), ("Бета", 5)):
        orders = Order.objects.filter(company__name=name)
        assert orders.count() == expected
        assert len(set(orders.values_list("status", flat=True))) >= 4
        producers = set(OrderPart.objects.filter(order__company__name=name).values_list("producer", flat=True))
        assert len(producers) == 2
        assert SavedList.objects.filter(company__name=name, is_favourites=False).exists()
    assert not OrderPart.objects.filter(exchange_node__isnull=True).exists()

    settings.DEBUG = False
    assert client.get("/").status_code == 200
    assert client.get("/catalog/").status_code == 200
    assert client.login(username="alpha@example.com", password="demo")
    assert "Альфа" in client.get("/cabinet/").content.decode()


def test_demo_gives_alpha_and_beta_different_prices_with_reasons(settings):
    from b2b_cabinet import pricing
    from b2b_cabinet.models import DiscountRule

    settings.DEBUG = True
    call_command("b2b_demo", products=60, stdout=open("/dev/null", "w"))
    call_command("b2b_demo", products=60, stdout=open("/dev/null", "w"))
    assert DiscountRule.objects.count() == 5  # idempotent: rules are found by name the second time
    alpha, beta = Company.objects.get(name="Альфа"), Company.objects.get(name="Бета")
    products = list(Product.objects.filter(brand__name="IEK")[:5])
    a = pricing.price_products(pricing.context_for_company(alpha), products)
    b = pricing.price_products(pricing.context_for_company(beta), products)
    for product in products:
        assert a[product.pk].currency == "RUB" and b[product.pk].currency == "USD"
        assert a[product.pk].base_price_type == "Дилерская" and b[product.pk].base_price_type == "Оптовая"
        assert any("IEK" in s.rule_name for s in a[product.pk].applied)
        assert b[product.pk].rate == 92.5 and b[product.pk].rate_source == "contract"


def test_demo_builds_the_marketing_site_in_russian_and_can_run_twice(settings, client):
    from b2b_cabinet.models import CaseStudyPage, ContentPage, LeadFormPage, SegmentLandingPage

    settings.DEBUG = True
    call_command("b2b_demo", products=20, stdout=open("/dev/null", "w"))
    call_command("b2b_demo", products=20, stdout=open("/dev/null", "w"))
    settings.DEBUG = False

    assert sorted(LeadFormPage.objects.values_list("kind", flat=True)) == ["brochure", "callback", "distributor"]
    assert CaseStudyPage.objects.count() == 2 and SegmentLandingPage.objects.count() == 3
    assert ContentPage.objects.filter(slug__in=["compatibility", "prices"]).count() == 2
    home = client.get("/").content.decode()
    assert "Решения для вашей компании" in home and "Станьте дистрибьютором" in home
    assert "Совместимость счётчиков" in client.get("/compatibility/").content.decode()
    prices = client.get("/prices/").content.decode()
    assert "Условия для партнёров" in prices and "₽" in prices
    cases = client.get("/cases/?industry=Энергетика").content.decode()
    assert "Уралэнергосбыт" in cases and "Домовой" not in cases
    for form in ("/distributor/", "/brochure/", "/callback/"):
        assert client.get(form).status_code == 200, form


def test_demo_gives_alpha_a_paid_a_partly_paid_and_an_overdue_invoice_a_shipment_and_an_accountant(settings):
    from django.utils import timezone

    from b2b_cabinet import finance
    from b2b_cabinet.models import Invoice, Payment, Shipment

    settings.DEBUG = True
    for _ in range(2):
        call_command("b2b_demo", products=20, stdout=open("/dev/null", "w"))
    alpha = Company.objects.get(name="Альфа")
    invoices = Invoice.objects.for_company(alpha)
    assert sorted(invoices.values_list("status", flat=True)) == ["issued", "paid", "partly_paid"]
    overdue = invoices.get(status="issued")
    assert overdue.due_date < timezone.localdate()
    assert Payment.objects.for_company(alpha).count() == 2
    shipment = Shipment.objects.for_company(alpha).get()
    assert shipment.documents.get().file.read().startswith(b"%PDF")
    position = finance.position(alpha)
    assert position.ageing.overdue > 0 and position.available_credit < alpha.default_contract.credit_limit
    assert Membership.objects.get(company=alpha, role="accountant").user.username == "alpha-accountant@example.com"
