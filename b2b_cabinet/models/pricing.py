"""Price types and prices as 1C sends them. The price engine (``b2b_cabinet.pricing``) reads these."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import ExternalIdMixin, unique_external_id
from .catalog import Product, ProductVariant


class PriceType(ExternalIdMixin):
    """A price type (тип цен), e.g. «Оптовая», «Дилерская», «РРЦ»."""

    name = models.CharField(_("name"), max_length=255)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    vat_included = models.BooleanField(_("VAT included"), default=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used when neither the contract nor the region names a price type.")
    )
    is_rrp = models.BooleanField(_("recommended retail"), default=False, help_text=_("Shown as RRP next to prices."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price type")
        verbose_name_plural = _("price types")
        ordering = ["name"]
        constraints = [unique_external_id("pricetype")]

    def __str__(self):
        return self.name


class Price(models.Model):
    """The price of a product (or one variant) in one price type, per ``unit_ratio`` units."""

    # Index choice (the import writes these rows by the hundred thousand): product lookups use the
    # product_id index, variant and price-type lookups the unique indexes below, so the variant and
    # price-type foreign keys get no index of their own.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.CASCADE, related_name="prices", db_index=False
    )
    price_type = models.ForeignKey(PriceType, on_delete=models.CASCADE, related_name="prices", db_index=False)
    value = models.DecimalField(_("price"), max_digits=16, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    unit_ratio = models.DecimalField(_("coefficient"), max_digits=12, decimal_places=3, default=1)
    min_quantity = models.DecimalField(_("minimum quantity"), max_digits=14, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "price_type"], condition=Q(variant__isnull=True), name="b2b_price_unique_product"
            ),
            models.UniqueConstraint(
                fields=["variant", "price_type"], condition=Q(variant__isnull=False), name="b2b_price_unique_variant"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="b2b_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.product} — {self.price_type}: {self.value} {self.currency}"
