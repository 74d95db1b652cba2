"""Warehouses, their shipping calendar, and stock levels (on hand, reserved, in transit)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import ExternalIdMixin, unique_external_id
from .catalog import Producer, Product, ProductVariant

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Warehouse(ExternalIdMixin):
    """A warehouse (склад): where stock lies and orders ship from."""

    name = models.CharField(_("name"), max_length=255)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.ForeignKey(
        "b2b_cabinet.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="located_warehouses",
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), null=True, blank=True, on_delete=models.SET_NULL,
        help_text=_("Orders shipped from here go to this producer's 1C base."),
    )
    cutoff_time = models.TimeField(
        _("order cut-off time"), default=datetime.time(16, 0),
        help_text=_("Orders placed after this time cannot ship the same day."),
    )
    closed_weekdays = models.JSONField(
        _("closed weekdays"), default=list, blank=True, help_text=_("Weekday numbers, 0 = Monday … 6 = Sunday.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["position", "name"]
        constraints = [unique_external_id("warehouse")]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name

    def is_shipping_day(self, day: datetime.date) -> bool:
        """False on closed weekdays and on closed dates sent by the ERP."""
        if day.weekday() in (self.closed_weekdays or []):
            return False
        return not self.closed_days.filter(date=day).exists()


class ClosedDay(models.Model):
    """A date a warehouse does not ship (a holiday, stocktaking), usually sent by 1C."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed shipping day")
        verbose_name_plural = _("closed shipping days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "date"], name="b2b_closedday_unique")]

    def __str__(self):
        return f"{self.warehouse}: {self.date:%d.%m.%Y}"


class StockLevel(models.Model):
    """Stock of a product (or one variant) in one warehouse."""

    # As for prices: the unique indexes serve variant lookups, so only product_id has its own index.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_levels")
    variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.CASCADE, related_name="stock_levels", db_index=False
    )
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock_levels", db_index=False)
    on_hand = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3, default=0)
    reserved = models.DecimalField(_("reserved"), max_digits=14, decimal_places=3, default=0)
    in_transit = models.DecimalField(_("in transit"), max_digits=14, decimal_places=3, default=0)
    expected_at = models.DateField(_("expected"), null=True, blank=True, help_text=_("Arrival of goods in transit."))
    # The import run that last wrote this row: rows an offer no longer lists drop to zero.
    synced_run = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], condition=Q(variant__isnull=True), name="b2b_stock_unique_product"
            ),
            models.UniqueConstraint(
                fields=["variant", "warehouse"], condition=Q(variant__isnull=False), name="b2b_stock_unique_variant"
            ),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="b2b_stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(in_transit__gte=0), name="b2b_stock_transit_not_negative"),
        ]

    def __str__(self):
        return f"{self.product} @ {self.warehouse}: {self.on_hand}"

    @property
    def available(self):
        """On hand minus reserved, never below zero."""
        return max(self.on_hand - self.reserved, 0)
