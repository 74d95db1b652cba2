"""A small shop: two warehouses (Екатеринбург, Москва), two producers each with its 1C node, priced products."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from b2b_cabinet import ordering
from b2b_cabinet.models import DeliveryMethod, ExchangeNode, Producer
from tests import factories as f

MSK = ZoneInfo("Europe/Moscow")
# A Wednesday morning, before every warehouse's 16:00 cut-off.
MORNING = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=MSK)


@pytest.fixture
def shop(db):
    price_type = f.price_type(name="Оптовая", is_default=True)
    ekb = f.warehouse("Екатеринбург", position=1, closed_weekdays=[6])
    msk = f.warehouse("Москва", position=2, closed_weekdays=[5, 6])
    iek = Producer.objects.create(name="IEK")
    ekf = Producer.objects.create(name="EKF")
    nodes = {}
    for producer in (iek, ekf):
        node = ExchangeNode.objects.create(name=f"1С {producer.name}", login=f"1c-{producer.name.lower()}")
        node.producers.add(producer)
        nodes[producer.name] = node
    products = {}
    for sku, producer, value in (("IEK-1", iek, "100.00"), ("EKF-1", ekf, "250.00")):
        product = f.product(sku=sku, producer=producer)
        f.price(product, price_type, value)
        f.stock(product, ekb, on_hand=10)
        f.stock(product, msk, on_hand=100)
        products[sku] = product
    return {"ekb": ekb, "msk": msk, "iek": iek, "ekf": ekf, "nodes": nodes, "products": products,
            "price_type": price_type}


@pytest.fixture
def filled_cart(alpha, shop):
    """Альфа's owner's cart: IEK from Екатеринбург ×2, EKF from Екатеринбург ×1 and from Москва ×3."""
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    p = shop["products"]
    ordering.add_to_cart(cart, p["IEK-1"], Decimal(2), warehouse=shop["ekb"])
    ordering.add_to_cart(cart, p["EKF-1"], Decimal(1), warehouse=shop["ekb"])
    ordering.add_to_cart(cart, p["EKF-1"], Decimal(3), warehouse=shop["msk"])
    return cart


def checkout_request(company, shop, ship_date=datetime.date(2026, 12, 2), **extra):
    """A valid pickup checkout at Екатеринбург on the given date."""
    defaults = {"legal_entity": company.legal_entities.first(), "ship_date": ship_date,
                "delivery_method": DeliveryMethod.PICKUP, "pickup_warehouse": shop["ekb"], "po_number": "PO-7"}
    return ordering.CheckoutRequest(**{**defaults, **extra})
