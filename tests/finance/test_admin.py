"""The Finance admin menu: documents listed, inspected and exported; money documents never edited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from b2b_cabinet import finance
from b2b_cabinet.finance_viewsets import FINANCE_VIEWSETS
from b2b_cabinet.models import OnlinePayment, ShipmentDocument
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(alpha_order):
    from django.core.files.base import ContentFile

    order, part = alpha_order
    invoice = finance.issue_invoice(order, part, today=DAY)
    finance.record_payment(order_part=part, number="1", date=DAY, amount=Decimal(100), source="1c")
    shipment = finance.record_shipment(order_part=part, number="РН-1", date=DAY)
    ShipmentDocument(shipment=shipment).file.save("upd.pdf", ContentFile(b"%PDF"), save=True)
    finance.record_settlement(company=order.company, contract=order.contract, as_of=DAY, balance=Decimal(250))
    OnlinePayment.objects.create(variant="dummy", invoice=invoice, total=invoice.total, currency="RUB")


@pytest.mark.parametrize("viewset_class", FINANCE_VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_finance_records_are_listed_inspected_and_exported(admin_client, documents, viewset_class):
    viewset = viewset_class()
    obj = viewset.model.objects.first()
    urls = [reverse(viewset.get_url_name("index")), reverse(viewset.get_url_name("index")) + "?export=csv"]
    if viewset.inspect_view_enabled:
        urls.append(reverse(viewset.get_url_name("inspect"), args=[obj.pk]))
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("viewset_class", [v for v in FINANCE_VIEWSETS if v.model is not ShipmentDocument],
                         ids=lambda vs: vs.model.__name__)
def test_not_even_a_superuser_can_edit_money_documents(admin_client, documents, viewset_class):
    viewset = viewset_class()
    obj = viewset.model.objects.first()
    for url in (reverse(viewset.get_url_name("add")), reverse(viewset.get_url_name("edit"), args=[obj.pk])):
        assert admin_client.get(url).status_code in (302, 403), url
