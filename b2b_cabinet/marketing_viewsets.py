"""Wagtail admin for marketing: distributor applications (approve/reject) and the target-action report.

Grouped under a "Marketing" menu. Approving and rejecting are separate staff-only views guarded by
the ``decide_distributorapplication`` permission (granted to groups in Settings → Groups); both
call the use-cases in ``b2b_cabinet.leads``, like any other caller would.
"""

from __future__ import annotations

import csv

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from b2b_cabinet import leads
from b2b_cabinet.exceptions import ApplicationError
from b2b_cabinet.lead_forms import RejectApplicationForm
from b2b_cabinet.models import DistributorApplication, LeadFormPage, LeadKind, LeadSubmission
from b2b_cabinet.sync_viewsets import ReadOnlyModelViewSet


def _decision_urls(namespace: str, application: DistributorApplication, user) -> list[tuple[str, str, str]]:
    """(label, url, icon) of the decisions the user may take on the application now."""
    if application.status != DistributorApplication.Status.NEW or not user.has_perm(leads.DECIDE_PERMISSION):
        return []
    return [
        (_("Approve"), reverse(f"{namespace}:approve", args=[application.pk]), "check"),
        (_("Reject"), reverse(f"{namespace}:reject", args=[application.pk]), "cross"),
    ]


class ApplicationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for label, url, icon in _decision_urls(self.index_url_name.split(":")[0], instance, self.request.user):
            buttons.append(MenuItem(label, url=url, icon_name=icon, priority=5))
        return buttons


class ApplicationInspectView(InspectView):
    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        for label, url, icon in _decision_urls(self.index_url_name.split(":")[0], self.object, self.request.user):
            buttons.append(HeaderButton(label, url=url, icon_name=icon))
        return buttons


class DecisionView(WagtailAdminTemplateMixin, FormView):
    """Confirm an approval, or give a reason for a rejection; POST calls the use-case."""

    template_name = "b2b_cabinet/admin/application_decision.html"
    header_icon = "user"
    url_namespace = ""
    decision = "approve"

    def dispatch(self, request, pk):
        if not request.user.has_perm(leads.DECIDE_PERMISSION):
            raise PermissionDenied
        self.application = get_object_or_404(DistributorApplication, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Approve the application") if self.decision == "approve" else _("Reject the application")

    def get_page_subtitle(self):
        return str(self.application)

    def get_breadcrumbs_items(self):
        label = DistributorApplication._meta.verbose_name_plural
        index = {"url": reverse(f"{self.url_namespace}:index"), "label": label}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.get_page_title()}]

    def get_form_class(self):
        return forms.Form if self.decision == "approve" else RejectApplicationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, decision=self.decision,
            index_url=reverse(f"{self.url_namespace}:index"), **kwargs,
        )

    def form_valid(self, form):
        try:
            if self.decision == "approve":
                leads.approve_application(self.application, by=self.request.user)
                messages.success(self.request, _("Approved: the company and its owner have been created and emailed."))
            else:
                leads.reject_application(self.application, by=self.request.user, reason=form.cleaned_data["reason"])
                messages.success(self.request, _("Rejected: the applicant has been emailed the reason."))
        except ApplicationError as error:
            messages.error(self.request, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(f"{self.url_namespace}:index")


class DistributorApplicationViewSet(ModelViewSet):
    """Applications from the "become a distributor" form, newest first, with approve/reject actions."""

    model = DistributorApplication
    icon = "group"
    menu_label = _("Distributor applications")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    list_display = ["company_name", "inn", "region", "contact_name", "email", "status", "created_at"]
    list_filter = ["status", "region", "created_at"]
    list_export = [
        "created_at", "company_name", "inn", "kpp", "region", "contact_name", "email", "phone", "status",
        "rejection_reason", "decided_by", "decided_at", "company",
    ]
    search_fields = ["company_name", "inn", "email", "contact_name"]
    # Staff may correct typos before deciding; the decision itself only happens through its views.
    form_fields = ["company_name", "inn", "kpp", "region", "contact_name", "email", "phone"]

    def get_urlpatterns(self):
        decision = {"url_namespace": self.url_namespace}
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", DecisionView.as_view(decision="approve", **decision), name="approve"),
            path("reject/<int:pk>/", DecisionView.as_view(decision="reject", **decision), name="reject"),
        ]


