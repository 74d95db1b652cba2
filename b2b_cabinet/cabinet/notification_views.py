"""The user's notification settings: which events reach them in the cabinet and by email."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from b2b_cabinet.notifications.preferences import preference_table, set_preference
from b2b_cabinet.permissions import Action

from .company import RoleRequiredMixin


class NotificationSettingsView(RoleRequiredMixin, View):
    """A table of event types × channels with a checkbox each; works without JavaScript."""

    required_action = Action.VIEW_DASHBOARD

    def get(self, request):
        return render(request, "b2b_cabinet/cabinet/notification_settings.html", {
            "page": request.cabinet_page, "rows": preference_table(request.user)})

    def post(self, request):
        chosen = set(request.POST.getlist("on"))
        for row in preference_table(request.user):
            for cell in row["channels"]:
                key = f"{row['event_type']}:{cell['channel']}"
                if (key in chosen) != cell["enabled"]:
                    set_preference(request.user, row["event_type"], cell["channel"], key in chosen)
        messages.success(request, _("Notification settings saved."))
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("notification_settings"))
