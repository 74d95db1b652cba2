"""Typed access to the ``B2B_CABINET`` settings dict.

Every setting the package reads is declared here with its default, so the documentation
(``docs/configuration.md``) and the code cannot drift apart. Unknown keys are an error:
a typo such as ``"PRICE_TYP"`` would otherwise be silently ignored.

Usage::

    from b2b_cabinet.conf import b2b_settings
    b2b_settings.DEFAULT_CURRENCY
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

from b2b_cabinet.exceptions import ConfigurationError


@dataclass(frozen=True)
class Setting:
    """One documented setting: its default and the type a value must have."""

    default: Any
    types: tuple[type, ...]
    doc: str


DEFAULTS: dict[str, Setting] = {
    "DEFAULT_CURRENCY": Setting("RUB", (str,), "ISO 4217 code of the portal's own currency."),
    "CATALOG_PAGE_SIZE": Setting(24, (int,), "Products per page in catalogue listings."),
    "PRICING_STRATEGY": Setting(
        "b2b_cabinet.pricing.engine.DefaultPricingStrategy",
        (str,),
        "Dotted path of the PricingStrategy subclass that prices lines.",
    ),
    "GUEST_PRICE_TYPE": Setting(
        "", (str,), "Name or 1C Ид of the price type anonymous visitors see; empty shows 'price on request'."
    ),
    "SHOW_RRP": Setting(True, (bool,), "Show the recommended retail price and the dealer margin next to prices."),
    "EXCHANGE_DIR": Setting(
        "",
        (str,),
        "Folder for 1C exchange uploads, never under MEDIA_ROOT; empty means b2b_exchange beside MEDIA_ROOT.",
    ),
    "EXCHANGE_FILE_LIMIT": Setting(
        50 * 1024 * 1024, (int,), "Largest chunk in bytes 1C may send per 'file' request (init's file_limit)."
    ),
    "EXCHANGE_ZIP": Setting(True, (bool,), "Whether the exchange asks 1C to send zip archives."),
    "EXCHANGE_MAX_UNZIPPED_BYTES": Setting(
        4 * 1024**3, (int,), "Largest total uncompressed size of an uploaded archive."
    ),
    "EXCHANGE_MAX_ZIP_ENTRIES": Setting(200_000, (int,), "Largest number of entries in an uploaded archive."),
    "EXCHANGE_KEEP_DAYS": Setting(7, (int,), "Exchange sessions' files older than this are deleted."),
    "BROCHURE_LINK_HOURS": Setting(
        72, (int,), "How long the download link a gated brochure form gives after submission stays valid."
    ),
    "DROP_FOLDER": Setting("", (str,), "Folder scanned on a schedule for CommerceML packages to import."),
    "DROP_FOLDER_MINUTES": Setting(15, (int,), "How often the drop folder is scanned."),
    "IMPORT_FIRST_LOAD": Setting(
        True, (bool,), "Build the indexes of an empty catalogue after the rows of a big first import (docs/sync.md)."
    ),
    "TRANSIT_QUANTITY_REQUISITE": Setting(
        "Количество в пути", (str,), "Offer requisite carrying the quantity in transit."
    ),
    "TRANSIT_DATE_REQUISITE": Setting(
        "Дата поступления", (str,), "Offer requisite carrying the expected arrival date of goods in transit."
    ),
    "TRANSIT_WAREHOUSE_REQUISITE": Setting(
        "Склад поступления", (str,), "Offer requisite naming the warehouse (1C Ид) the goods travel to."
    ),
    "LOGIN_FAILURE_LIMIT": Setting(
        5, (int,), "Failed cabinet sign-ins allowed per IP address and email within LOGIN_FAILURE_WINDOW."
    ),
    "LOGIN_FAILURE_WINDOW": Setting(15 * 60, (int,), "Seconds a failed cabinet sign-in is remembered."),
    "INVITATION_DAYS": Setting(7, (int,), "Days an invitation to a company's team stays valid."),
    "ORDER_NUMBER_PREFIX": Setting("A-", (str,), "Prefix of order numbers (A-000123; parts A-000123/1)."),
    "RESERVE_STOCK": Setting(True, (bool,), "Reserve free stock when an order is placed (refuse if short)."),
    "CREDIT_POLICY": Setting("off", (str,), "What an order over the contract's credit limit does: off, warn or block."),
    "OUTSTANDING_DEBT_FUNCTION": Setting(
        "b2b_cabinet.finance.ledger.outstanding_debt", (str,),
        "Dotted path of a function (contract) -> Decimal debt, used by the credit policy.",
    ),
    "CREDIT_BLOCK_WHEN_OVERDUE": Setting(
        False, (bool,), "Refuse new orders while the contract has overdue debt (contracts may override)."
    ),
    "FINANCE_DEBIT_ON": Setting(
        "invoice", (str,), "When the buyer's debt arises in the ledger: 'invoice' (issued) or 'shipment' (shipped)."
    ),
    "INVOICE_NUMBER_PREFIX": Setting("СЧ-", (str,), "Prefix of invoice numbers (СЧ-2026-000123), counted per seller."),
    "DEFAULT_VAT_RATE": Setting(
        "22", (str,), "VAT rate, %, for invoice lines whose product names none; empty means no VAT."
    ),
    "DOCUMENT_LANGUAGE": Setting(
        "ru", (str,), "Language of invoice and statement PDFs/XLSX (Russian legal forms); empty: the user's."
    ),
    "ONLINE_PAYMENT_VARIANT": Setting(
        "", (str,), "django-payments variant (a PAYMENT_VARIANTS key) for paying invoices online; empty: off."
    ),
    "SHIP_DATE_HORIZON_DAYS": Setting(60, (int,), "How many days ahead the checkout calendar offers ship dates."),
    "ORDER_TRANSITIONS": Setting(
        {}, (dict,),
        "Status → list of statuses that may follow it, laid over the built-in transition map.",
    ),
    "NOTIFICATION_CHANNELS": Setting(
        (
            "b2b_cabinet.notifications.channels.CabinetChannel",
            "b2b_cabinet.notifications.channels.EmailChannel",
            "b2b_cabinet.notifications.webhooks.WebhookChannel",
        ),
        (list, tuple),
        "Dotted paths of Channel subclasses every notification event is delivered through.",
    ),
    "NOTIFICATION_MAX_ATTEMPTS": Setting(
        8, (int,), "Attempts per notification delivery before it is marked dead (resend from the admin)."
    ),
    "NOTIFICATION_RETRY_BASE_SECONDS": Setting(
        30, (int,), "First retry delay of a failed delivery; doubled on every further attempt."
    ),
    "WEBHOOK_TIMEOUT": Setting(10, (int,), "Seconds a CRM webhook POST may take."),
    "SALE_DEFAULT_SCHEMA": Setting(
        "2.05", (str,), "CommerceML version of the orders answer when neither 1C nor the node names one."
    ),
}


class B2BSettings:
    """Attribute access to the merged settings; re-read when tests override ``B2B_CABINET``."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        user = getattr(settings, "B2B_CABINET", {}) or {}
        if not isinstance(user, dict):
            raise ConfigurationError("B2B_CABINET must be a dict.")
        unknown = sorted(set(user) - set(DEFAULTS))
        if unknown:
            raise ConfigurationError(
                f"Unknown B2B_CABINET key(s): {', '.join(unknown)}. "
                f"Known keys: {', '.join(sorted(DEFAULTS))}."
            )
        merged = {}
        for key, spec in DEFAULTS.items():
            value = user.get(key, spec.default)
            if not isinstance(value, spec.types) or (spec.types == (int,) and isinstance(value, bool)):
                wanted = " or ".join(t.__name__ for t in spec.types)
                raise ConfigurationError(f"B2B_CABINET[{key!r}] must be {wanted}, not {value!r}.")
            merged[key] = value
        return merged

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._cache is None:
            self._cache = self._load()
        try:
            return self._cache[name]
        except KeyError:
            raise AttributeError(f"No B2B_CABINET setting named {name!r}.") from None

    def validate(self) -> None:
        """Load the settings now, raising ConfigurationError on any problem."""
        self._cache = self._load()

    def reload(self) -> None:
        """Forget the cached values (called when Django's settings change in tests)."""
        self._cache = None


b2b_settings = B2BSettings()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "B2B_CABINET":
        b2b_settings.reload()


setting_changed.connect(_on_setting_changed)