def _distinct(field: str):
    def choices():
        values = LeadSubmission.objects.exclude(**{field: ""}).order_by(field).values_list(field, flat=True)
        return [(value, value) for value in values.distinct()[:200]]

    return choices


class TargetActionFilterSet(WagtailFilterSet):
    """Filters of the target-action report: form, action, source, campaign and period."""

    page = django_filters.ModelChoiceFilter(label=_("Form"), queryset=LeadFormPage.objects.order_by("title"))
    kind = django_filters.ChoiceFilter(label=_("Target action"), choices=LeadKind.choices)
    utm_source = django_filters.ChoiceFilter(label=pgettext_lazy("utm", "Source"), choices=_distinct("utm_source"))
    utm_campaign = django_filters.ChoiceFilter(
        label=pgettext_lazy("utm", "Campaign"), choices=_distinct("utm_campaign")
    )
    submit_time = django_filters.DateFromToRangeFilter(label=_("Submitted"), widget=DateRangePickerWidget)

    class Meta:
        model = LeadSubmission
        fields = ["page", "kind", "utm_source", "utm_campaign", "submit_time"]


class TargetActionSummaryView(WagtailAdminTemplateMixin, View):
    """Counts of target actions per form, source and campaign; the same filters; CSV export."""

    template_name = "b2b_cabinet/admin/target_action_summary.html"
    page_title = _("Target actions by source and campaign")
    header_icon = "table"
    url_namespace = ""
    GROUP_BY = ("page__title", "kind", "utm_source", "utm_medium", "utm_campaign")

    def get_breadcrumbs_items(self):
        index = {"url": reverse(f"{self.url_namespace}:index"), "label": LeadSubmission._meta.verbose_name_plural}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.page_title}]

    def get(self, request):
        if not request.user.has_perm("b2b_cabinet.view_leadsubmission"):
            raise PermissionDenied
        filters = TargetActionFilterSet(request.GET, queryset=LeadSubmission.objects.all(), request=request)
        rows = list(
            filters.qs.values(*self.GROUP_BY)
            .annotate(count=Count("pk"), last=Max("submit_time"))
            .order_by("-count", *self.GROUP_BY)
        )
        kinds = dict(LeadKind.choices)
        for row in rows:
            row["kind"] = kinds.get(row["kind"], row["kind"])
        if request.GET.get("export") == "csv":
            return self.as_csv(rows)
        return self.render_to_response(self.get_context_data(
            rows=rows, filters=filters, total=sum(row["count"] for row in rows),
            export_query=request.GET.urlencode(), index_url=reverse(f"{self.url_namespace}:index"),
        ))

    def as_csv(self, rows):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="target-actions.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with a BOM
        writer = csv.writer(response)
        writer.writerow([
            _("Form"), _("Target action"), pgettext_lazy("utm", "Source"), pgettext_lazy("utm", "Medium"),
            pgettext_lazy("utm", "Campaign"), _("Count"),
        ])
        for row in rows:
            writer.writerow([*(row[field] for field in self.GROUP_BY), row["count"]])
        return response


class TargetActionIndexView(IndexView):
    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            Button(
                _("Summary by source and campaign"),
                url=reverse(self.index_url_name.replace(":index", ":summary")),
                icon_name="table",
                priority=5,
            ),
        ]


class LeadSubmissionViewSet(ReadOnlyModelViewSet):
    """Every lead form submission with its attribution: the target-action report, exportable."""

    model = LeadSubmission
    icon = "mail"
    menu_label = _("Target actions")
    index_view_class = TargetActionIndexView
    filterset_class = TargetActionFilterSet
    list_display = ["submit_time", "page", "kind", "utm_source", "utm_medium", "utm_campaign", "referrer"]
    list_export = [
        "submit_time", "page", "kind", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
        "referrer", "landing_url", "form_data",
    ]
    search_fields = ["utm_source", "utm_campaign", "referrer", "page__title"]

    def get_urlpatterns(self):
        summary = TargetActionSummaryView.as_view(url_namespace=self.url_namespace)
        return [*super().get_urlpatterns(), path("summary/", summary, name="summary")]


class MarketingViewSetGroup(ViewSetGroup):
    """The "Marketing" admin menu."""

    menu_label = _("Marketing")
    menu_icon = "mail"
    menu_order = 210
    items = (DistributorApplicationViewSet, LeadSubmissionViewSet)
