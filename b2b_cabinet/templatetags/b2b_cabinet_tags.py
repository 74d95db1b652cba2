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
