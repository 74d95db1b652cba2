"""The invoice PDF: requisites, totals and the amount in words as text; the QR code decodes to the payment."""

import io
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from b2b_cabinet import finance
from b2b_cabinet.finance.pdf import invoice_pdf
from b2b_cabinet.finance.qr import payment_payload
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def decode_qr(data: bytes) -> list[str]:
    """Render the first page at 200 dpi and read every QR code on it."""
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=200 / 72).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture
def invoice(alpha_order):
    order, part = alpha_order
    return finance.issue_invoice(order, part, today=DAY)


def test_the_invoice_pdf_shows_both_parties_requisites_totals_and_the_amount_in_words(invoice):
    text = " ".join(pdf_text(invoice_pdf(invoice)).split())
    for expected in ("Счёт на оплату № СЧ-2026-000001 от 02.11.2026", "ООО «Поставщик»", "ИНН 7701234567",
                     "КПП 770101001", "044525225", "40702810938000012345", "30101810400000000225", "ПАО Сбербанк",
                     "ООО «Альфа-Трейд»", "ИНН 6671234560", "Договор № Д-1/2026", "350,00", "63,12",
                     "Триста пятьдесят рублей 00 копеек", "Оплатить не позднее 12.11.2026",
                     "Всего наименований 2, на сумму 350,00 руб."):
        assert expected in text, expected


def test_the_qr_code_on_the_rendered_page_decodes_to_the_exact_gost_payment(invoice):
    payload = decode_qr(invoice_pdf(invoice))
    assert payload == [
        "ST00012|Name=ООО «Поставщик»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк|BIC=044525225"
        "|CorrespAcc=30101810400000000225|PayeeINN=7701234567|KPP=770101001|Sum=35000"
        "|Purpose=Оплата по счёту № СЧ-2026-000001 от 02.11.2026, в т.ч. НДС 63.12"
    ]


def test_the_qr_asks_only_for_what_is_still_owed_on_a_partly_paid_invoice(invoice):
    finance.record_payment(order_part=invoice.part, number="1", date=DAY, amount=Decimal("100.00"), source="1c")
    invoice.refresh_from_db()
    (payload,) = decode_qr(invoice_pdf(invoice))
    assert "|Sum=25000|" in payload


def test_the_payload_puts_the_sum_in_kopecks_and_strips_separators_from_values():
    payload = payment_payload(name="ООО «A|B»", account="1" * 20, bank_name="Банк", bic="0" * 9,
                              correspondent_account="3" * 20, inn="7701234567", kpp="770101001",
                              amount=Decimal("1234.56"), purpose="Оплата  по счёту\n№ 1")
    fields = payload.split("|")
    assert fields[0] == "ST00012"
    assert dict(f.split("=", 1) for f in fields[1:]) == {
        "Name": "ООО «A B»", "PersonalAcc": "1" * 20, "BankName": "Банк", "BIC": "0" * 9,
        "CorrespAcc": "3" * 20, "PayeeINN": "7701234567", "KPP": "770101001", "Sum": "123456",
        "Purpose": "Оплата по счёту № 1",
    }
