"""Pricing made understandable: tiers per company size, and a calculator that gives a price range."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import formula as formulas
from .choosers import ProductChooserBlock

#: The calculator's variable holding the chosen product's live price.
PRICE_VARIABLE = "price"


class TierBlock(blocks.StructBlock):
    """One plan: who it is for, an example price, what it includes and a button."""

    name = blocks.CharBlock(label=_("name"), max_length=80)
    company_size = blocks.CharBlock(label=_("for whom"), max_length=120, help_text=_("E.g. up to 50 employees."))
    example_price = blocks.CharBlock(label=_("example price"), max_length=80)
    features = blocks.TextBlock(label=_("what is included"), help_text=_("One item per line."), required=False)
    highlighted = blocks.BooleanBlock(label=_("highlight"), required=False)
    button_text = blocks.CharBlock(label=_("button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or URL"), required=False)


class PricingTiersBlock(blocks.StructBlock):
    """Plans per company size with example prices and a "discuss with a manager" call to action."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    tiers = blocks.ListBlock(TierBlock(), label=_("plans"), min_num=1, max_num=5)
    note = blocks.CharBlock(label=_("note under the table"), max_length=250, required=False)
    manager_text = blocks.CharBlock(label=_("manager call to action"), max_length=80, required=False)
    manager_page = blocks.PageChooserBlock(label=_("manager page"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Pricing tiers")
        template = "b2b_cabinet/blocks/pricing_tiers.html"
        description = _("Plans per company size with an example price and a call to action.")
        preview_value = {
            "title": "Тарифы для партнёров",
            "tiers": [
                {"name": "Старт", "company_size": "до 10 сотрудников", "example_price": "от 150 000 ₽ в квартал",
                 "features": "Базовая скидка 10 %\nОтсрочка 14 дней", "button_text": "Оставить заявку",
                 "highlighted": False},
                {"name": "Бизнес", "company_size": "10–100 сотрудников", "example_price": "от 1 млн ₽ в квартал",
                 "features": "Скидка 18 %\nОтсрочка 30 дней\nПерсональный менеджер",
                 "button_text": "Оставить заявку", "highlighted": True},
            ],
            "manager_text": "Обсудить с менеджером",
        }


class CalculatorInputBlock(blocks.StructBlock):
    """A number the visitor enters; the formula refers to it by ``name``."""

    name = blocks.CharBlock(
        label=_("variable name"), max_length=30,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Latin lower-case letters, digits and _."))],
        help_text=_("Used in the formula, e.g. meters."),
    )
    label = blocks.CharBlock(label=_("label"), max_length=120)
    unit = blocks.CharBlock(label=_("unit"), max_length=20, required=False)
    minimum = blocks.DecimalBlock(label=_("minimum"), default=0)
    maximum = blocks.DecimalBlock(label=_("maximum"), default=1000)
    default = blocks.DecimalBlock(label=_("default"), default=1)
    step = blocks.DecimalBlock(label=_("step"), default=1, min_value=Decimal("0.001"))


class PriceCalculatorBlock(blocks.StructBlock):
    """Editor-defined inputs and a formula give a price range; ``price`` is a product's live price.

    The page works without JavaScript: the inputs are a GET form and the range is computed on the
    server when the page is rendered, from that request's parameters (prefixed per calculator).
    """

    title = blocks.CharBlock(label=_("title"), max_length=150)
    inputs = blocks.ListBlock(CalculatorInputBlock(), label=_("inputs"), min_num=1, max_num=8)
    product = ProductChooserBlock(
        label=_("product for the live price"), required=False,
        help_text=_("Its current price (the default price type) is the formula's variable price."),
    )
    formula = blocks.CharBlock(
        label=_("formula"), max_length=formulas.MAX_LENGTH,
        help_text=_("Arithmetic with the inputs' names and price, e.g. price * meters * 1.1 + 5000."),
    )
    spread_percent = blocks.DecimalBlock(
        label=_("range, ± %"), default=10, min_value=0, max_value=100,
        help_text=_("The result is shown as a range this far either side of the formula's value."),
    )
    note = blocks.CharBlock(label=_("note"), max_length=250, required=False)

    class Meta:
        icon = "form"
        label = _("Price calculator")
        template = "b2b_cabinet/blocks/price_calculator.html"
        description = _("Visitors enter a few numbers; a formula gives an indicative price range.")
        preview_value = {
            "title": "Сколько стоит оснащение объекта",
            "inputs": [
                {"name": "meters", "label": "Количество точек учёта", "unit": "шт.", "minimum": 1,
                 "maximum": 5000, "default": 50, "step": 1},
            ],
            "formula": "meters * 12500 + 90000",
            "spread_percent": 15,
        }

    def clean(self, value):
        value = super().clean(value)
        declared = {item["name"] for item in value["inputs"]}
        try:
            used = formulas.names(value["formula"])
        except formulas.FormulaError as error:
            raise self._formula_error(_("The formula is not valid: %(error)s.") % {"error": error}) from None
        unknown = used - declared - {PRICE_VARIABLE}
        if unknown:
            message = _("Unknown names in the formula: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            raise self._formula_error(message)
        if PRICE_VARIABLE in used and value["product"] is None:
            raise self._formula_error(_("The formula uses price: choose the product it comes from."))
        for item in value["inputs"]:
            if not item["minimum"] <= item["default"] <= item["maximum"]:
                raise self._formula_error(
                    _("The default of %(name)s must lie between its minimum and maximum.") % {"name": item["name"]}
                )
        return value

    @staticmethod
    def _formula_error(message):
        return blocks.StructBlockValidationError(block_errors={"formula": ValidationError(message)})

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["calculator"] = calculate(value, request.GET if request is not None else {})
        return context


def live_price(product) -> Decimal | None:
    """The product's price in the default price type (else the RRP), or None when it has none."""
    from b2b_cabinet.models import Price

    prices = Price.objects.filter(product=product, variant__isnull=True, price_type__is_active=True)
    price = prices.order_by("-price_type__is_default", "-price_type__is_rrp", "price_type__pk").first()
    return price.value if price else None


def calculate(value, params) -> dict:
    """The calculator's inputs as the visitor set them (clamped to their bounds) and the price range."""
    prefix = "calc" + hashlib.sha256(value["formula"].encode()).hexdigest()[:6]
    fields, variables = [], {}
    for item in value["inputs"]:
        field_name = f"{prefix}-{item['name']}"
        try:
            number = Decimal(str(params.get(field_name, item["default"])).replace(",", "."))
        except InvalidOperation:
            number = item["default"]
        if not number.is_finite():
            number = item["default"]
        number = min(max(number, item["minimum"]), item["maximum"])
        variables[item["name"]] = number
        fields.append({**item, "field_name": field_name, "value": number})
    result = {"prefix": prefix, "fields": fields, "low": None, "high": None, "error": ""}
    if PRICE_VARIABLE in formulas.names(value["formula"]):
        price = live_price(value["product"]) if value["product"] else None
        if price is None:
            result["error"] = _("The price is not available now; ask a manager.")
            return result
        variables[PRICE_VARIABLE] = price
    try:
        amount = formulas.evaluate(value["formula"], variables)
    except formulas.FormulaError:
        result["error"] = _("These values cannot be calculated; ask a manager.")
        return result
    spread = Decimal(value["spread_percent"] or 0) / 100
    whole = Decimal("1")
    result["low"] = max(amount * (1 - spread), Decimal(0)).quantize(whole, ROUND_HALF_UP)
    result["high"] = max(amount * (1 + spread), Decimal(0)).quantize(whole, ROUND_HALF_UP)
    return result
