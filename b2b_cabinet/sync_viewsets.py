"""Wagtail admin for the 1C exchange: exchange nodes, exchange sessions and import runs.

Grouped under a "1C exchange" menu, apart from the "B2B" trade data. Import runs and exchange
sessions are written only by the import pipeline and the exchange endpoint, so their viewsets are
read-only: the add, edit, copy and delete views are not routed at all (not merely hidden), and only
the "view" permission is offered for them in group settings. Exchange nodes are edited here, with
a write-only "new password" field: the stored hash is never rendered.
"""

from __future__ import annotations

import json
from datetime import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_permission_codename
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from b2b_cabinet.models import ExchangeNode, ExchangeSession, ImportRun
from b2b_cabinet.sale_viewsets import StatusMappingViewSet

#: Issues listed on a run's inspect page; the pipeline keeps at most 1,000 per run anyway.
ISSUES_SHOWN = 1000

#: URL names of the views a read-only viewset does not route.
WRITE_VIEWS = ("add", "edit", "copy", "delete")


def _pre(text: str):
    """``text`` preformatted (tracebacks, JSON), escaped."""
    return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)


def _seconds(value: float | None) -> str | None:
    """A duration in seconds with one decimal, or None while the run is still going."""
    return None if value is None else f"{value:.1f}"


class InspectURLFinder(ModelAdminURLFinder):
    """Finds the inspect URL of objects that have no edit view, for users allowed to view them."""

    inspect_url_name: str = ""

    def construct_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and policy and not policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)


class ReadOnlyModelViewSet(ModelViewSet):
    """A viewset with index, inspect, history and usage views only.

    The write views are left out of the URL patterns, and their URL names are passed to the views as
    ``None`` so that no listing, header or inspect button points at them. Even a superuser gets a
    404 for ``…/new/`` or ``…/edit/<pk>/``.
    """

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    list_per_page = 50
    # Sessions are saved on every 1C request and runs at each import step; tracking them in the reference
    # index would queue an index update for each of those saves, for no admin benefit.
    add_to_reference_index = False

    @property
    def url_finder_class(self):
        """Admin links to these objects (history reports, usage listings) go to the inspect view."""
        return type("_InspectURLFinder", (InspectURLFinder,), {"inspect_url_name": self.get_url_name("inspect")})

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in WRITE_VIEWS:
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        # Built here rather than filtered from super(): constructing the write views would need a form.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(f"history-results/<{conv}:pk>/", self.history_results_view, name="history_results"),
            path(f"usage/<{conv}:pk>/", self.usage_view, name="usage"),
        ]

    def get_permissions_to_register(self):
        """Only "view": add/change/delete would be meaningless in the group permission editor."""
        return super().get_permissions_to_register().filter(
            codename=get_permission_codename("view", self.model_opts)
        )


class ExchangeInspectView(InspectView):
    """Wagtail's inspect view, with times in the site's time zone and booleans as words.

    The generic template formats values with ``|localize``, which skips the conversion of aware
    datetimes to the current time zone that a plain ``{{ value }}`` does; listings do convert, so
    without this the two pages would disagree by the UTC offset.
    """

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value


# --- Import runs ----------------------------------------------------------------------------------


