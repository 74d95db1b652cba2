"""The cart and checkout pages. Plain POST forms that work without JavaScript.

Every cart lookup goes through the request's own cart (user × acting company), so another user's
or company's cart lines answer 404. The rules live in ``b2b_cabinet.ordering``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import View

from b2b_cabinet import ordering
from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import OrderingError
from b2b_cabinet.models import CartLine, Product, ProductVariant, Warehouse
from b2b_cabinet.permissions import Action

from .company import RoleRequiredMixin, pricing_context
from .ordering_forms import AddToCartForm, CartLineForm, CheckoutForm


def served_warehouses(request):
    """Active warehouses serving the acting company's region (all active ones when it has none)."""
    warehouses = Warehouse.objects.filter(is_active=True)
    ids = pricing_context(request).warehouse_ids
    return warehouses.filter(pk__in=ids) if ids is not None else warehouses


def request_cart(request):
    """The cart of the signed-in user for the acting company."""
    return ordering.get_cart(request.user, request.company)


class CartView(RoleRequiredMixin, View):
    """The cart: lines with price, total, warehouse choice and quantity; totals from one pricing call."""

    required_action = Action.PLACE_ORDER

    def get(self, request):
        cart = request_cart(request)
        summary = ordering.price_cart(cart, pricing_context(request))
        for row in summary.rows:
            row.rule = ordering.quantity_rule(row.line.product)
        return render(request, "b2b_cabinet/cabinet/cart.html", {
            "page": request.cabinet_page, "cart": cart, "summary": summary,
            "warehouses": list(served_warehouses(request)),
        })


class CartActionView(RoleRequiredMixin, View):
    """Base for POST-only cart actions: run, report, go back to the cart (or ``next``)."""

    required_action = Action.PLACE_ORDER
    http_method_names = ["post"]

    def back(self, target: str | None = None):
        request = self.request
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("cart"))

    def line(self, pk: int) -> CartLine:
        return get_object_or_404(CartLine.objects.filter(cart=request_cart(self.request)), pk=pk)

    def warehouse(self, pk):
        if not pk:
            return None
        found = served_warehouses(self.request).filter(pk=pk).first()
        if found is None:
            raise OrderingError(_("This warehouse does not serve your region."))
        return found


class CartAddView(CartActionView):
    """Put a product into the cart (what catalogue pages post to)."""

    def post(self, request):
        form = AddToCartForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a product and a quantity."))
            return self.back(request.POST.get("next"))
        data = form.cleaned_data
        context = pricing_context(request)
        product = get_object_or_404(context.assortment.filter(Product.objects.active()), pk=data["product"])
        variant = (get_object_or_404(ProductVariant, pk=data["variant"], product=product)
                   if data.get("variant") else None)
        try:
            quantity = ordering.parse_quantity(data["quantity"])
            line = ordering.add_to_cart(request_cart(request), product, quantity, variant=variant,
                                        warehouse=self.warehouse(data.get("warehouse")),
                                        actor=Actor.from_request(request))
        except OrderingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(product)s: %(quantity)s in the cart.") % {
                "product": product, "quantity": f"{line.quantity.normalize():f}"})
        return self.back(data.get("next"))


class CartLineUpdateView(CartActionView):
    """Change a line's quantity and warehouse."""

    def post(self, request, pk):
        line = self.line(pk)
        form = CartLineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a quantity greater than zero."))
            return self.back()
        try:
            quantity = ordering.parse_quantity(form.cleaned_data["quantity"])
            warehouse = self.warehouse(form.cleaned_data.get("warehouse"))
            ordering.update_line(line, quantity, warehouse=warehouse)
        except OrderingError as error:
            messages.error(request, str(error))
        return self.back()


class CartLineRemoveView(CartActionView):
    """Take a line out of the cart."""

    def post(self, request, pk):
        ordering.remove_line(self.line(pk))
        messages.success(request, _("Removed from the cart."))
        return self.back()


class CheckoutView(RoleRequiredMixin, View):
    """Legal entity, pickup or delivery, ship date from the calendar, PO number and comment → the order."""

    required_action = Action.PLACE_ORDER
    template_name = "b2b_cabinet/cabinet/checkout.html"

    def options(self):
        self.cart = request_cart(self.request)
        return ordering.checkout_options(self.cart, pricing_context(self.request))

    def render_form(self, form, status=200):
        request = self.request
        return render(request, self.template_name, {
            "page": request.cabinet_page, "form": form, "summary": form.options.summary,
        }, status=status)

    def get(self, request):
        options = self.options()
        if options.summary.is_empty:
            return render(request, self.template_name, {"page": request.cabinet_page, "empty": True})
        return self.render_form(CheckoutForm(options=options))

    def post(self, request):
        options = self.options()
        form = CheckoutForm(request.POST, options=options)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        checkout = ordering.CheckoutRequest(
            legal_entity=data["legal_entity"], ship_date=data["ship_date"],
            delivery_method=data["delivery_method"], pickup_warehouse=data.get("pickup_warehouse"),
            delivery_address=data.get("delivery_address") or "", po_number=data.get("po_number") or "",
            comment=data.get("comment") or "",
        )
        try:
            order = ordering.place_order(self.cart, checkout, actor=Actor.from_request(request),
                                         context=pricing_context(request))
        except OrderingError as error:
            form.add_error(None, str(error))
            return self.render_form(form, status=400)
        if order.credit.warning:
            messages.warning(request, order.credit.warning)
        messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("order_detail", pk=order.pk))


