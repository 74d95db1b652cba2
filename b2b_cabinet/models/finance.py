"""Finance documents: invoices (счёт на оплату), payments, shipments (отгрузка/реализация) and their files.

Amounts are ``Decimal`` with two places in the document's currency (RUB by default). Payments and
shipments arriving from 1C carry a ``dedup_key`` — ``source:external id or number:order part`` — under
a unique constraint, so a document imported twice is recorded once. The use-cases that write these
rows live in :mod:`b2b_cabinet.finance`; the ledger that debt and the акт сверки read is in
:mod:`b2b_cabinet.models.ledger`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CompanyScopedQuerySet, TimestampedMixin
from .catalog import Product
from .customers import Company, Contract, LegalEntity
from .orders import Order, OrderPart
from .stock import Warehouse
from .sync import ExchangeNode

MONEY = {"max_digits": 16, "decimal_places": 2}


class DocumentCounter(models.Model):
    """One row per (seller, kind, year): invoice numbers come from it under a row lock, never ``max()+1``."""

    seller = models.CharField(_("seller"), max_length=20, help_text=_("The seller's ИНН."))
    kind = models.CharField(_("kind"), max_length=20, default="invoice")
    year = models.PositiveIntegerField(_("year"))
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("document number counter")
        verbose_name_plural = _("document number counters")
        constraints = [models.UniqueConstraint(fields=["seller", "kind", "year"], name="b2b_doccounter_unique")]

    def __str__(self):
        return f"{self.seller}/{self.kind}/{self.year}: {self.value}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("awaiting payment")
    PARTLY_PAID = "partly_paid", _("partly paid")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")


class Invoice(TimestampedMixin):
    """A счёт на оплату the buyer issued for an order or one order part.

    The seller's and the buyer's requisites are copied at issue time (``seller``, ``buyer`` JSON), so
    a later change of the site settings or the legal entity never rewrites an issued document.
    """

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="invoices")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="invoices")
    legal_entity = models.ForeignKey(LegalEntity, verbose_name=_("buyer"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoices")
    part = models.ForeignKey(OrderPart, verbose_name=_("order part"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("number"), max_length=40)
    seller_inn = models.CharField(_("seller's ИНН"), max_length=12, blank=True)
    seller = models.JSONField(_("seller requisites"), default=dict, blank=True)
    buyer = models.JSONField(_("buyer requisites"), default=dict, blank=True)
    issued_on = models.DateField(_("date"))
    due_date = models.DateField(_("pay by"))
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    vat_included = models.BooleanField(_("VAT included in prices"), default=True)
    vat_amount = models.DecimalField(_("VAT"), **MONEY, default=0)
    total = models.DecimalField(_("total"), **MONEY)
    paid_amount = models.DecimalField(_("paid"), **MONEY, default=0)
    status = models.CharField(_("status"), max_length=20, choices=InvoiceStatus, default=InvoiceStatus.ISSUED)
    purpose = models.CharField(_("payment purpose"), max_length=210, blank=True)
    external_id = models.CharField(_("1C Ид"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["seller_inn", "number"], name="b2b_invoice_unique_number"),
            models.CheckConstraint(condition=Q(total__gte=0), name="b2b_invoice_total_not_negative"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="b2b_invoice_paid_not_negative"),
        ]
        indexes = [models.Index(fields=["company", "status", "due_date"], name="b2b_invoice_company_due")]

    def __str__(self):
        return self.number

    @property
    def outstanding(self):
        """What is still to be paid."""
        return max(self.total - self.paid_amount, 0)


class InvoiceLine(models.Model):
    """A line of an invoice, copied from the order line it bills."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("No."))
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=20, default="шт")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("price"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    vat_amount = models.DecimalField(_("VAT"), **MONEY, default=0)
    line_total = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]

    def __str__(self):
        return f"{self.invoice}: {self.name}"


class PaymentSource(models.TextChoices):
    ONEC = "1c", _("bank transfer (1C)")
    ONLINE = "online", _("online payment")
    MANUAL = "manual", _("entered by staff")


class Payment(TimestampedMixin):
    """Money received from the buyer (a платёжное поручение from 1C, an online payment, a manual entry)."""

    Source = PaymentSource

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="payments")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="payments")
    order_part = models.ForeignKey(OrderPart, verbose_name=_("order part"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="payments")
    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    source = models.CharField(_("source"), max_length=10, choices=PaymentSource)
    external_id = models.CharField(_("1C Ид"), max_length=100, blank=True)
    dedup_key = models.CharField(max_length=300, unique=True, editable=False)
    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="b2b_payment_amount_positive")]

    def __str__(self):
        return f"{self.number} ({self.amount})"


class PaymentAllocation(models.Model):
    """How much of a payment went to which invoice (a payment may settle several)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="allocations")
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [models.UniqueConstraint(fields=["payment", "invoice"], name="b2b_allocation_unique")]

    def __str__(self):
        return f"{self.payment} → {self.invoice}: {self.amount}"


class ShipmentStatus(models.TextChoices):
    SHIPPED = "shipped", _("shipped")
    DELIVERED = "delivered", _("delivered")
    CANCELLED = "cancelled", _("cancelled")


class Shipment(TimestampedMixin):
    """A shipment (реализация / отгрузка) of an order part, usually reported by 1C."""

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="shipments")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="shipments")
    order = models.ForeignKey(Order, verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="shipments")
    order_part = models.ForeignKey(OrderPart, verbose_name=_("order part"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="shipments")
    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ShipmentStatus, default=ShipmentStatus.SHIPPED)
    amount = models.DecimalField(_("amount"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    source = models.CharField(_("source"), max_length=10, choices=PaymentSource, default=PaymentSource.ONEC)
    external_id = models.CharField(_("1C Ид"), max_length=100, blank=True)
    dedup_key = models.CharField(max_length=300, unique=True, editable=False)
    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="b2b_shipment_amount_not_negative")]

    def __str__(self):
        return self.number


class ShipmentLine(models.Model):
    """What a shipment carried."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("price"), **MONEY, default=0)
    line_total = models.DecimalField(_("amount"), **MONEY, default=0)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "pk"]

    def __str__(self):
        return f"{self.shipment}: {self.name} × {self.quantity}"


class ShipmentDocument(models.Model):
    """A shipping document file (УПД, ТОРГ-12 waybill) 1C or staff attached to a shipment.

    Files are served only through the cabinet view that checks the company, never from a public URL:
    keep ``b2b_finance/`` out of what the web server serves from ``MEDIA_ROOT``.
    """

    class Kind(models.TextChoices):
        UPD = "upd", _("УПД (universal transfer document)")
        WAYBILL = "waybill", _("waybill (ТОРГ-12)")
        INVOICE = "invoice", _("tax invoice (счёт-фактура)")
        OTHER = "other", _("other")

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.UPD)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="b2b_finance/shipments/%Y/%m/")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment document")
        verbose_name_plural = _("shipment documents")
        ordering = ["shipment", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()
