"""Price types and prices from 1C, currency rates and discount rules. ``b2b_cabinet.pricing`` reads these."""

from django.core.exceptions import ValidationError
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


class CurrencyRate(models.Model):
    """Roubles per ``nominal`` units of a currency on a date, from 1C or typed in the admin.

    The engine uses the latest rate on or before the pricing date; a contract's fixed rate wins.
    """

    class Source(models.TextChoices):
        ONEC = "1c", _("1C")
        ADMIN = "admin", _("admin")

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=14, decimal_places=4)
    nominal = models.PositiveIntegerField(_("nominal"), default=1)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ADMIN)

    class Meta:
        verbose_name = _("currency rate")
        verbose_name_plural = _("currency rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="b2b_currencyrate_unique_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="b2b_currencyrate_positive"),
        ]

    def __str__(self):
        return f"{self.nominal} {self.currency} = {self.rate} RUB ({self.date:%d.%m.%Y})"


class DiscountRuleQuerySet(models.QuerySet):
    """Rules a pricing context can use."""

    def in_force(self, on):
        """Active rules valid on the date ``on``."""
        return self.filter(is_active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class DiscountRule(models.Model):
    """A personal price rule: who gets it, on what, how much, from which quantity, and how it combines.

    *Who*: one company, a company group, a region, or everyone (none set). *What*: one product,
    variant, category (with descendants), brand, producer or property value, or everything (none
    set). *How*: a percent off, a fixed price, or another price type's price. The combination
    modes and their order are documented in ``docs/pricing.md`` and implemented in
    ``b2b_cabinet.pricing``.
    """

    class Method(models.TextChoices):
        PERCENT = "percent", _("percent off")
        FIXED = "fixed", _("fixed price")
        PRICE_TYPE = "price_type", _("another price type")

    class Combination(models.TextChoices):
        EXCLUSIVE = "exclusive", _("exclusive (best price wins)")
        STACKED = "stacked", _("stacked (applied in turn)")
        CAPPED = "capped", _("stacked with a cap")

    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    company = models.ForeignKey(
        "b2b_cabinet.Company", verbose_name=_("company"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="discount_rules",
    )
    company_group = models.ForeignKey(
        "b2b_cabinet.CompanyGroup", verbose_name=_("company group"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="discount_rules",
    )
    region = models.ForeignKey(
        "b2b_cabinet.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="discount_rules",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    variant = models.ForeignKey(
        ProductVariant, verbose_name=_("variant"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "b2b_cabinet.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", help_text=_("Includes its subcategories."),
    )
    brand = models.ForeignKey(
        "b2b_cabinet.Brand", verbose_name=_("brand"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "b2b_cabinet.Producer", verbose_name=_("producer"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    property_value = models.ForeignKey(
        "b2b_cabinet.PropertyValue", verbose_name=_("property value"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    method = models.CharField(_("method"), max_length=20, choices=Method, default=Method.PERCENT)
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=4, default=0,
        help_text=_("Percent off (0–100) or the fixed price, depending on the method."),
    )
    currency = models.CharField(_("currency of a fixed price"), max_length=3, default="RUB")
    price_type = models.ForeignKey(
        PriceType, verbose_name=_("price type to use"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    min_quantity = models.DecimalField(
        _("from quantity"), max_digits=14, decimal_places=3, default=0, help_text=_("Volume tier: applies from here.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    priority = models.IntegerField(_("priority"), default=0, help_text=_("Higher applies first and wins ties."))
    combination = models.CharField(
        _("combination"), max_length=20, choices=Combination, default=Combination.EXCLUSIVE
    )
    cap_percent = models.DecimalField(
        _("cap, %"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("For capped rules: the most the stacked discounts may take off the base price."),
    )

    # The price engine caches compiled rules under a version that includes the latest change.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = DiscountRuleQuerySet.as_manager()

    WHO_FIELDS = ("company", "company_group", "region")
    WHAT_FIELDS = ("variant", "product", "property_value", "category", "brand", "producer")

    class Meta:
        verbose_name = _("discount rule")
        verbose_name_plural = _("discount rules")
        ordering = ["-priority", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="b2b_rule_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(method="percent") | Q(value__lte=100), name="b2b_rule_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(method="price_type") | Q(price_type__isnull=False), name="b2b_rule_price_type_set"
            ),
            models.CheckConstraint(
                condition=~Q(combination="capped") | Q(cap_percent__isnull=False), name="b2b_rule_cap_set"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if sum(getattr(self, f"{f}_id") is not None for f in self.WHO_FIELDS) > 1:
            errors["company"] = _("Choose at most one of company, company group or region (none means everyone).")
        if sum(getattr(self, f"{f}_id") is not None for f in self.WHAT_FIELDS) > 1:
            errors["product"] = _("Choose at most one target (none means every product).")
        if self.method == self.Method.PERCENT and self.value > 100:
            errors["value"] = _("A percent off is between 0 and 100.")
        if self.method == self.Method.PRICE_TYPE and self.price_type_id is None:
            errors["price_type"] = _("Choose the price type this rule uses.")
        if self.combination == self.Combination.CAPPED and self.cap_percent is None:
            errors["cap_percent"] = _("A capped rule needs its cap.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
        if errors:
            raise ValidationError(errors)
