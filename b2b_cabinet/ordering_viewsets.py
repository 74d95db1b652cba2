"""Admin for ordering: order parts (inspect), the order timeline and carts, all read-only.

Statuses are not edited through these forms: every change must go through
``b2b_cabinet.ordering.set_order_status`` (events, stock release, notifications), which staff reach
from the order page's status actions in a later issue, and 1C through the exchange.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy

from b2b_cabinet import models as m
from b2b_cabinet.viewsets import B2BModelViewSet, ViewOnlyPermissionPolicy

for _model in (m.OrderPart, m.OrderEvent, m.Cart):
    register_permission_policy(_model, ViewOnlyPermissionPolicy(_model))


class ReadOnlyViewSet(B2BModelViewSet):
    """List, filter, export and inspect; no add, edit, copy or delete."""

    copy_view_enabled = False


class OrderPartViewSet(ReadOnlyViewSet):
    model = m.OrderPart
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
