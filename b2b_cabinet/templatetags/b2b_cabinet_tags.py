"""Template tags for cabinet and catalogue templates."""

from decimal import Decimal

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def cabinet_url(context, name, *args, **kwargs):
    """URL of a cabinet view under the current cabinet page: ``{% cabinet_url "login" %}``."""
    return context["request"].cabinet_page.cabinet_url(name, *args, **kwargs)


@register.filter
def qty(value):
    """A quantity without trailing zeros: 12.000 → 12, 2.500 → 2.5."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def money(value):
    """Roubles with a thin space between thousands and a comma before kopecks: 1 719,50."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",")


@register.inclusion_tag("b2b_cabinet/cabinet/includes/cabinet_bar.html", takes_context=True)
def cabinet_bar(context):
    """The cabinet header bar: the on-behalf banner, or the company switcher for members of several companies."""
    from b2b_cabinet.cabinet.company import on_behalf_company, resolve_company
    from b2b_cabinet.models import Company
    from b2b_cabinet.permissions import Action, can

    request = context["request"]
    bar = {"request": request, "page": request.cabinet_page, "csrf_token": context.get("csrf_token")}
    if not request.user.is_authenticated:
        return bar
    on_behalf = getattr(request, "company", None) if getattr(request, "on_behalf", False) else None
    bar["on_behalf"] = on_behalf or on_behalf_company(request)
    if bar["on_behalf"] is None:
        bar["companies"] = list(Company.objects.for_user(request.user).order_by("name", "pk"))
        bar["current"] = getattr(request, "company", None) or resolve_company(request)
        membership = getattr(request, "membership", None)
        bar["can_manage_team"] = membership is not None and can(membership, Action.MANAGE_TEAM)
    membership = getattr(request, "membership", None)
    company = getattr(request, "company", None)
    if membership is not None and company is not None:
        from b2b_cabinet.notifications import unread_count

        bar["can_order"] = can(membership, Action.PLACE_ORDER)
        bar["can_manage_lists"] = can(membership, Action.MANAGE_LISTS)
        bar["can_view_orders"] = can(membership, Action.VIEW_ORDERS)
        bar["can_view_finance"] = can(membership, Action.VIEW_FINANCE)
        bar["unread"] = unread_count(request.user, company)
        bar["show_menu"] = True
    bar["is_staff"] = request.user.is_staff
    return bar


@register.filter
def cabinet_page_url(page, name):
    """URL of a cabinet view under ``page`` when no request is at hand: ``{{ page|cabinet_page_url:"team" }}``."""
    return page.cabinet_url(name)
