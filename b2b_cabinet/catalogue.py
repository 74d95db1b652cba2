"""Catalogue queries shared by the public catalogue page and the cabinet.

Everything here works on model rows: there is no Wagtail page per product, because a 1C
catalogue has 150,000 of them. A listing page costs a fixed number of queries whatever the
catalogue size: the products of the page, their stock, their prices, and a *capped* count
(``COUNT(*)`` over at most ``RESULT_LIMIT + 1`` rows), because an exact count of a filtered
150,000-row catalogue is the slowest query a page would run and nobody pages past the thousandth hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils.functional import cached_property

from b2b_cabinet import pricing
from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Brand, Category, Product, StockLevel, Warehouse
from b2b_cabinet.pricing import PricingContext

#: Listings count and page through at most this many products; beyond it the buyer narrows the search.
RESULT_LIMIT = 1000
#: The longest search text taken from a request; the rest is cut (every search form says the same).
MAX_QUERY_LENGTH = 200


@dataclass
class CatalogueFilter:
    """What a buyer asked the catalogue for; every field is optional."""

    query: str = ""
    category: Category | None = None
    brand: Brand | None = None
    warehouse: Warehouse | None = None
    in_stock: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.query or self.category or self.brand or self.warehouse or self.in_stock)


@dataclass
class ProductListing:
    """One page of products plus what the template needs to describe it."""

    page: Page
    query: str
    category: Category | None
    filters: CatalogueFilter = field(default_factory=CatalogueFilter)

    @property
    def truncated(self) -> bool:
        """True when more products match than the listing counts (``RESULT_LIMIT``)."""
        return getattr(self.page.paginator, "truncated", False)


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``RESULT_LIMIT``: ``COUNT(*)`` over a ``LIMIT`` subquery."""

    @cached_property
    def count(self) -> int:
        # Without ORDER BY, so the database stops after RESULT_LIMIT + 1 rows instead of sorting all.
        found = self.object_list.order_by()[: RESULT_LIMIT + 1].count()
        self.truncated = found > RESULT_LIMIT
        return min(found, RESULT_LIMIT)

    def get_page(self, number):
        """Like Django's, but a first page that is not full needs no count: its length is the count.

        A search for a rare word scans the table once instead of twice (count, then rows).
        """
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number <= 1:
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= self.per_page:
                self.truncated = False
                self.__dict__["count"] = len(rows)
                return self._get_page(rows, 1, self)
            _ = self.count  # the capped count, for "page 1 of N"; the rows are already here
            return self._get_page(rows[: self.per_page], 1, self)
        return super().get_page(number)


def root_categories() -> QuerySet[Category]:
    """Top-level active categories, in 1C order."""
    return Category.objects.filter(parent__isnull=True, is_active=True)


def product_queryset(context: PricingContext | None = None) -> QuerySet[Product]:
    """Active products with what a listing shows, fetched in a fixed number of queries.

    With a ``context`` only the stock of warehouses serving the buyer is prefetched.
    """
    stock = StockLevel.objects.select_related("warehouse").filter(warehouse__is_active=True)
    if context is not None and context.warehouse_ids is not None:
        stock = stock.filter(warehouse_id__in=context.warehouse_ids)
    return (
        Product.objects.active()
        .select_related("brand", "unit", "category")
        .prefetch_related(Prefetch("stock_levels", queryset=stock.order_by("warehouse__position", "warehouse_id")))
    )


def serving_warehouses(context: PricingContext | None) -> QuerySet[Warehouse]:
    """Active warehouses whose stock the buyer sees (all of them for guests and unrestricted regions)."""
    warehouses = Warehouse.objects.filter(is_active=True)
    if context is not None and context.warehouse_ids is not None:
        warehouses = warehouses.filter(pk__in=context.warehouse_ids)
    return warehouses


def category_ids(category: Category) -> list[int]:
    """Ids of ``category`` and its descendants: one small query, so the product query needs no join."""
    return list(Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True))


def filter_products(products: QuerySet[Product], filters: CatalogueFilter, context: PricingContext | None = None):
    """``products`` narrowed by ``filters``. "In stock" means free stock (on hand − reserved) in a
    warehouse serving the buyer; a chosen warehouse narrows that to the warehouse."""
    if filters.category is not None:
        products = products.filter(category_id__in=category_ids(filters.category))
    if filters.brand is not None:
        products = products.filter(brand_id=filters.brand.pk)
    if filters.in_stock or filters.warehouse is not None:
        stock = StockLevel.objects.filter(product_id=OuterRef("pk"), on_hand__gt=F("reserved"),
                                          warehouse__is_active=True)
        if filters.warehouse is not None:
            stock = stock.filter(warehouse_id=filters.warehouse.pk)
        elif context is not None and context.warehouse_ids is not None:
            stock = stock.filter(warehouse_id__in=context.warehouse_ids)
        products = products.filter(Exists(stock))
    if filters.query:
        exact = exact_matches(filters.query)
        # A whole SKU or barcode is answered from the indexes; only other text needs the word search.
        products = products.filter(pk__in=exact) if exact else products.search(filters.query)
    return products


def exact_matches(text: str) -> list[int]:
    """Ids of active products whose SKU (as typed, upper or lower case) or barcode is exactly ``text``."""
    text = text.strip()
    if not text or " " in text or "\x00" in text:  # no SKU has a NUL, and PostgreSQL cannot compare one
        return []
    forms = {text, text.upper(), text.lower()}
    # Two queries, each on its own index: SQLite scans the table for the OR of both.
    active = Product.objects.active()
    ids = list(active.filter(sku__in=forms).values_list("pk", flat=True)[:50])
    if ids or not text.isdigit():
        # Only digits can be a barcode; asking anyway makes SQLite scan when most barcodes are empty.
        return ids
    return list(active.filter(barcode=text).values_list("pk", flat=True)[:50])


def list_products(
    *, category: Category | None = None, query: str = "", page_number=1, context: PricingContext | None = None,
    filters: CatalogueFilter | None = None, page_size: int | None = None,
) -> ProductListing:
    """Products matching ``filters`` (or a category with its descendants and a search), paginated.

    With a pricing ``context`` the region's assortment applies and each product on the page gets
    ``product.priced`` (its :class:`~b2b_cabinet.pricing.PricedLine`) and ``product.visible_stock``.
    """
    filters = filters or CatalogueFilter(query=query, category=category)
    products = product_queryset(context)
    if context is not None:
        products = context.assortment.filter(products)
    products = filter_products(products, filters, context)
    paginator = CappedPaginator(products.order_by("name", "pk"), page_size or b2b_settings.CATALOG_PAGE_SIZE)
    page = paginator.get_page(page_number)
    if context is not None:
        page.object_list = attach_prices(list(page.object_list), context)
    return ProductListing(page=page, query=filters.query, category=filters.category, filters=filters)


def attach_prices(products: list[Product], context: PricingContext, quantity=1) -> list[Product]:
    """Price ``products`` in one engine call and keep only the stock of warehouses serving the buyer."""
    priced = pricing.price_products(context, products, quantity)
    for product in products:
        product.priced = priced[product.pk]
        product.visible_stock = [s for s in product.stock_levels.all() if context.serves(s.warehouse_id)]
    return products
