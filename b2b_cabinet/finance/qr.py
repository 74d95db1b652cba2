"""The payment QR code on invoices, in the ГОСТ Р 56042-2014 format banking apps read.

The payload is ``ST00012`` (format ST, version 0001, encoding 2 = UTF-8) followed by ``|Key=Value``
pairs; ``Sum`` is in kopecks. Values must not contain the separator, so ``|`` is replaced.
"""

from __future__ import annotations

from decimal import Decimal

import segno

HEADER = "ST00012"


def _clean(value) -> str:
    return " ".join(str(value or "").replace("|", " ").split())


def payment_payload(*, name: str, account: str, bank_name: str, bic: str, correspondent_account: str, inn: str,
                    kpp: str, amount: Decimal, purpose: str) -> str:
    """The ГОСТ Р 56042-2014 string for a payment of ``amount`` roubles to the given requisites."""
    kopecks = int((Decimal(amount) * 100).to_integral_value())
    pairs = [("Name", name), ("PersonalAcc", account), ("BankName", bank_name), ("BIC", bic),
             ("CorrespAcc", correspondent_account), ("PayeeINN", inn), ("KPP", kpp), ("Sum", kopecks),
             ("Purpose", purpose)]
    return "|".join([HEADER, *(f"{key}={_clean(value)}" for key, value in pairs)])


def invoice_payload(invoice) -> str:
    """The payload for paying ``invoice`` in full (what is still outstanding when partly paid)."""
    seller = invoice.seller
    return payment_payload(name=seller.get("name"), account=seller.get("settlement_account"),
                           bank_name=seller.get("bank_name"), bic=seller.get("bic"),
                           correspondent_account=seller.get("correspondent_account"), inn=seller.get("inn"),
                           kpp=seller.get("kpp"), amount=invoice.outstanding or invoice.total,
                           purpose=invoice.purpose)


def qr_data_uri(payload: str, scale: int = 4) -> str:
    """A PNG data URI of the QR code (error correction M, as banks print it).

    The mask is fixed rather than chosen by segno's penalty scoring: the scoring costs ~25 ms of
    pure Python per code (most of an invoice's QR time) and any of the eight masks is valid.
    """
    return segno.make_qr(payload, error="m", encoding="utf-8", mask=0).png_data_uri(scale=scale, border=2)
