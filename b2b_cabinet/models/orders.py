"""Orders and their lines. The status machine lives here; use-cases in ``b2b_cabinet.ordering`` drive it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.exceptions import InvalidStatusTransition

from .base import AppendOnlyMixin, AppendOnlyQuerySet, CompanyScopedQuerySet, TimestampedMixin
from .catalog import Producer, Product, ProductVariant
from .customers import Company, Contract, LegalEntity
from .stock import Warehouse
from .sync import ExchangeNode


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


def transition_map() -> dict[str, frozenset[str]]:
    """``TRANSITIONS`` with the site's ``B2B_CABINET["ORDER_TRANSITIONS"]`` laid over it.

    A site may narrow or widen what follows a status (say, let 1C jump from ``new`` straight to
    ``shipped``); the statuses themselves stay the fixed set above, which 1C ids map onto.
    ``b2b_cabinet.conf`` is a leaf module (it imports only the exceptions), so reading it here keeps
    the models' import rule; it is imported lazily because settings may change in tests.
    """
    from b2b_cabinet.conf import b2b_settings

    overrides = b2b_settings.ORDER_TRANSITIONS
    if not overrides:
        return TRANSITIONS
    return {**TRANSITIONS, **{str(k): frozenset(map(str, v)) for k, v in overrides.items()}}


class DeliveryMethod(models.TextChoices):
    """How the goods reach the buyer."""

    PICKUP = "pickup", _("pickup from the warehouse")
    DELIVERY = "delivery", _("delivery to an address")


class StatusMachineMixin:
    """``can_change_status``/``check_transition`` for anything with a ``status`` field."""

    def can_change_status(self, target: str) -> bool:
        """Whether the status machine allows moving to ``target``."""
        return target in transition_map().get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        """Raise ``InvalidStatusTransition`` unless the move is allowed."""
        if not self.can_change_status(target):
            raise InvalidStatusTransition(self.status, target)


class Order(StatusMachineMixin, TimestampedMixin):
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
    delivery_method = models.CharField(_("delivery"), max_length=20, choices=DeliveryMethod,
                                       default=DeliveryMethod.PICKUP)
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    pickup_warehouse = models.ForeignKey(Warehouse, verbose_name=_("pickup warehouse"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    placed_on_behalf = models.BooleanField(_("placed on behalf"), default=False)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="b2b_order_total_not_negative")]
        indexes = [models.Index(fields=["company", "-created_at"], name="b2b_order_company_created")]

    def __str__(self):
        return self.number


class OrderPartQuerySet(CompanyScopedQuerySet):
    """Parts are scoped through their order."""

    company_path = "order__company"


class OrderPart(StatusMachineMixin, models.Model):
    """The share of an order shipped from one warehouse by one producer, sent to that producer's 1C base."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField(_("part"))
    number = models.CharField(_("number"), max_length=50, unique=True)
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    exchange_node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="order_parts")
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus, default=OrderStatus.NEW)
    ship_date = models.DateField(_("ship date"), null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=0)
    # Whether the part still holds reserved stock: released when it is cancelled or shipped.
    reserved = models.BooleanField(_("stock reserved"), default=False, editable=False)
    # The 1C order exchange: when the portal last changed the part (the export watermark compares
    # against it), whether that last change came from 1C itself (then it is not sent back: no
    # ping-pong), and what 1C told us about its own document.
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True, editable=False)
    changed_by_onec = models.BooleanField(_("last changed by 1C"), default=False, editable=False)
    exported_at = models.DateTimeField(_("confirmed by 1C"), null=True, blank=True, editable=False)
    onec_number = models.CharField(_("1C number"), max_length=100, blank=True, db_index=True)
    onec_date = models.DateTimeField(_("1C date"), null=True, blank=True)
    onec_status = models.CharField(_("1C status id"), max_length=100, blank=True)
    onec_version = models.CharField(_("1C version"), max_length=100, blank=True, editable=False)
    onec_posted = models.BooleanField(_("posted in 1C"), default=False)

    objects = OrderPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("order part")
        verbose_name_plural = _("order parts")
        ordering = ["order", "index"]
        constraints = [models.UniqueConstraint(fields=["order", "index"], name="b2b_orderpart_unique_index")]
        indexes = [models.Index(fields=["exchange_node", "changed_at"], name="b2b_orderpart_node_changed")]

    def __str__(self):
        return self.number

    @property
    def company(self):
        return self.order.company


class OrderCounter(models.Model):
    """One row per number prefix; placing an order increments it under a row lock (never ``max()+1``)."""

    prefix = models.CharField(max_length=20, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("order number counter")
        verbose_name_plural = _("order number counters")

    def __str__(self):
        return f"{self.prefix}{self.value}"


class EventSource(models.TextChoices):
    """Who caused a status change."""

    PARTNER = "partner", _("partner")
    STAFF = "staff", _("staff")
    ONEC = "1c", _("1C")
    SYSTEM = "system", _("system")


class OrderEventQuerySet(AppendOnlyQuerySet):
    """Append-only: no bulk updates or deletes."""

    company_path = "order__company"


class OrderEvent(AppendOnlyMixin):
    """One entry of an order's timeline: who (partner, staff, 1C) moved what from which status to which."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    part = models.ForeignKey(OrderPart, verbose_name=_("order part"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_repr = models.CharField(_("who"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=EventSource, default=EventSource.PARTNER)
    from_status = models.CharField(_("from"), max_length=20, choices=OrderStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus)
    note = models.TextField(_("note"), blank=True)

    objects = OrderEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "created_at", "pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.part or self.order}: {self.from_status or '—'} → {self.to_status}"



class OrderLineQuerySet(CompanyScopedQuerySet):
    """Lines are scoped through their order."""

    company_path = "order__company"


class OrderLine(models.Model):
    """A line of an order. Name, SKU and price are copied so later catalogue changes don't rewrite history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(OrderPart, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
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
