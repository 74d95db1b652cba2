"""The ledger of mutual settlements per contract, 1C's balance snapshots, and online payments.

``LedgerEntry`` is append-only: invoices or shipments debit (what the buyer owes grows), payments
credit. Debt, ageing and the акт сверки are sums over it. Each document posts at most once per
kind (partial unique constraints), which is what makes the 1C imports idempotent.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from payments.models import BasePayment

from .base import AppendOnlyMixin, AppendOnlyQuerySet, CompanyScopedQuerySet
from .customers import Company, Contract
from .finance import MONEY, Invoice, Payment, Shipment
from .sync import ExchangeNode


class LedgerKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    SHIPMENT = "shipment", _("shipment")
    PAYMENT = "payment", _("payment")
    REVERSAL = "reversal", _("reversal")
    ADJUSTMENT = "adjustment", _("adjustment")


class LedgerEntry(AppendOnlyMixin):
    """One movement of the buyer's debt under a contract: a debit or a credit, never both."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="ledger_entries")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="ledger_entries")
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind)
    debit = models.DecimalField(_("debit"), **MONEY, default=0)
    credit = models.DecimalField(_("credit"), **MONEY, default=0)
    due_date = models.DateField(_("pay by"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=255)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["date", "pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["company", "contract", "date"], name="b2b_ledger_company_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)), name="b2b_ledger_debit_xor_credit"
            ),
            models.UniqueConstraint(fields=["kind", "invoice"], condition=Q(invoice__isnull=False),
                                    name="b2b_ledger_unique_invoice"),
            models.UniqueConstraint(fields=["kind", "payment"], condition=Q(payment__isnull=False),
                                    name="b2b_ledger_unique_payment"),
            models.UniqueConstraint(fields=["kind", "shipment"], condition=Q(shipment__isnull=False),
                                    name="b2b_ledger_unique_shipment"),
        ]

    def __str__(self):
        return f"{self.date} {self.document}: +{self.debit} −{self.credit}"



class MutualSettlement(models.Model):
    """1C's own figure of the buyer's debt under a contract on a date (взаиморасчёты).

    When one exists it is the source of truth: the debt is its ``balance`` plus the portal's ledger
    movements dated after ``as_of`` (see :func:`b2b_cabinet.finance.ledger.balance`).
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="settlements")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="settlements")
    as_of = models.DateField(_("as of"))
    balance = models.DecimalField(_("debt"), **MONEY, help_text=_("Positive: the buyer owes; negative: prepaid."))
    overdue = models.DecimalField(_("overdue"), **MONEY, null=True, blank=True)
    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("received"), auto_now=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mutual settlement (1C)")
        verbose_name_plural = _("mutual settlements (1C)")
        ordering = ["-as_of", "-pk"]
        constraints = [models.UniqueConstraint(fields=["company", "contract", "as_of"],
                                               name="b2b_settlement_unique_day", nulls_distinct=False)]

    def __str__(self):
        return f"{self.contract or self.company} {self.as_of}: {self.balance}"


class OnlinePayment(BasePayment):
    """A django-payments transaction paying one invoice online; confirmed ones become ``Payment`` rows."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="online_payments")
    success_url = models.CharField(max_length=500, blank=True)
    failure_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created"]

    def get_failure_url(self) -> str:
        return self.failure_url or "/"

    def get_success_url(self) -> str:
        return self.success_url or "/"

    def get_purchased_items(self):
        from payments import PurchasedItem

        yield PurchasedItem(name=str(self.description or self.invoice), sku=str(self.invoice), quantity=1,
                            price=self.total, currency=self.currency)
