"""Filters for finance documents: money and quantities in the Russian notation (``1 234,50``)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """``Decimal("1234.5")`` → ``1 234,50`` (thin non-breaking space between thousands)."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


@register.filter
def qty(value) -> str:
    """A quantity without trailing zeros: ``2.000`` → ``2``, ``1.500`` → ``1,5``."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
