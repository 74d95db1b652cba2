"""Cabinet catalogue and quick order: search and filters, product detail, pasted/uploaded lines.

The views are thin: queries live in :mod:`b2b_cabinet.catalogue`, matching in
:mod:`b2b_cabinet.quickorder`, and the cart changes in the ordering use-cases; the "add to cart"
forms post to the cart's own view (``cart_add`` in ``cart_views``). Every form is an
ordinary GET or POST form, so the whole flow works without JavaScript.
"""


from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from b2b_cabinet import quickorder
from b2b_cabinet.catalogue import (
    CatalogueFilter,
    attach_prices,
    list_products,
    product_queryset,
    root_categories,
    serving_warehouses,
)
from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.permissions import Action, can

from .catalogue_forms import CatalogueFilterForm, QuickOrderForm
from .company import RoleRequiredMixin, pricing_context
from .views import CabinetPageContextMixin


class CatalogueMixin(CabinetPageContextMixin):
    """What every catalogue page shows: RRP setting, whether the role may order, the serving warehouses."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("show_rrp", b2b_settings.SHOW_RRP)
        kwargs.setdefault("can_order", can(self.request.membership, Action.PLACE_ORDER))
        kwargs.setdefault("warehouses", self.warehouses)
        return super().get_context_data(**kwargs)

    @property
    def warehouses(self):
        if not hasattr(self, "_warehouses"):
            self._warehouses = list(serving_warehouses(pricing_context(self.request)))
        return self._warehouses


class CatalogueView(RoleRequiredMixin, CatalogueMixin, TemplateView):
    """Search by SKU, name or barcode; filter by category, brand, warehouse and stock; personal prices."""

    required_action = Action.VIEW_CATALOGUE
    template_name = "b2b_cabinet/cabinet/catalogue/index.html"

    def get_context_data(self, **kwargs):
        context = pricing_context(self.request)
        form = CatalogueFilterForm(self.request.GET or None, warehouses=serving_warehouses(context))
        filters = form.to_filter() if self.request.GET else CatalogueFilter()
        listing = list_products(filters=filters, context=context, page_number=self.request.GET.get("page", 1))
        return super().get_context_data(form=form, listing=listing, filters=filters,
                                        categories=root_categories(), **kwargs)


class ProductView(RoleRequiredMixin, CatalogueMixin, TemplateView):
    """One product: facts, variants, stock per serving warehouse with goods in transit, price and why."""

    required_action = Action.VIEW_CATALOGUE
    template_name = "b2b_cabinet/cabinet/catalogue/product.html"

    def get_context_data(self, pk, **kwargs):
        context = pricing_context(self.request)
        queryset = context.assortment.filter(product_queryset(context)).prefetch_related("variants", "images")
        product = get_object_or_404(queryset, pk=pk)
        attach_prices([product], context)
        crumbs = [*product.category.get_ancestors(), product.category] if product.category else []
        variants = [v for v in product.variants.all() if v.is_active]
        return super().get_context_data(product=product, breadcrumbs=crumbs, variants=variants, **kwargs)


class QuickOrderView(RoleRequiredMixin, CabinetPageContextMixin, TemplateView):
    """Paste "SKU quantity" lines or upload .xlsx/.csv: matches go to the cart, the rest come back explained."""

    required_action = Action.PLACE_ORDER
    template_name = "b2b_cabinet/cabinet/catalogue/quick_order.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", QuickOrderForm(warehouses=serving_warehouses(pricing_context(self.request))))
        kwargs.setdefault("max_lines", quickorder.MAX_LINES)
        return super().get_context_data(**kwargs)

    def post(self, request):
        warehouses = serving_warehouses(pricing_context(request))
        form = QuickOrderForm(request.POST, request.FILES, warehouses=warehouses)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            result = quickorder.read(text=form.cleaned_data["text"], upload=form.cleaned_data["file"],
                                     context=pricing_context(request))
        except quickorder.QuickOrderError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        from b2b_cabinet.ordering import get_cart

        quickorder.add_matches_to_cart(get_cart(request.user, request.company), result,
                                       warehouse=form.cleaned_data["warehouse"], actor=request.user)
        # The problem lines come back in the box, ready to be fixed and sent again.
        again = QuickOrderForm(initial={"text": result.problem_text, "warehouse": form.cleaned_data["warehouse"]},
                               warehouses=warehouses)
        return self.render_to_response(self.get_context_data(form=again, result=result))
