"""Finance URLs and files as another company's user and as roles without finance access: 404 and 403."""

import pytest
from django.core.files.base import ContentFile

from b2b_cabinet import finance
from b2b_cabinet.models import Membership, OnlinePayment, ShipmentDocument
from tests import factories as f
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha_finance(pages, alpha, alpha_order):
    order, part = alpha_order
    invoice = finance.issue_invoice(order, part, today=DAY)
    online = OnlinePayment.objects.create(variant="dummy", invoice=invoice, total=invoice.total, currency="RUB")
    shipment = finance.record_shipment(order_part=part, number="РН-SECRET", date=DAY)
    document = ShipmentDocument(shipment=shipment, kind="upd")
    document.file.save("upd.pdf", ContentFile(b"%PDF-1.4 secret"), save=True)
    urls = {
        "get": [f"/cabinet/finance/invoices/{invoice.pk}/", f"/cabinet/finance/invoices/{invoice.pk}/pdf/",
                f"/cabinet/finance/pay/{online.token}/",
                f"/cabinet/finance/shipments/{shipment.pk}/documents/{document.pk}/"],
        "post": [f"/cabinet/orders/{order.pk}/invoice/", f"/cabinet/finance/invoices/{invoice.pk}/pay/",
                 f"/cabinet/finance/pay/{online.token}/"],
    }
    return {"invoice": invoice, "order": order, "urls": urls, "contract": order.contract}


def test_another_companys_owner_gets_404_for_every_alpha_finance_url_and_file(client, alpha_finance, beta):
    client.force_login(beta[1])
    for url in alpha_finance["urls"]["get"]:
        assert client.get(url).status_code == 404, url
    for url in alpha_finance["urls"]["post"]:
        assert client.post(url, {"status": "confirmed", "fraud_status": "accept",
                                 "gateway_response": "3ds-disabled"}).status_code == 404, url
    alpha_finance["invoice"].refresh_from_db()
    assert alpha_finance["invoice"].status == "issued"
    assert OnlinePayment.objects.count() == 1


def test_another_companys_statement_never_includes_alphas_documents_even_naming_its_contract(client, alpha_finance,
                                                                                          beta):
    client.force_login(beta[1])
    contract = alpha_finance["contract"]
    for fmt in ("pdf", "xlsx"):
        response = client.get(f"/cabinet/finance/statement/?date_from=2026-01-01&date_to=2026-12-31"
                              f"&contract={contract.pk}&format={fmt}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), fmt
    pdf = client.get("/cabinet/finance/statement/?date_from=2026-01-01&date_to=2026-12-31&format=pdf")
    assert alpha_finance["invoice"].number.encode() not in pdf.content
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", [Membership.Role.BUYER, Membership.Role.VIEWER])
def test_roles_without_finance_access_get_403_for_every_finance_url(client, alpha_finance, alpha, role):
    client.force_login(f.member(alpha[0], role=role))
    pages = ["/cabinet/finance/", "/cabinet/finance/invoices/", "/cabinet/finance/payments/",
             "/cabinet/finance/shipments/", "/cabinet/finance/statement/?date_from=2026-01-01&date_to=2026-12-31",
             *alpha_finance["urls"]["get"]]
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in alpha_finance["urls"]["post"]:
        assert client.post(url).status_code == 403, url


def test_the_accountant_may_see_and_pay_alphas_invoices(client, alpha_finance, alpha):
    client.force_login(f.member(alpha[0], role=Membership.Role.ACCOUNTANT))
    for url in alpha_finance["urls"]["get"]:
        assert client.get(url).status_code == 200, url
