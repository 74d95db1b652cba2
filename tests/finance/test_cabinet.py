"""The finance pages as Альфа's owner: issue an invoice, pay it with the dummy provider, see debt and statement."""

import io
from decimal import Decimal

import pytest
from django.core import mail  # noqa: F401  (locmem backend in tests)
from openpyxl import load_workbook
from pypdf import PdfReader

from b2b_cabinet import finance
from b2b_cabinet.models import Invoice, InvoiceStatus, Notification, OnlinePayment, Payment
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, pages, alpha, alpha_order):
    client.force_login(alpha[1])
    return client


def issue(client, order):
    response = client.post(f"/cabinet/orders/{order.pk}/invoice/")
    assert response.status_code == 302, response.content[:500]
    return Invoice.objects.get(order=order)


def test_the_owner_issues_an_invoice_from_the_order_page_and_downloads_its_pdf(owner_client, alpha_order):
    order, _part = alpha_order
    page = owner_client.get(f"/cabinet/orders/{order.pk}/").content.decode()
    assert "Issue an invoice for the whole order" in page
    invoice = issue(owner_client, order)
    assert invoice.part is None and invoice.total == Decimal("350.00")
    detail = owner_client.get(f"/cabinet/finance/invoices/{invoice.pk}/")
    assert invoice.number in detail.content.decode()
    pdf = owner_client.get(f"/cabinet/finance/invoices/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert invoice.number in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_paying_with_the_dummy_provider_confirms_the_invoice_and_notifies(owner_client, alpha_order,
                                                                           django_capture_on_commit_callbacks):
    order, _part = alpha_order
    invoice = issue(owner_client, order)
    start = owner_client.post(f"/cabinet/finance/invoices/{invoice.pk}/pay/")
    online = OnlinePayment.objects.get(invoice=invoice)
    assert start["Location"].endswith(f"/cabinet/finance/pay/{online.token}/")
    form = owner_client.get(start["Location"])
    assert b'name="status"' in form.content
    with django_capture_on_commit_callbacks(execute=True):
        done = owner_client.post(start["Location"], {"status": "confirmed", "fraud_status": "accept",
                                                     "gateway_response": "3ds-disabled"})
    assert done.status_code == 302 and "paid=1" in done["Location"]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.get().source == "online"
    assert finance.balance(order.company) == Decimal("0.00")
    assert Notification.objects.filter(kind="payment.received").exists()


def test_a_3ds_redirect_goes_through_the_providers_callback_url_and_confirms_once(owner_client, alpha_order):
    order, _part = alpha_order
    invoice = issue(owner_client, order)
    url = owner_client.post(f"/cabinet/finance/invoices/{invoice.pk}/pay/")["Location"]
    redirect = owner_client.post(url, {"status": "waiting", "fraud_status": "accept",
                                       "gateway_response": "3ds-redirect", "verification_result": "confirmed"})
    assert "/payments/process/" in redirect["Location"]
    for _ in range(2):  # a provider repeating its callback must not pay twice
        back = owner_client.get(redirect["Location"])
        assert "paid=1" in back["Location"]
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_a_rejected_online_payment_changes_nothing(owner_client, alpha_order):
    order, _part = alpha_order
    invoice = issue(owner_client, order)
    url = owner_client.post(f"/cabinet/finance/invoices/{invoice.pk}/pay/")["Location"]
    done = owner_client.post(url, {"status": "rejected", "fraud_status": "accept", "gateway_response": "3ds-disabled"})
    assert "failed=1" in done["Location"]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and not Payment.objects.exists()


def test_the_dashboard_shows_debt_overdue_by_age_and_available_credit(owner_client, alpha_order, alpha):
    import datetime

    from django.utils import timezone

    order, part = alpha_order
    contract = order.contract
    contract.credit_limit = Decimal("1000.00")
    contract.save()
    # Issued 50 days ago with 10 days' terms: 40 days overdue, in the 31–60 bucket.
    finance.issue_invoice(order, part, today=timezone.localdate() - datetime.timedelta(days=50))
    response = owner_client.get("/cabinet/finance/")
    ageing = response.context["positions"][0].ageing
    assert ageing.buckets == [0, Decimal("350.00"), 0, 0]
    body = response.content.decode()
    assert "650,00" in body  # available credit: 1 000 − 350
    assert "overdue" in body


def test_the_statement_downloads_as_pdf_and_xlsx_with_the_period_figures(owner_client, alpha_order):
    order, part = alpha_order
    finance.issue_invoice(order, part, today=DAY)
    finance.record_payment(order_part=part, number="77", date=DAY, amount=Decimal("100.00"), source="1c")
    query = "date_from=2026-11-01&date_to=2026-11-30"
    pdf = owner_client.get(f"/cabinet/finance/statement/?{query}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Оплата 77" in text and "250,00" in text
    xlsx = owner_client.get(f"/cabinet/finance/statement/?{query}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    closing = next(r for r in rows if r[1] == "Сальдо конечное")
    assert closing[2] == 250


def test_the_statement_form_refuses_a_period_that_ends_before_it_starts(owner_client):
    response = owner_client.get("/cabinet/finance/statement/?date_from=2026-11-30&date_to=2026-11-01&format=pdf")
    assert response.status_code == 200 and b"ends before it starts" in response.content


def test_shipments_show_per_order_with_their_documents(owner_client, alpha_order):
    from django.core.files.base import ContentFile

    from b2b_cabinet.models import ShipmentDocument

    order, part = alpha_order
    shipment = finance.record_shipment(order_part=part, number="РН-00042", date=DAY)
    document = ShipmentDocument(shipment=shipment, kind="upd")
    document.file.save("upd-42.pdf", ContentFile(b"%PDF-1.4 upd"), save=True)
    assert "РН-00042" in owner_client.get(f"/cabinet/orders/{order.pk}/").content.decode()
    assert "РН-00042" in owner_client.get("/cabinet/finance/shipments/").content.decode()
    download = owner_client.get(f"/cabinet/finance/shipments/{shipment.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 upd"
