"""Demo pricing: Альфа and Бета get visibly different prices, and each difference has a reason.

- Альфа (Урал, price type «Дилерская», roubles): 5 % off IEK (exclusive); the «Дилеры 1-го
  уровня» group gets 2 % off everything, stacked and capped at 10 %; a volume tier of 3 % from 10
  units and 6 % from 50 on Schneider Electric.
- Бета (Центр, «Оптовая», dollars at the contract's fixed 92.5): a fixed price on one product; its
  region does not sell DEKraft.
- A daily USD rate exists too, so the admin preview shows the fixed rate winning over it.
Idempotent: rules are looked up by name.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from b2b_cabinet.models import Brand, Company, CompanyGroup, CurrencyRate, DiscountRule, Product, Region

RULE = DiscountRule.Combination


def _rule(name: str, **fields) -> DiscountRule:
    rule, _created = DiscountRule.objects.update_or_create(name=name, defaults=fields)
    return rule


def ensure_pricing() -> None:
    """Rules, a company group, a daily rate and a region assortment rule for the demo companies."""
    alpha = Company.objects.filter(name="Альфа").first()
    beta = Company.objects.filter(name="Бета").first()
    brands = {b.name: b for b in Brand.objects.all()}
    if alpha is None or beta is None or not brands:
        return
    group, _ = CompanyGroup.objects.get_or_create(name="Дилеры 1-го уровня")
    group.companies.add(alpha)
    if "IEK" in brands:
        _rule("Альфа: −5 % на IEK", company=alpha, brand=brands["IEK"], method="percent", value=Decimal(5),
              combination=RULE.EXCLUSIVE, priority=10)
    _rule("Дилеры 1-го уровня: −2 % на всё", company_group=group, method="percent", value=Decimal(2),
          combination=RULE.CAPPED, cap_percent=Decimal(10))
    if "Schneider Electric" in brands:
        for percent, from_qty in ((3, 10), (6, 50)):
            _rule(f"Альфа: Schneider Electric от {from_qty} шт. −{percent} %", company=alpha,
                  brand=brands["Schneider Electric"], method="percent", value=Decimal(percent),
                  min_quantity=Decimal(from_qty), combination=RULE.STACKED)
    product = Product.objects.filter(is_active=True, prices__isnull=False).order_by("pk").first()
    if product is not None:
        price = product.prices.filter(variant__isnull=True).order_by("value").first()
        if price is not None:
            _rule(f"Бета: спеццена на {product.sku or product.name}", company=beta, product=product,
                  method="fixed", value=(price.value * Decimal("0.8")).quantize(Decimal("0.01")), currency="RUB",
                  combination=RULE.EXCLUSIVE)
    CurrencyRate.objects.get_or_create(currency="USD", date=timezone.localdate(),
                                       defaults={"rate": Decimal("95.0000"), "source": CurrencyRate.Source.ADMIN})
    center = Region.objects.filter(name="Центр").first()
    if center is not None and "DEKraft" in brands:
        center.assortment_rules.get_or_create(mode="exclude", brand=brands["DEKraft"])