class ImportRunInspectView(ExchangeInspectView):
    """The run's fields, then a table of its issues (file, line, element, 1C Ид, message)."""

    template_name = "b2b_cabinet/admin/importrun_inspect.html"

    labels = {
        "duration": _("Duration (s)"),
        "items_per_second": _("Items per second"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return self.labels[field_name]
        return super().get_field_label(field_name, field)

    def get_files_display_value(self):
        return format_html_join("", "<div>{}</div>", ((name,) for name in self.object.files or [])) or "—"

    def get_error_display_value(self):
        return _pre(self.object.error) if self.object.error else "—"

    def get_duration_display_value(self):
        return _seconds(self.object.duration) or "—"

    def get_items_per_second_display_value(self):
        value = self.object.items_per_second
        return "—" if value is None else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issues = self.object.issues.order_by("pk")
        total = issues.count()
        context.update(
            issues=list(issues[:ISSUES_SHOWN]),
            issues_total=total,
            issues_truncated=total > ISSUES_SHOWN,
            issues_shown=ISSUES_SHOWN,
        )
        return context


class ImportRunViewSet(ReadOnlyModelViewSet):
    """Import runs: what was read, what changed, how fast, and the issues of each run."""

    model = ImportRun
    icon = "history"
    menu_label = _("Import runs")
    inspect_view_class = ImportRunInspectView
    list_display = [
        "started_at",
        "source",
        "node",
        "kinds",
        "is_full",
        "status",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "rejected",
        Column("duration", label=_("Duration (s)"), accessor=lambda run: _seconds(run.duration)),
        Column("items_per_second", label=_("Items per second")),
    ]
    list_filter = ["status", "source", "node", "is_full"]
    list_export = [
        "started_at",
        "get_source_display",
        "node",
        "kinds",
        "is_full",
        "get_status_display",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "rejected",
        "duration",
        "items_per_second",
    ]
    export_headings = {
        "get_source_display": _("Source"),
        "get_status_display": _("Status"),
        "duration": _("Duration (s)"),
        "items_per_second": _("Items per second"),
    }
    search_fields = ["files", "error"]
    inspect_view_fields = [
        "status",
        "source",
        "node",
        "session",
        "kinds",
        "is_full",
        "dry_run",
        "files",
        "started_at",
        "finished_at",
        "duration",
        "items",
        "items_per_second",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "rejected",
        "error",
    ]


# --- Exchange sessions ----------------------------------------------------------------------------


class ExchangeSessionInspectView(ExchangeInspectView):
    """Session fields; the JSON state pretty-printed (the token and sessid are never listed)."""

    def get_state_display_value(self):
        return _pre(json.dumps(self.object.state or {}, indent=2, ensure_ascii=False, sort_keys=True))


class ExchangeSessionViewSet(ReadOnlyModelViewSet):
    """1C conversations (checkauth → … → success), read-only."""

    model = ExchangeSession
    icon = "link"
    menu_label = _("Exchange sessions")
    inspect_view_class = ExchangeSessionInspectView
    list_display = ["node", "kind", "created_at", "last_seen_at", "is_closed", "version"]
    list_filter = ["kind", "is_closed", "node"]
    list_export = ["node", "get_kind_display", "created_at", "last_seen_at", "is_closed", "version"]
    export_headings = {"get_kind_display": _("Type")}
    search_fields = ["node__name", "node__login", "version"]
    # An allow-list, so that the cookie token and sessid never reach the page.
    inspect_view_fields = ["node", "kind", "created_at", "last_seen_at", "version", "is_closed", "state"]


# --- Exchange nodes -------------------------------------------------------------------------------


class ExchangeNodeForm(WagtailAdminModelForm):
    """Node settings plus a write-only exchange password, stored with ``ExchangeNode.set_password``.

    The password is required when a node is created and optional afterwards: an empty field keeps the
    current one. The hash is not a form field, so it is neither shown nor submitted.
    """

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text=_("The password 1C uses for this exchange login."),
    )

    field_order = ["name", "login", "new_password", "is_active", "imports_catalog", "exports_orders",
                   "schema_version", "query_encoding", "sale_watermark", "producers", "warehouses"]

    class Meta:
        model = ExchangeNode
        fields = ["name", "login", "is_active", "imports_catalog", "exports_orders", "schema_version",
                  "query_encoding", "sale_watermark", "producers", "warehouses"]
        widgets = {
            "producers": forms.CheckboxSelectMultiple,
            "warehouses": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional in the form, so that forms posted without it (older clients, tests) keep the default.
        self.fields["query_encoding"].required = False
        field = self.fields["new_password"]
        if self.instance.pk and self.instance.password:
            field.help_text = _("Leave empty to keep the current password.")
        else:
            field.required = True

    def clean_query_encoding(self):
        return self.cleaned_data.get("query_encoding") or "windows-1251"

    def save(self, commit=True):
        if password := self.cleaned_data.get("new_password"):
            self.instance.set_password(password)
        return super().save(commit=commit)


class ExchangeNodeViewSet(ModelViewSet):
    """The 1C bases allowed to exchange, with their own logins."""

    model = ExchangeNode
    icon = "key"
    menu_label = _("Exchange nodes")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False  # logins are unique and the password is not copied: nothing to gain
    list_per_page = 50
    list_display = ["name", "login", "is_active", "imports_catalog", "last_exchange_at"]
    list_filter = ["is_active", "imports_catalog"]
    list_export = ["name", "login", "is_active", "imports_catalog", "last_exchange_at"]
    search_fields = ["name", "login"]
    # An allow-list, so that the password hash never reaches the page.
    inspect_view_class = ExchangeInspectView
    inspect_view_fields = ["name", "login", "is_active", "imports_catalog", "exports_orders", "schema_version",
                           "query_encoding", "sale_watermark", "sale_confirmed_at", "producers", "warehouses",
                           "status_mappings", "last_exchange_at"]

    def get_form_class(self, for_update=False):
        return ExchangeNodeForm


class ExchangeViewSetGroup(ViewSetGroup):
    """The "1C exchange" admin menu."""

    menu_label = _("1C exchange")
    menu_icon = "resubmit"
    menu_order = 210
    items = (ImportRunViewSet, ExchangeNodeViewSet, StatusMappingViewSet, ExchangeSessionViewSet)
