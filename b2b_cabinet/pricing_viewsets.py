"""Wagtail admin for pricing: discount rules, currency rates, company groups, region assortment,
the rule preview ("price of SKU X for company Y at quantity N") and the margin report per company.

The preview and the report call the same engine as the catalogue and the price list.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from b2b_cabinet import models as m
from b2b_cabinet import pricing
from b2b_cabinet.viewsets import B2BModelViewSet

PERMISSION = "b2b_cabinet.view_discountrule"


class DiscountRuleViewSet(B2BModelViewSet):
    model = m.DiscountRule
    icon = "tag"
    menu_label = _("Discount rules")
    list_display = ["name", "company", "company_group", "region", "method", "value", "combination", "min_quantity",
                    "priority", "is_active"]
    list_filter = ["is_active", "combination", "method", "company", "company_group", "region"]
    list_export = ["name", "company", "company_group", "region", "product", "variant", "category", "brand",
                   "producer", "property_value", "method", "value", "currency", "price_type", "min_quantity",
                   "valid_from", "valid_until", "priority", "combination", "cap_percent", "is_active"]
    search_fields = ["name", "company__name", "product__sku", "brand__name", "category__name"]
    form_fields = ["name", "is_active", "company", "company_group", "region", "product", "variant", "category",
                   "brand", "producer", "property_value", "method", "value", "currency", "price_type",
                   "min_quantity", "valid_from", "valid_until", "priority", "combination", "cap_percent"]


class CurrencyRateViewSet(B2BModelViewSet):
    model = m.CurrencyRate
    icon = "calculator"
    menu_label = _("Currency rates")
    list_display = ["currency", "date", "rate", "nominal", "source"]
    list_filter = ["currency", "source"]
    list_export = ["currency", "date", "rate", "nominal", "source"]
    form_fields = ["currency", "date", "rate", "nominal", "source"]


class CompanyGroupViewSet(B2BModelViewSet):
    model = m.CompanyGroup
    icon = "group"
    menu_label = _("Company groups")
    list_display = ["name"]
    search_fields = ["name"]
    form_fields = ["name", "companies"]


class RegionAssortmentRuleViewSet(B2BModelViewSet):
    model = m.RegionAssortmentRule
    icon = "list-ul"
    menu_label = _("Region assortment")
    list_display = ["region", "mode", "category", "brand", "product"]
    list_filter = ["region", "mode"]
    form_fields = ["region", "mode", "category", "brand", "product"]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to staff who may see discount rules."""

    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


class PricingAdminView(WagtailAdminTemplateMixin, FormView):
    """Base for the preview and the report: permission check, GET forms, Wagtail furniture."""

    header_icon = "calculator"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"data": self.request.GET or None, "initial": self.get_initial()}

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        extra = self.compute(form.cleaned_data) if form.is_bound and form.is_valid() else {}
        if isinstance(extra, HttpResponse):
            return extra
        return self.render_to_response(self.get_context_data(form=form, **extra))


class PreviewForm(forms.Form):
    company = forms.ModelChoiceField(m.Company.objects.filter(is_active=True), label=_("Company"))
    sku = forms.CharField(label=_("SKU"), max_length=100)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.001"), initial=1, decimal_places=3)
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        products = list(m.Product.objects.filter(Q(sku__iexact=sku) | Q(barcode=sku) | Q(external_id=sku))[:2])
        if not products:
            raise forms.ValidationError(_("No product with this SKU, barcode or 1C Ид."))
        if len(products) > 1:
            raise forms.ValidationError(_("Several products have this SKU; use the barcode or the 1C Ид."))
        self.product = products[0]
        return sku


