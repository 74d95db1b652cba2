"""Order on behalf: a staff sales manager opens an assigned company's cabinet, audited.

While it lasts every cabinet page shows a banner with a "Stop" button, the matrix gives the
manager ``permissions.ON_BEHALF_ROLE``, and starting and stopping are written to the audit log.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from b2b_cabinet.models import Company
from b2b_cabinet.permissions import SIGNED_IN, STAFF

from .company import RoleRequiredMixin, on_behalf_company, start_on_behalf, stop_on_behalf
from .forms import CompanyChoiceForm
from .views import CabinetPageContextMixin


class OnBehalfListView(RoleRequiredMixin, CabinetPageContextMixin, TemplateView):
    """The companies this manager is assigned to (all active ones for a superuser), searchable by name."""

    required_action = STAFF
    template_name = "b2b_cabinet/cabinet/on_behalf.html"

    def get_context_data(self, **kwargs):
        companies = Company.objects.assigned_to(self.request.user).order_by("name")
        query = self.request.GET.get("q", "").strip()
        if query:
            companies = companies.filter(name__icontains=query)
        return super().get_context_data(
            companies=companies[:200], query=query, current=on_behalf_company(self.request), **kwargs
        )


class OnBehalfStartView(RoleRequiredMixin, View):
    """POST a company id: act on its behalf. A company not assigned to the manager answers 404."""

    required_action = STAFF
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CompanyChoiceForm(request.POST)
        if not form.is_valid():
            raise Http404
        company = get_object_or_404(Company.objects.assigned_to(request.user), pk=form.cleaned_data["company"])
        start_on_behalf(request, company)
        return HttpResponseRedirect(request.cabinet_page.url)


class OnBehalfStopView(RoleRequiredMixin, View):
    """Stop acting on behalf; back to the list of assigned companies (or the dashboard for non-staff)."""

    required_action = SIGNED_IN
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stop_on_behalf(request)
        page = request.cabinet_page
        return HttpResponseRedirect(page.cabinet_url("on_behalf") if request.user.is_staff else page.url)
