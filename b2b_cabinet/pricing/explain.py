"""The buyer-facing answer to "why this price": one sentence per step of the arithmetic.

The sentences are built from the same :class:`~b2b_cabinet.pricing.lines.Step` objects the engine
produced, so the explanation cannot drift from the numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

SOURCES = {
    "contract": lambda: _("the price type of your contract"),
    "region": lambda: _("the price type of your region"),
    "default": lambda: _("the default price type"),
    "guest": lambda: _("the public price type"),
}


def format_money(amount: Decimal, currency: str) -> str:
    """``1 234,50 RUB`` with a no-break space between thousands, as Russian users write it."""
    text = f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0{currency}"


def _method(step, line) -> str:
    if step.detail == "percent":
        percent = (Decimal(100) * (step.before - step.after) / step.before).quantize(Decimal("0.01"))
        return _("%(percent)s%% off") % {"percent": f"{percent.normalize():f}"}
    if step.detail == "capped":
        return _("up to its limit on the total discount")
    if step.detail == "fixed":
        return _("a fixed price")
    return _("the price of another price type")


def explain(line) -> list[str]:
    """Sentences for ``line`` in the active language."""
    if not line.available:
        return [line.reason or _("price on request")]
    cur = line.currency
    out = []
    for step in line.steps:
        values = {"name": step.rule_name, "before": format_money(step.before, cur),
                  "after": format_money(step.after, cur)}
        if step.kind == "base":
            values["source"] = SOURCES.get(step.detail, SOURCES["default"])()
            values["type"] = line.base_price_type
            out.append(_("Base price %(after)s: «%(type)s», %(source)s.") % values)
            if line.rate_source != "base":
                rate = {"rate": f"{line.rate.normalize():f}", "cur": cur}
                if line.rate_source == "contract":
                    out.append(_("Converted at %(rate)s per %(cur)s, the rate fixed in your contract.") % rate)
                else:
                    out.append(_("Converted at %(rate)s per %(cur)s, the exchange rate of the day.") % rate)
        elif step.kind == "rule":
            values["method"] = _method(step, line)
            out.append(_("«%(name)s»: %(method)s, %(before)s → %(after)s.") % values)
        elif step.detail == "tier":
            out.append(_("«%(name)s» not applied: a better volume tier of the same discount applies.") % values)
        elif step.detail == "cap":
            out.append(_("«%(name)s» not applied: the total discount already reaches its limit.") % values)
        elif step.detail == "exclusive":
            out.append(_("«%(name)s» not applied: an exclusive discount gives a lower price.") % values)
        else:
            out.append(_("«%(name)s» not applied: it would not lower the price.") % values)
    total = {"price": format_money(line.unit_price, cur), "qty": f"{line.quantity.normalize():f}",
             "total": format_money(line.total, cur)}
    out.append(_("Your price %(price)s; %(qty)s × %(price)s = %(total)s.") % total)
    return out
