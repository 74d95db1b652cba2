"""Wagtail pages: content pages, the routable catalogue and the page that mounts the partner cabinet."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from b2b_cabinet.blocks import EditorialStreamBlock

from .catalog import Category, Product


class ContentPage(Page):
    """A marketing page built from StreamField blocks (home, about, landing pages)."""

    body = StreamField(EditorialStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    template = "b2b_cabinet/pages/content_page.html"

    class Meta:
        verbose_name = _("content page")


class CatalogPage(RoutablePageMixin, Page):
    """The catalogue: category tree, product lists with search and pagination, product detail.

    Routes (relative to the page): ``""`` and ``?q=`` search, ``<category-slug>/``,
    ``product/<id>/``. Products are model rows, not pages.
    """

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []
    template = "b2b_cabinet/catalog/index.html"

    class Meta:
        verbose_name = _("catalogue page")

    def get_context(self, request, *args, **kwargs):
        from b2b_cabinet.conf import b2b_settings

        context = super().get_context(request, *args, **kwargs)
        context["show_rrp"] = b2b_settings.SHOW_RRP
        return context

    def _render_listing(self, request, category=None):
        from b2b_cabinet.cabinet.company import pricing_context
        from b2b_cabinet.catalogue import MAX_QUERY_LENGTH, list_products, root_categories

        # The public page reads ?q= without a form: cut it like the cabinet's form limits it.
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        listing = list_products(
            category=category, query=query, page_number=request.GET.get("page", 1),
            context=pricing_context(request),
        )
        subcategories = category.children.filter(is_active=True) if category else root_categories()
        return self.render(
            request,
            template="b2b_cabinet/catalog/index.html",
            context_overrides={
                "listing": listing,
                "category": category,
                "subcategories": subcategories,
                "breadcrumbs": category.get_ancestors() if category else [],
            },
        )

    @path("")
    def index(self, request):
        """Root categories and every product, or search results for ``?q=``."""
        return self._render_listing(request)

    @path("product/<int:pk>/", name="product")
    def product(self, request, pk):
        """One product with its properties and stock per warehouse; 404 if inactive or unknown."""
        from b2b_cabinet.cabinet.company import pricing_context
        from b2b_cabinet.catalogue import attach_prices, product_queryset

        context = pricing_context(request)
        product = get_object_or_404(context.assortment.filter(product_queryset()), pk=pk)
        attach_prices([product], context)
        return self.render(
            request,
            template="b2b_cabinet/catalog/product.html",
            context_overrides={
                "product": product,
                "breadcrumbs": [*product.category.get_ancestors(), product.category] if product.category else [],
            },
        )

    @path("<slug:slug>/", name="category")
    def category(self, request, slug):
        """Products of a category and its descendants."""
        category = get_object_or_404(Category, slug=slug, is_active=True)
        return self._render_listing(request, category)

    def product_url(self, product: Product) -> str:
        """URL of a product under this page."""
        return self.url + self.reverse_subpage("product", args=[product.pk])

    def category_url(self, category: Category) -> str:
        """URL of a category under this page."""
        return self.url + self.reverse_subpage("category", args=[category.slug])


class CabinetPage(RoutablePageMixin, Page):
    """Mounts the partner cabinet (``b2b_cabinet.cabinet.urls``) where editors place this page.

    The cabinet's views are ordinary Django views; they find this page as ``request.cabinet_page``
    and build links with the ``cabinet_url`` template tag.
    """

    intro = RichTextField(_("text on the dashboard"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("cabinet page")

    @classmethod
    def get_resolver(cls):
        if "_routablepage_urlresolver" not in cls.__dict__:
            cls._routablepage_urlresolver = URLResolver(RegexPattern(r"^/"), "b2b_cabinet.cabinet.urls")
        return cls._routablepage_urlresolver

    def resolve_subpage(self, path):
        # Unlike routable page methods, cabinet views are plain functions/classes: don't bind them.
        return self.get_resolver().resolve(path)

    def serve(self, request, view=None, args=None, kwargs=None):
        if view is None:
            raise Http404
        request.cabinet_page = self
        return view(request, *(args or ()), **(kwargs or {}))

    def serve_preview(self, request, mode_name):
        view, args, kwargs = self.resolve_subpage("/")
        request.cabinet_page = self
        return view(request, *args, **kwargs)

    def cabinet_url(self, name: str, *args, **kwargs) -> str:
        """URL of a cabinet view, e.g. ``page.cabinet_url("login")``."""
        return self.url + self.reverse_subpage(name, args=args, kwargs=kwargs)
