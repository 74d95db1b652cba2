"""Resolving which company a request acts for, once per request."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import render

from b2b_cabinet.models import Company, Contract, Membership

SESSION_KEY = "b2b_company_id"


def resolve_company(request: HttpRequest) -> Company | None:
    """The company chosen in the session if the user still belongs to it, else their first one."""
    if not request.user.is_authenticated:
        return None
    # Region, price types and contracts come along: the pricing context needs them on every page.
    contracts = Prefetch("contracts", queryset=Contract.objects.select_related("price_type"))
    companies = Company.objects.for_user(request.user).select_related("region__price_type").prefetch_related(contracts)
    chosen = request.session.get(SESSION_KEY)
    company = companies.filter(pk=chosen).first() if chosen else None
    return company or companies.order_by("name", "pk").first()


def pricing_context(request: HttpRequest):
    """The request's pricing context, built once: the company's terms, or the guest's."""
    from b2b_cabinet import pricing

    if not hasattr(request, "_b2b_pricing"):
        company = getattr(request, "company", None) or resolve_company(request)
        request._b2b_pricing = pricing.context_for_company(company) if company else pricing.guest_context()
    return request._b2b_pricing


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
