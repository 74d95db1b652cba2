"""Test data builders: small functions with sensible defaults, overridable by keyword."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from b2b_cabinet.models import (
    Brand,
    CabinetPage,
    CatalogPage,
    Category,
    Company,
    Contract,
    CurrencyRate,
    DiscountRule,
    LegalEntity,
    Membership,
    Order,
    OrderLine,
    Price,
    PriceType,
    Product,
    StockLevel,
    Warehouse,
)

_seq = itertools.count(1)


def n() -> int:
    """A number unique within the test run."""
    return next(_seq)


def user(email: str | None = None, password: str = "pw", **extra):
    email = email or f"user{n()}@example.com"
    return get_user_model().objects.create_user(username=email, email=email, password=password, **extra)


def company(name: str | None = None, **extra) -> Company:
    return Company.objects.create(name=name or f"Company {n()}", **extra)


def legal_entity(company: Company, **extra) -> LegalEntity:
    i = n()
    defaults = {"name": f"ООО «Юрлицо {i}»", "inn": f"{7700000000 + i}", "kpp": "770101001"}
    return LegalEntity.objects.create(company=company, **{**defaults, **extra})


def contract(company: Company, **extra) -> Contract:
    return Contract.objects.create(company=company, number=extra.pop("number", f"Д-{n()}"), **extra)


def member(company: Company, role: str = Membership.Role.BUYER, **user_extra):
    """A user who belongs to ``company`` with ``role``."""
    u = user(**user_extra)
    Membership.objects.create(user=u, company=company, role=role)
    return u


def price_type(name: str | None = None, **extra) -> PriceType:
    return PriceType.objects.create(name=name or f"Price type {n()}", **extra)


def warehouse(name: str | None = None, **extra) -> Warehouse:
    return Warehouse.objects.create(name=name or f"Warehouse {n()}", **extra)


def category(name: str | None = None, parent: Category | None = None, **extra) -> Category:
    i = n()
    return Category.objects.create(name=name or f"Category {i}", slug=extra.pop("slug", f"category-{i}"),
                                   parent=parent, **extra)


def product(**extra) -> Product:
    i = n()
    defaults = {"name": f"Product {i}", "sku": f"SKU-{i:05d}", "external_id": f"prod-{i}"}
    return Product.objects.create(**{**defaults, **extra})


def stock(product: Product, warehouse: Warehouse, on_hand=10, **extra) -> StockLevel:
    return StockLevel.objects.create(product=product, warehouse=warehouse, on_hand=on_hand, **extra)


def price(product: Product, price_type: PriceType, value="100.00", **extra) -> Price:
    return Price.objects.create(product=product, price_type=price_type, value=Decimal(value), **extra)


def brand(name: str | None = None, **extra) -> Brand:
    return Brand.objects.create(name=name or f"Brand {n()}", **extra)


def rule(name: str | None = None, **extra) -> DiscountRule:
    """A discount rule; ``value`` may be given as a string."""
    if "value" in extra:
        extra["value"] = Decimal(str(extra["value"]))
    return DiscountRule.objects.create(name=name or f"Rule {n()}", **extra)


def rate(currency: str, value: str, date, **extra) -> CurrencyRate:
    return CurrencyRate.objects.create(currency=currency, rate=Decimal(value), date=date, **extra)


def order(company: Company, **extra) -> Order:
    return Order.objects.create(company=company, number=extra.pop("number", f"T-{n():06d}"), **extra)


def order_line(order: Order, product: Product, quantity="1", unit_price="100.00", **extra) -> OrderLine:
    q, p = Decimal(quantity), Decimal(unit_price)
    return OrderLine.objects.create(order=order, product=product, name=product.name, sku=product.sku,
                                    quantity=q, unit_price=p, line_total=q * p, **extra)


def site_pages() -> dict[str, Page]:
    """The default site's root with a catalogue at /catalog/ and a cabinet at /cabinet/."""
    home = Site.objects.get(is_default_site=True).root_page
    catalog = CatalogPage(title="Каталог", slug="catalog")
    home.add_child(instance=catalog)
    cabinet = CabinetPage(title="Кабинет", slug="cabinet")
    home.add_child(instance=cabinet)
    return {"home": home, "catalog": catalog, "cabinet": cabinet}


def order_with_part(company: Company, lines=(("100.00", "2"),), **extra):
    """An order with one part holding ``lines`` of (unit price, quantity); returns (order, part)."""
    from b2b_cabinet.models import OrderPart

    contract = extra.pop("contract", company.default_contract)
    entity = extra.pop("legal_entity", company.legal_entities.first())
    o = order(company, contract=contract, legal_entity=entity, **extra)
    part = OrderPart.objects.create(order=o, index=1, number=f"{o.number}/1")
    for unit_price, quantity in lines:
        order_line(o, product(), quantity=quantity, unit_price=unit_price, part=part, vat_rate=Decimal("22"))
    total = sum(line.line_total for line in o.lines.all())
    Order.objects.filter(pk=o.pk).update(total=total)
    OrderPart.objects.filter(pk=part.pk).update(total=total)
    o.refresh_from_db()
    part.refresh_from_db()
    return o, part


def seller(**extra):
    """Fill the default site's seller requisites (ООО «Поставщик», a Сбербанк account)."""
    from b2b_cabinet.models import SellerRequisites

    site = Site.objects.get(is_default_site=True)
    req = SellerRequisites.for_site(site)
    defaults = {"name": "ООО «Поставщик»", "inn": "7701234567", "kpp": "770101001",
                "address": "Москва, ул. Тверская, 1",
                "bank_name": "ПАО Сбербанк", "bic": "044525225", "correspondent_account": "30101810400000000225",
                "settlement_account": "40702810938000012345", "director": "Иванов И. И.",
                "chief_accountant": "Петрова П. П."}
    for key, value in {**defaults, **extra}.items():
        setattr(req, key, value)
    req.save()
    return req
