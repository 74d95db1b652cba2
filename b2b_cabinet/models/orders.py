"""Orders and their lines. The status machine lives here; use-cases in ``b2b_cabinet.ordering`` drive it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.exceptions import InvalidStatusTransition

from .base import CompanyScopedQuerySet, TimestampedMixin
from .catalog import Product, ProductVariant
from .customers import Company, Contract, LegalEntity
from .stock import Warehouse


class OrderStatus(models.TextChoices):
    """The default status set; 1C status ids map onto these per exchange node."""

    NEW = "new", _("new")
    CONFIRMED = "confirmed", _("confirmed")
    IN_PROGRESS = "in_progress", _("being assembled")
    READY = "ready", _("ready to ship")
    SHIPPED = "shipped", _("shipped")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


S = OrderStatus
# Which status may follow which. Kept explicit so that 1C, staff and partners all hit the same wall.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.CONFIRMED, S.IN_PROGRESS, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.READY, S.SHIPPED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.READY, S.SHIPPED, S.CANCELLED}),
    S.READY: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}


class Order(TimestampedMixin):
    """A buyer's order; later split into parts by warehouse and producer."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="orders")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, on_delete=models.PROTECT)
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus, default=OrderStatus.NEW)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=0)
    po_number = models.CharField(_("PO number"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    ship_date = models.DateField(_("ship date"), null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="b2b_order_total_not_negative")]
        indexes = [models.Index(fields=["company", "-created_at"], name="b2b_order_company_created")]

    def __str__(self):
        return self.number

    def can_change_status(self, target: str) -> bool:
        """Whether the status machine allows moving to ``target``."""
        return target in TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        """Raise ``InvalidStatusTransition`` unless the move is allowed."""
        if not self.can_change_status(target):
            raise InvalidStatusTransition(self.status, target)


class OrderLineQuerySet(CompanyScopedQuerySet):
    """Lines are scoped through their order."""

    company_path = "order__company"


class OrderLine(models.Model):
    """A line of an order. Name, SKU and price are copied so later catalogue changes don't rewrite history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(ProductVariant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=16, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    line_total = models.DecimalField(_("line total"), max_digits=16, decimal_places=2)

    objects = OrderLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="b2b_orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="b2b_orderline_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.order}: {self.sku} × {self.quantity}"
