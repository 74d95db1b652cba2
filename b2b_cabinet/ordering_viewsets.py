"""Admin for ordering: order parts (inspect), the order timeline and carts, all read-only.

Statuses are not edited through these forms: every change goes through
``b2b_cabinet.ordering.set_order_status`` (events, stock release, notifications). Staff with the
"change order" permission use the status form on an order part's inspect page; 1C uses the exchange.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic import InspectView
from wagtail.permissions import register_permission_policy

from b2b_cabinet import models as m
from b2b_cabinet import ordering
from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.viewsets import B2BModelViewSet, ViewOnlyPermissionPolicy

for _model in (m.OrderPart, m.OrderEvent, m.Cart):
    register_permission_policy(_model, ViewOnlyPermissionPolicy(_model))


class ReadOnlyViewSet(B2BModelViewSet):
    """List, filter, export and inspect; no add, edit, copy or delete."""

    copy_view_enabled = False


def may_change_status(user) -> bool:
    """Staff who may edit orders may move their parts' statuses."""
    return user.is_active and user.is_staff and user.has_perm("b2b_cabinet.change_order")


class OrderPartInspectView(InspectView):
    """The part's fields plus, for staff allowed to, a form to move its status."""

    template_name = "b2b_cabinet/admin/orderpart_inspect.html"
    status_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        part = self.object
        context["status_choices"] = [(s, m.OrderStatus(s).label) for s in m.TRANSITIONS.get(part.status, ())]
        context["may_change_status"] = may_change_status(self.request.user)
        context["status_url"] = reverse(self.status_url_name, args=[part.pk])
        return context


class OrderPartStatusView(View):
    """POST ``status`` and ``note``: ``set_order_status`` by a staff user (source "staff")."""

    viewset = None
    http_method_names = ["post"]

    def post(self, request, pk):
        if not may_change_status(request.user):
            raise PermissionDenied
        part = get_object_or_404(m.OrderPart, pk=pk)
        try:
            ordering.set_order_status(part, request.POST.get("status", ""), actor=request.user,
                                      source=m.EventSource.STAFF, note=request.POST.get("note", "")[:1000])
        except (B2BCabinetError, ValueError):
            messages.error(request, gettext("This status change is not allowed."))
        else:
            messages.success(request, gettext("Status changed."))
        return redirect(self.viewset.get_url_name("inspect"), pk)


class OrderPartViewSet(ReadOnlyViewSet):
    model = m.OrderPart
    inspect_view_class = OrderPartInspectView
    icon = "list-ul"
    menu_label = _("Order parts")
    list_display = ["number", "order", "warehouse", "producer", "exchange_node", "status", "ship_date", "total"]
    list_filter = ["status", "warehouse", "producer", "exchange_node", "ship_date"]
    list_export = ["number", "order", "warehouse", "producer", "exchange_node", "status", "ship_date", "total",
                   "reserved"]
    search_fields = ["number", "order__number", "order__company__name"]
    inspect_view_fields = ["number", "order", "index", "warehouse", "producer", "exchange_node", "status",
                           "ship_date", "total", "reserved"]
    form_fields = ["ship_date"]

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(status_url_name=self.get_url_name("status"), **kwargs)

    def get_urlpatterns(self):
        status_view = OrderPartStatusView.as_view(viewset=self)
        return [*super().get_urlpatterns(), path("status/<int:pk>/", status_view, name="status")]


class OrderEventViewSet(ReadOnlyViewSet):
    model = m.OrderEvent
    icon = "history"
    menu_label = _("Order timeline")
    list_display = ["created_at", "order", "part", "from_status", "to_status", "source", "actor_repr"]
    list_filter = ["source", "to_status", "created_at"]
    list_export = ["created_at", "order", "part", "from_status", "to_status", "source", "actor_repr", "note"]
    search_fields = ["order__number", "actor_repr", "note"]
    inspect_view_fields = ["created_at", "order", "part", "actor", "actor_repr", "source", "from_status",
                           "to_status", "note"]
    form_fields = ["note"]


class CartViewSet(ReadOnlyViewSet):
    model = m.Cart
    icon = "form"
    menu_label = _("Carts")
    list_display = ["user", "company", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["company__name", "user__email"]
    inspect_view_fields = ["user", "company", "created_at", "updated_at"]
    form_fields = ["company"]


ORDERING_VIEWSETS = (OrderPartViewSet, OrderEventViewSet, CartViewSet)
