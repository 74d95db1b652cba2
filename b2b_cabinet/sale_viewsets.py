"""Wagtail admin for the 1C order exchange: each node's status table (1C status id → portal status).

Joins the "1C exchange" menu (``sync_viewsets.ExchangeViewSetGroup``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from b2b_cabinet.models import OrderStatus, StatusMapping


class StatusMappingForm(WagtailAdminModelForm):
    """The portal status as a choice of the status set."""

    status = forms.ChoiceField(label=_("portal status"), choices=OrderStatus.choices)

    class Meta:
        model = StatusMapping
        fields = ["node", "onec_status", "onec_name", "status", "use_for_export"]


class StatusMappingViewSet(ModelViewSet):
    """Per node: which 1C order status id means which portal status."""

    model = StatusMapping
    icon = "list-ul"
    menu_label = _("Status mappings")
    add_to_admin_menu = False
    list_display = ["node", "onec_status", "onec_name", "status", "use_for_export"]
    list_filter = ["node", "status", "use_for_export"]
    search_fields = ["onec_status", "onec_name"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return StatusMappingForm
