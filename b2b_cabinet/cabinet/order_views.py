"""Order history, order detail with parts and timeline, cancel, repeat; the notification list.

Orders are looked up through ``Order.objects.for_company(request.company)``: another company's
order answers 404, never 403, so its existence is not revealed.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import View

from b2b_cabinet import notifications, ordering
from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.models import Notification, Order, OrderEvent, OrderLine
from b2b_cabinet.permissions import Action, can

from .company import RoleRequiredMixin
from .ordering_forms import OrderFilterForm


def company_orders(request):
    return Order.objects.for_company(request.company)


def report(request, result) -> None:
    """Turn an :class:`~b2b_cabinet.ordering.AddResult` into messages."""
    if result.added:
        messages.success(request, _("%(count)d line(s) added to the cart.") % {"count": len(result.added)})
    for label, note in result.adjusted:
        messages.info(request, f"{label}: {note}")
    for label, reason in result.skipped:
        messages.warning(request, _("%(product)s was not added: %(reason)s") % {"product": label, "reason": reason})


class OrderListView(RoleRequiredMixin, View):
    """The company's orders, newest first, filtered by status, date and text."""

    required_action = Action.VIEW_ORDERS
    paginate_by = 25

    def get(self, request):
        form = OrderFilterForm(request.GET or None)
        orders = company_orders(request).select_related("legal_entity").prefetch_related("parts")
        if form.is_valid():
            data = form.cleaned_data
            if data["status"]:
                orders = orders.filter(status=data["status"])
            if data["date_from"]:
                orders = orders.filter(created_at__date__gte=data["date_from"])
            if data["date_to"]:
                orders = orders.filter(created_at__date__lte=data["date_to"])
            if data["q"]:
                text = data["q"].strip()
                line_match = OrderLine.objects.filter(Q(sku__icontains=text) | Q(name__icontains=text))
                orders = orders.filter(
                    Q(number__icontains=text) | Q(po_number__icontains=text) | Q(comment__icontains=text)
                    | Q(pk__in=line_match.values("order_id"))
                )
        page = Paginator(orders, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "b2b_cabinet/cabinet/orders.html", {
            "page": request.cabinet_page, "form": form, "orders": page, "query": query.urlencode()})


class OrderDetailView(RoleRequiredMixin, View):
    """Lines grouped by part, each part's status and ship date, and the timeline."""

    required_action = Action.VIEW_ORDERS

    def get(self, request, pk):
        lines = OrderLine.objects.select_related("warehouse").order_by("pk")
        order = get_object_or_404(
            company_orders(request).select_related("legal_entity", "pickup_warehouse", "contract", "created_by")
            .prefetch_related(Prefetch("parts__lines", queryset=lines), "parts__warehouse", "parts__producer"),
            pk=pk,
        )
        events = OrderEvent.objects.filter(order=order).select_related("part").order_by("created_at", "pk")
        may_order = can(request.membership, Action.PLACE_ORDER)
        invoices = list(order.invoices.exclude(status="cancelled").select_related("part"))
        return render(request, "b2b_cabinet/cabinet/order_detail.html", {
            "page": request.cabinet_page, "order": order, "parts": order.parts.all(), "events": events,
            "invoices": invoices, "order_invoiced": any(i.part_id is None for i in invoices),
            "shipments": order.shipments.select_related("warehouse", "order_part").prefetch_related("documents"),
            "can_invoice": can(request.membership, Action.PAY_INVOICES) and order.status != "cancelled",
            "can_view_finance": can(request.membership, Action.VIEW_FINANCE),
            "loose_lines": order.lines.filter(part__isnull=True),
            "can_cancel": may_order and ordering.can_cancel(order), "can_repeat": may_order,
        })


class OrderActionView(RoleRequiredMixin, View):
    """Base for POST-only actions on one of the company's orders."""

    required_action = Action.PLACE_ORDER
    http_method_names = ["post"]

    def order(self, pk) -> Order:
        return get_object_or_404(company_orders(self.request), pk=pk)


class OrderCancelView(OrderActionView):
    """Cancel the order while every part still allows it."""

    def post(self, request, pk):
        order = self.order(pk)
        try:
            ordering.cancel_order(order, actor=Actor.from_request(request), note=_("Cancelled in the cabinet."))
        except B2BCabinetError:
            messages.error(request, _("This order can no longer be cancelled."))
        else:
            messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("order_detail", pk=order.pk))


class OrderRepeatView(OrderActionView):
    """Add the order's lines to the cart again, reporting the ones that can't be."""

    def post(self, request, pk):
        cart = ordering.get_cart(request.user, request.company)
        report(request, ordering.reorder(self.order(pk), cart, actor=Actor.from_request(request)))
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("cart"))


class NotificationListView(RoleRequiredMixin, View):
    """The signed-in user's notifications for the acting company; POST marks one (``id``) or all read."""

    required_action = Action.VIEW_DASHBOARD

    def get(self, request):
        items = Notification.objects.for_company(request.company).filter(user=request.user)
        recent = datetime.timedelta(days=90)
        from django.utils import timezone

        items = items.filter(created_at__gte=timezone.now() - recent)[:100]
        return render(request, "b2b_cabinet/cabinet/notifications.html", {
            "page": request.cabinet_page, "notifications": items})

    def post(self, request):
        one = request.POST.get("id", "")
        if one.isdigit():
            notifications.mark_read(request.user, request.company, int(one))
        else:
            notifications.mark_all_read(request.user, request.company)
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("notifications"))
