"""Wagtail admin for notifications.

- "Notifications" menu: CRM webhook endpoints (editable), the delivery log (read-only, with a
  *Resend* button on each delivery's page) and the event outbox (read-only).
- Email templates are Wagtail snippets (:class:`EmailTemplateViewSet`), so staff edit them where
  they edit other reusable content, with revisions and history.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from b2b_cabinet.models import Delivery, EmailTemplate, EventType, OutboxEvent, WebhookEndpoint
from b2b_cabinet.sync_viewsets import ExchangeInspectView, ReadOnlyModelViewSet, _pre


class WebhookEndpointForm(WagtailAdminModelForm):
    """Event types as checkboxes (stored as a JSON list); a URL typed without a scheme means https."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(label=_("events"), choices=EventType.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("None ticked: every event."))

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "secret", "event_types", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}


class WebhookEndpointViewSet(ModelViewSet):
    """CRM endpoints that receive signed events."""

    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Webhook endpoints")
    add_to_admin_menu = False
    list_display = ["name", "url", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm


class DeliveryInspectView(ExchangeInspectView):
    """A delivery with its event's payload and a Resend button."""

    template_name = "b2b_cabinet/admin/delivery_inspect.html"

    def get_field_label(self, field_name, field):
        if field_name == "payload":
            return _("payload")
        return super().get_field_label(field_name, field)

    def get_payload_display_value(self):
        return _pre(json.dumps(self.object.event.payload, indent=2, ensure_ascii=False, sort_keys=True))

    resend_url_name: str = ""

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        context = super().get_context_data(**kwargs)
        context["resend_url"] = reverse(self.resend_url_name, args=[self.object.pk])
        return context


class DeliveryViewSet(ReadOnlyModelViewSet):
    """Every attempt's outcome per channel and recipient; failed ones can be resent."""

    model = Delivery
    icon = "mail"
    menu_label = _("Delivery log")
    inspect_view_class = DeliveryInspectView
    list_display = ["event", "channel", "recipient", "status", "attempts", "response_code", "next_attempt_at",
                    "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event__key", "recipient", "last_error"]
    inspect_view_fields = ["event", "channel", "recipient", "status", "attempts", "response_code", "last_error",
                           "next_attempt_at", "sent_at", "created_at", "payload"]

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(resend_url_name=self.get_url_name("resend"), **kwargs)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path(f"resend/<{self.pk_path_converter}:pk>/", self.resend_view, name="resend")]

    def get_permissions_to_register(self):
        """"view" to read the log, "change" to resend."""
        return super(ReadOnlyModelViewSet, self).get_permissions_to_register().filter(
            codename__in=[get_permission_codename(a, self.model_opts) for a in ("view", "change")])

    @property
    def resend_view(self):
        viewset = self

        @require_POST
        def resend(request, pk):
            if not request.user.has_perm(f"b2b_cabinet.{get_permission_codename('change', viewset.model_opts)}"):
                raise PermissionDenied
            from b2b_cabinet.notifications.delivery import resend as do_resend

            item = get_object_or_404(Delivery, pk=pk)
            status = do_resend(item)
            level = messages.SUCCESS if status == Delivery.Status.SENT else messages.ERROR
            messages.add_message(request, level, format_html(_("Resent: {}"), Delivery.Status(status).label))
            return redirect(viewset.get_url_name("inspect"), pk)

        return resend


class OutboxEventInspectView(ExchangeInspectView):
    """The event with its payload pretty-printed."""

    def get_payload_display_value(self):
        return _pre(json.dumps(self.object.payload, indent=2, ensure_ascii=False, sort_keys=True))


class OutboxEventViewSet(ReadOnlyModelViewSet):
    """Events as published, with their payloads (what the CRM receives)."""

    model = OutboxEvent
    inspect_view_class = OutboxEventInspectView
    icon = "history"
    menu_label = _("Events")
    list_display = ["key", "event_type", "company", "order", "created_at", "dispatched_at"]
    list_filter = ["event_type"]
    search_fields = ["key"]
    inspect_view_fields = ["key", "event_type", "company", "order", "part", "created_at", "dispatched_at",
                           "payload"]


class EmailTemplateViewSet(SnippetViewSet):
    """Email texts per event and language, edited by staff."""

    model = EmailTemplate
    icon = "mail"
    menu_label = _("Email templates")
    list_display = ["__str__", "subject", "language"]
    list_filter = ["event_type", "language"]
    add_to_admin_menu = False


class NotificationViewSetGroup(ViewSetGroup):
    """The "Notifications" admin menu."""

    menu_label = _("Notifications")
    menu_icon = "mail"
    menu_order = 220
    items = (WebhookEndpointViewSet, DeliveryViewSet, OutboxEventViewSet)
