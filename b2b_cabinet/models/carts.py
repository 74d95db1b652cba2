"""Carts, saved lists (order templates) and favourites: what a buyer is about to order.

A cart belongs to one user *and* one company: a person who works for two companies has two carts,
and a sales manager acting on behalf of a company fills their own cart for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CompanyScopedQuerySet, TimestampedMixin
from .catalog import Product, ProductVariant
from .customers import Company
from .stock import Warehouse


class Cart(TimestampedMixin):
    """The persistent cart of one user for one company."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="b2b_carts")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="carts")

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="b2b_cart_unique_user_company")]

    def __str__(self):
        return f"{self.user} — {self.company}"


class CartLineQuerySet(CompanyScopedQuerySet):
    company_path = "cart__company"


class CartLine(models.Model):
    """A product (or variant) from a warehouse in a cart; one line per product/variant/warehouse."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(ProductVariant, verbose_name=_("variant"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = CartLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["cart", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="b2b_cartline_quantity_positive")]

    def __str__(self):
        return f"{self.product} × {self.quantity}"


class SavedList(TimestampedMixin):
    """A named list of products (an order template) a company's buyers reuse; ``is_favourites`` marks
    each user's one favourites list."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="saved_lists")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    is_favourites = models.BooleanField(_("favourites"), default=False)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")
        ordering = ["-is_favourites", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "owner"], condition=Q(is_favourites=True),
                                    name="b2b_savedlist_one_favourites"),
        ]

    def __str__(self):
        return self.name


class SavedListLineQuerySet(CompanyScopedQuerySet):
    company_path = "saved_list__company"


class SavedListLine(models.Model):
    """A product and a usual quantity in a saved list."""

    saved_list = models.ForeignKey(SavedList, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(ProductVariant, verbose_name=_("variant"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=1)

    objects = SavedListLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved list line")
        verbose_name_plural = _("saved list lines")
        ordering = ["saved_list", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="b2b_savedlistline_qty_positive")]

    def __str__(self):
        return f"{self.product} × {self.quantity}"
