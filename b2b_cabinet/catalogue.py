"""Catalogue queries shared by the public catalogue page and the cabinet.

Everything here works on model rows: there is no Wagtail page per product, because a 1C
catalogue has 150,000 of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from b2b_cabinet import pricing
from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Category, Product, StockLevel
from b2b_cabinet.pricing import PricingContext


@dataclass
class ProductListing:
    """One page of products plus what the template needs to describe it."""

    page: Page
    query: str
    category: Category | None


def root_categories() -> QuerySet[Category]:
    """Top-level active categories, in 1C order."""
    return Category.objects.filter(parent__isnull=True, is_active=True)


def product_queryset() -> QuerySet[Product]:
    """Active products with what a listing shows, fetched in a fixed number of queries."""
    stock = StockLevel.objects.select_related("warehouse").filter(warehouse__is_active=True)
    return (
        Product.objects.active()
        .select_related("brand", "unit", "category")
        .prefetch_related(Prefetch("stock_levels", queryset=stock))
    )


def list_products(
    *, category: Category | None = None, query: str = "", page_number=1, context: PricingContext | None = None
) -> ProductListing:
    """Products of a category (with its descendants) matching a search, paginated.

    With a pricing ``context`` the region's assortment applies and each product on the page gets
    ``product.priced`` (its :class:`~b2b_cabinet.pricing.PricedLine`) and ``product.visible_stock``.
    """
    products = product_queryset()
    if context is not None:
        products = context.assortment.filter(products)
    if category is not None:
        products = products.filter(category__path__startswith=category.path)
    if query:
        products = products.search(query)
    paginator = Paginator(products.order_by("name", "pk"), b2b_settings.CATALOG_PAGE_SIZE)
    page = paginator.get_page(page_number)
    if context is not None:
        page.object_list = attach_prices(list(page.object_list), context)
    return ProductListing(page=page, query=query, category=category)


def attach_prices(products: list[Product], context: PricingContext, quantity=1) -> list[Product]:
    """Price ``products`` in one engine call and keep only the stock of warehouses serving the buyer."""
    priced = pricing.price_products(context, products, quantity)
    for product in products:
        product.priced = priced[product.pk]
        product.visible_stock = [s for s in product.stock_levels.all() if context.serves(s.warehouse_id)]
    return products
