"""PDF rendering with WeasyPrint: the invoice (счёт на оплату) and the акт сверки.

Templates live in ``templates/b2b_cabinet/finance/pdf/``; their CSS names DejaVu Sans, which covers
Cyrillic (install ``fonts-dejavu-core`` and Pango on the server). Documents are rendered in
``DOCUMENT_LANGUAGE`` (Russian by default: these are Russian legal forms). Images — the QR code,
signatures, the stamp — are embedded as data URIs, so no URL is fetched while rendering.
"""

from __future__ import annotations

import base64
import mimetypes

from django.template.loader import render_to_string
from django.utils import translation

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import SellerRequisites
from b2b_cabinet.money_words import amount_in_words

from .qr import invoice_payload, qr_data_uri


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes, fetching nothing but data URIs (no network, no local files)."""
    from weasyprint import HTML  # imported lazily: Pango is loaded only when a PDF is made
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def render(template: str, context: dict) -> bytes:
    """Render ``template`` with ``context`` to PDF in the document language."""
    language = b2b_settings.DOCUMENT_LANGUAGE or translation.get_language()
    with translation.override(language):
        return html_to_pdf(render_to_string(template, context))


def image_data_uri(image) -> str:
    """A Wagtail image as a data URI (empty when there is none or its file is missing)."""
    if image is None:
        return ""
    try:
        with image.file.open("rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(image.file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def invoice_context(invoice, requisites: SellerRequisites | None = None) -> dict:
    """Everything the invoice template shows."""
    return {
        "invoice": invoice,
        "seller": invoice.seller,
        "buyer": invoice.buyer,
        "lines": list(invoice.lines.all()),
        "subtotal": invoice.total - (0 if invoice.vat_included else invoice.vat_amount),
        "in_words": amount_in_words(invoice.total),
        "qr": qr_data_uri(invoice_payload(invoice)),
        "signature": image_data_uri(getattr(requisites, "signature_image", None)),
        "accountant_signature": image_data_uri(getattr(requisites, "accountant_signature_image", None)),
        "stamp": image_data_uri(getattr(requisites, "stamp_image", None)),
    }


def invoice_pdf(invoice, requisites: SellerRequisites | None = None) -> bytes:
    """The invoice as a PDF, with the payment QR code and, when set, signatures and the stamp."""
    return render("b2b_cabinet/finance/pdf/invoice.html", invoice_context(invoice, requisites))
