"""Resolving which company a request acts for, once per request."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import render

from b2b_cabinet.models import Company, Membership

SESSION_KEY = "b2b_company_id"


def resolve_company(request: HttpRequest) -> Company | None:
    """The company chosen in the session if the user still belongs to it, else their first one."""
    if not request.user.is_authenticated:
        return None
    companies = Company.objects.for_user(request.user)
    chosen = request.session.get(SESSION_KEY)
    company = companies.filter(pk=chosen).first() if chosen else None
    return company or companies.order_by("name", "pk").first()


class CompanyRequiredMixin:
    """Cabinet views: require login (to the cabinet's own login page) and an active company.

    Sets ``request.company`` and ``request.membership``; a signed-in user with no company gets a
    403 page that explains why instead of a bare error.
    """

    def dispatch(self, request, *args, **kwargs):
        page = request.cabinet_page
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), page.cabinet_url("login"))
        request.company = resolve_company(request)
        if request.company is None:
            return render(request, "b2b_cabinet/cabinet/no_company.html", {"page": page}, status=403)
        request.membership = Membership.objects.get(user=request.user, company=request.company)
        return super().dispatch(request, *args, **kwargs)