class PricePreviewView(PricingAdminView):
    """"Price of SKU X for company Y at quantity N", with every rule that was considered."""

    template_name = "b2b_cabinet/admin/price_preview.html"
    form_class = PreviewForm
    page_title = _("Price preview")

    def compute(self, data):
        context = pricing.context_for_company(data["company"], on=data["on"] or timezone.localdate())
        [line] = pricing.price_lines(context, [pricing.LineRequest(self.form.product, data["quantity"])])
        rules = {r.pk: r for r in context.rules}
        return {"line": line, "product": self.form.product, "pricing_context": context,
                "steps": [(s, rules.get(s.rule_id)) for s in line.steps],
                "explanation_ru": line.explanation("ru"), "explanation_en": line.explanation("en")}

    def get_form(self, form_class=None):
        self.form = super().get_form(form_class)
        return self.form


class MarginForm(forms.Form):
    company = forms.ModelChoiceField(m.Company.objects.filter(is_active=True), label=_("Company"))
    category = forms.ModelChoiceField(m.Category.objects.filter(is_active=True), label=_("Category"), required=False)
    brand = forms.ModelChoiceField(m.Brand.objects.all(), label=_("Brand"), required=False)


class MarginReportView(PricingAdminView):
    """The company's price against RRP for each product it may see: margin and markup, exportable."""

    template_name = "b2b_cabinet/admin/margin_report.html"
    form_class = MarginForm
    page_title = _("Margin report")

    def products(self, data, context):
        products = context.assortment.filter(m.Product.objects.active()).select_related("category", "brand")
        if data["category"]:
            products = products.filter(category__path__startswith=data["category"].path)
        if data["brand"]:
            products = products.filter(brand=data["brand"])
        return products.order_by("name", "pk")

    def compute(self, data):
        context = pricing.context_for_company(data["company"])
        products = self.products(data, context)
        if self.request.GET.get("export") == "xlsx":
            return self.export(context, products, data["company"])
        page = Paginator(products, 50).get_page(self.request.GET.get("p"))
        priced = pricing.price_products(context, list(page.object_list))
        return {"page_obj": page, "rows": [(p, priced[p.pk]) for p in page.object_list],
                "currency": context.currency, "query": self.request.GET.urlencode()}

    def export(self, context, products, company):
        from b2b_cabinet.xlsx import write_xlsx

        header = [str(x) for x in (_("SKU"), _("Product"), _("Brand"), _("Base price"), _("Company price"),
                                   _("RRP"), _("Margin"), _("Markup, %"), _("Currency"))]
        ids = list(products.values_list("pk", flat=True))

        def rows():
            for start in range(0, len(ids), 2000):
                chunk = list(m.Product.objects.filter(pk__in=ids[start:start + 2000])
                             .select_related("category", "brand").order_by("name", "pk"))
                priced = pricing.price_products(context, chunk)
                for product in chunk:
                    line = priced[product.pk]
                    yield [product.sku, product.name, product.brand.name if product.brand else "",
                           line.base_price, line.unit_price, line.rrp, line.margin, line.markup_percent,
                           context.currency]

        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="margin-{company.pk}.xlsx"'
        write_xlsx(response, str(_("Margin report")), header, rows(), widths=(16, 60, 18), freeze="C2")
        return response


class ToolViewSet(ViewSet):
    """A viewset holding one admin tool view, listed in the Pricing menu for permitted staff."""

    view_class: type = PricingAdminView
    menu_item_class = PermissionMenuItem
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]


class PricePreviewViewSet(ToolViewSet):
    name = "b2b_price_preview"
    icon = "view"
    menu_label = _("Price preview")
    view_class = PricePreviewView


class MarginReportViewSet(ToolViewSet):
    name = "b2b_margin_report"
    icon = "table"
    menu_label = _("Margin report")
    view_class = MarginReportView


class PricingViewSetGroup(ViewSetGroup):
    """The "Pricing" admin menu."""

    menu_label = _("Pricing")
    menu_icon = "calculator"
    menu_order = 210
    items = (
        DiscountRuleViewSet,
        PricePreviewViewSet,
        MarginReportViewSet,
        CompanyGroupViewSet,
        RegionAssortmentRuleViewSet,
        CurrencyRateViewSet,
    )
