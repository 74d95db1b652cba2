"""A small catalogue for cabinet tests: «Альфа»'s buyer in region «Урал» served by one of two warehouses."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from b2b_cabinet.models import Region
from tests import factories as f


@dataclass
class World:
    breaker: object
    cable: object
    socket: object
    ekb: object
    msk: object
    company: object
    buyer: object
    viewer: object
    root: object
    child: object
    iek: object


@pytest.fixture
def world(pages, alpha) -> World:
    """Breaker (IEK, Автоматы/Модульные) in stock in Екатеринбург, 500 in transit; cable in Москва only;
    socket with no stock. «Альфа» is in «Урал», served by Екатеринбург only."""
    company, _owner = alpha
    dealer = f.price_type("Дилерская")
    company.contracts.update(price_type=dealer)
    root = f.category("Автоматы", slug="avtomaty")
    child = f.category("Модульные", slug="modulnye", parent=root)
    other = f.category("Кабель", slug="kabel")
    iek = f.brand("IEK", slug="iek")
    ekb = f.warehouse("Екатеринбург")
    msk = f.warehouse("Москва")
    region = Region.objects.create(name="Урал")
    region.warehouses.add(ekb)
    company.region = region
    company.save()
    breaker = f.product(name="Автоматический выключатель ВА47-29 16А", sku="MVA20-1-016-C", category=child,
                        brand=iek, barcode="4607036012345")
    cable = f.product(name="Кабель ВВГнг 3х2.5", sku="KAB-325", category=other)
    socket = f.product(name="Розетка двойная", sku="ROZ-2", category=other, unit_ratio=Decimal(10))
    f.stock(breaker, ekb, on_hand=12, in_transit=500, expected_at="2026-12-04")
    f.stock(breaker, msk, on_hand=340)
    f.stock(cable, msk, on_hand=100)
    for product, value in ((breaker, "250.00"), (cable, "80.00"), (socket, "120.00")):
        f.price(product, dealer, value)
    buyer = f.member(company, role="buyer", email="irina@example.com")
    viewer = f.member(company, role="viewer")
    return World(breaker, cable, socket, ekb, msk, company, buyer, viewer, root, child, iek)


@pytest.fixture
def buyer(client, world):
    client.force_login(world.buyer)
    return client
