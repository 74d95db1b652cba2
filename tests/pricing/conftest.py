"""A small shop for pricing tests: three price types, a category tree, a brand and a company."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from b2b_cabinet.models import Category, Company, Contract, PriceType, Product
from tests import factories as f


@dataclass
class Shop:
    dealer: PriceType
    wholesale: PriceType
    rrp: PriceType
    root: Category
    leaf: Category
    product: Product
    other: Product
    company: Company
    contract: Contract


@pytest.fixture
def shop(db) -> Shop:
    """«Кабель» (dealer 1000, wholesale 1200, RRP 1500) in Электрика/Кабели, brand IEK; «Щит» without a dealer price."""
    dealer = f.price_type("Дилерская")
    wholesale = f.price_type("Оптовая", is_default=True)
    rrp = f.price_type("РРЦ", is_rrp=True)
    root = f.category("Электрика")
    leaf = f.category("Кабели", parent=root)
    iek = f.brand("IEK")
    product = f.product(name="Кабель", category=leaf, brand=iek, vat_rate=Decimal("20"),
                        properties={"Сечение": "2.5"})
    other = f.product(name="Щит", category=root, vat_rate=Decimal("20"))
    f.price(product, dealer, "1000.00")
    f.price(product, wholesale, "1200.00")
    f.price(product, rrp, "1500.00")
    f.price(other, wholesale, "300.00")
    company = f.company("Альфа")
    contract = f.contract(company, number="Д-1", price_type=dealer)
    return Shop(dealer, wholesale, rrp, root, leaf, product, other, company, contract)
