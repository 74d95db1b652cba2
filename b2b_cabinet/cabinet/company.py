"""Resolving which company a request acts for, and as whom: a member's own role or staff on behalf.

Two session keys decide it:

- ``b2b_company_id``: the company a member chose in the switcher (only honoured while they still
  have an active membership in it);
- ``b2b_on_behalf_id``: the company a staff sales manager acts for (only honoured while they are
  still assigned to it). It takes precedence over the member's own companies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import render

from b2b_cabinet.audit import Actor, write_audit
from b2b_cabinet.models import AuditAction, Company, Contract, Membership
from b2b_cabinet.permissions import ON_BEHALF_ROLE, Access, Action, can, roles_for

SESSION_KEY = "b2b_company_id"
ON_BEHALF_SESSION_KEY = "b2b_on_behalf_id"


@dataclass(frozen=True)
class Acting:
    """The company a request acts for, the membership that decides permissions, and whether on behalf."""

    company: Company
    membership: Membership
    on_behalf: bool = False


def on_behalf_company(request: HttpRequest) -> Company | None:
    """The company a staff user currently acts on behalf of, if they are still assigned to it."""
    chosen = request.session.get(ON_BEHALF_SESSION_KEY)
    if not chosen or not request.user.is_authenticated:
        return None
    company = Company.objects.assigned_to(request.user).filter(pk=chosen).first()
    if company is None:
        # Assignment withdrawn (or staff status lost) since it started: end it, on the record.
        request.session.pop(ON_BEHALF_SESSION_KEY, None)
        write_audit(Actor.from_request(request), AuditAction.ON_BEHALF_STOP, on_behalf=True,
                    company=Company.objects.filter(pk=chosen).first(), reason="no longer assigned")
    return company


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
    """The request's pricing context, built once: the acting company's terms (a sales manager on
    behalf sees the company's prices too), or the guest's."""
    from b2b_cabinet import pricing

    if not hasattr(request, "_b2b_pricing"):
        company = getattr(request, "company", None) or on_behalf_company(request) or resolve_company(request)
        request._b2b_pricing = pricing.context_for_company(company) if company else pricing.guest_context()
    return request._b2b_pricing


def resolve_acting(request: HttpRequest) -> Acting | None:
    """Who the request acts as; None when the user has no company to act for."""
    company = on_behalf_company(request)
    if company is not None:
        # An unsaved membership: the matrix sees the on-behalf role, nothing is written.
        membership = Membership(user=request.user, company=company, role=ON_BEHALF_ROLE, is_active=True)
        return Acting(company, membership, on_behalf=True)
    company = resolve_company(request)
    if company is None:
        return None
    membership = Membership.objects.get(user=request.user, company=company)
    return Acting(company, membership)


def switch_company(request: HttpRequest, company: Company) -> None:
    """Make ``company`` (one the user belongs to: the caller checks) the acting company; ends any on-behalf."""
    stop_on_behalf(request)
    request.session[SESSION_KEY] = company.pk


def start_on_behalf(request: HttpRequest, company: Company) -> None:
    """Begin acting on behalf of ``company`` (assigned to the staff user: the caller checks), audited."""
    stop_on_behalf(request)
    request.session[ON_BEHALF_SESSION_KEY] = company.pk
    write_audit(Actor.from_request(request), AuditAction.ON_BEHALF_START, company=company, on_behalf=True)


def stop_on_behalf(request: HttpRequest) -> Company | None:
    """End acting on behalf, audited; returns the company it was for, if any."""
    chosen = request.session.pop(ON_BEHALF_SESSION_KEY, None)
    if not chosen:
        return None
    company = Company.objects.filter(pk=chosen).first()
    write_audit(Actor.from_request(request), AuditAction.ON_BEHALF_STOP, company=company, on_behalf=True)
    return company


class RoleRequiredMixin:
    """Every cabinet view's gate: declares ``required_action`` and lets through only who may do it.

    ``required_action`` is an :class:`~b2b_cabinet.permissions.Action` of the permission matrix, or
    an access level: ``PUBLIC``, ``SIGNED_IN`` or ``STAFF``. For actions the mixin requires a
    signed-in user (anonymous visitors go to the cabinet's login page) acting for a company, sets
    ``request.company``, ``request.membership`` and ``request.on_behalf``, and answers 403 when the
    role may not perform the action. A view that declares nothing fails loudly.
    """

    required_action: Action | Access | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        action = cls.__dict__.get("required_action")
        if action is not None and action not in Access.__members__.values():
            roles_for(action)  # raises UnknownAction at import time for a typo

    def dispatch(self, request, *args, **kwargs):
        action = self.required_action
        if action is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare required_action.")
        if action == Access.PUBLIC:
            return super().dispatch(request, *args, **kwargs)
        page = request.cabinet_page
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), page.cabinet_url("login"))
        if action == Access.SIGNED_IN:
            return super().dispatch(request, *args, **kwargs)
        if action == Access.STAFF:
            if not request.user.is_staff:
                return forbidden(request)
            return super().dispatch(request, *args, **kwargs)
        acting = resolve_acting(request)
        if acting is None:
            return render(request, "b2b_cabinet/cabinet/no_company.html", {"page": page}, status=403)
        request.company, request.membership, request.on_behalf = acting.company, acting.membership, acting.on_behalf
        if not can(acting.membership, action):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


#: The name views written before the permission matrix used; they must now declare ``required_action``.
CompanyRequiredMixin = RoleRequiredMixin


def forbidden(request: HttpRequest):
    """The cabinet's 403 page: the role (or account) may not do this."""
    return render(request, "b2b_cabinet/cabinet/forbidden.html", {"page": request.cabinet_page}, status=403)
