"""Saved lists (order templates) and favourites: create, view, fill the cart from, delete.

Lists belong to the company (every buyer of it sees them); favourites to one user. Lookups go
through ``SavedList.objects.for_company(request.company)``, so other companies' lists answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import View

from b2b_cabinet import ordering
from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import OrderingError
from b2b_cabinet.models import Product, SavedList, SavedListLine
from b2b_cabinet.permissions import Action

from .company import RoleRequiredMixin, pricing_context
from .order_views import report
from .ordering_forms import SavedListForm


def visible_lists(request):
    """The company's lists plus the user's own favourites (not colleagues' favourites)."""
    lists = SavedList.objects.for_company(request.company)
    return lists.filter(Q(is_favourites=False) | Q(owner=request.user))


class SavedListsView(RoleRequiredMixin, View):
    """All lists with their sizes; POST creates an empty list, or one from the cart (``from_cart``)."""

    required_action = Action.MANAGE_LISTS

    def get(self, request, form=None):
        return render(request, "b2b_cabinet/cabinet/lists.html", {
            "page": request.cabinet_page, "lists": visible_lists(request).prefetch_related("lines"),
            "form": form or SavedListForm()}, status=400 if form else 200)

    def post(self, request):
        form = SavedListForm(request.POST)
        if not form.is_valid():
            return self.get(request, form)
        name = form.cleaned_data["name"]
        if request.POST.get("from_cart"):
            saved = ordering.save_cart_as_list(ordering.get_cart(request.user, request.company), name, request.user)
        else:
            saved = ordering.create_list(request.company, request.user, name)
        messages.success(request, _("List “%(name)s” saved.") % {"name": saved.name})
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("list_detail", pk=saved.pk))


class SavedListDetailView(RoleRequiredMixin, View):
    """A list's products and quantities."""

    required_action = Action.MANAGE_LISTS

    def get(self, request, pk):
        saved = get_object_or_404(visible_lists(request), pk=pk)
        lines = saved.lines.select_related("product__unit", "variant").order_by("pk")
        return render(request, "b2b_cabinet/cabinet/list_detail.html", {
            "page": request.cabinet_page, "saved_list": saved, "lines": lines})


class ListActionView(RoleRequiredMixin, View):
    """Base for POST-only list actions."""

    required_action = Action.MANAGE_LISTS
    http_method_names = ["post"]

    def saved_list(self, pk) -> SavedList:
        return get_object_or_404(visible_lists(self.request), pk=pk)


class SavedListToCartView(ListActionView):
    """Add every line of the list to the cart."""

    required_action = Action.PLACE_ORDER

    def post(self, request, pk):
        cart = ordering.get_cart(request.user, request.company)
        report(request, ordering.list_to_cart(self.saved_list(pk), cart, actor=Actor.from_request(request)))
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("cart"))


class SavedListDeleteView(ListActionView):
    """Delete a list."""

    def post(self, request, pk):
        saved = self.saved_list(pk)
        saved.delete()
        messages.success(request, _("List “%(name)s” deleted.") % {"name": saved.name})
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("lists"))


class SavedListLineRemoveView(ListActionView):
    """Take a product out of a list."""

    def post(self, request, pk, line_pk):
        saved = self.saved_list(pk)
        get_object_or_404(SavedListLine.objects.filter(saved_list=saved), pk=line_pk).delete()
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("list_detail", pk=saved.pk))


class FavouriteToggleView(ListActionView):
    """Star or unstar a product (from catalogue pages); goes back to ``next`` when it is a local URL."""

    def post(self, request):
        from .cart_views import CartActionView

        try:
            product_id = int(request.POST.get("product", ""))
        except ValueError:
            raise Http404 from None
        product = get_object_or_404(pricing_context(request).assortment.filter(Product.objects.active()),
                                    pk=product_id)
        try:
            added = ordering.toggle_favourite(request.user, request.company, product)
        except OrderingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Added to favourites.") if added else _("Removed from favourites."))
        back = CartActionView()
        back.request = request
        target = request.POST.get("next")
        return back.back(target) if target else HttpResponseRedirect(request.cabinet_page.cabinet_url("lists"))
