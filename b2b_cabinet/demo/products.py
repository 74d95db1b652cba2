"""Demo products. Interim: written directly until the CommerceML importer loads them."""

from decimal import Decimal

from b2b_cabinet.models import Brand, Category, Price, PriceType, Product, StockLevel, Warehouse
from b2b_cabinet.text import slugify_ru

CATEGORIES = ["Автоматические выключатели", "УЗО и дифавтоматы", "Щиты и боксы", "Кабель и провод"]
BRANDS = ["IEK", "EKF", "DEKraft", "КЭАЗ"]


def ensure_products(count: int) -> None:
    """``count`` products spread over a few categories and brands, with prices and stock."""
    if Product.objects.exists():
        return
    categories = [
        Category.objects.get_or_create(name=name, defaults={"slug": slugify_ru(name), "position": i})[0]
        for i, name in enumerate(CATEGORIES)
    ]
    brands = [Brand.objects.get_or_create(name=b, defaults={"slug": slugify_ru(b)})[0] for b in BRANDS]
    price_types = list(PriceType.objects.order_by("pk"))
    warehouses = list(Warehouse.objects.order_by("pk"))
    for i in range(count):
        brand = brands[i % len(brands)]
        product = Product.objects.create(
            name=f"Автоматический выключатель ВА47-29 1P {6 + i % 58}А {brand.name} #{i}",
            sku=f"DEMO-{i:05d}",
            category=categories[i % len(categories)],
            brand=brand,
            vat_rate=Decimal("20"),
        )
        for k, price_type in enumerate(price_types):
            Price.objects.create(product=product, price_type=price_type, value=Decimal(100 + i % 900) * (1 + k))
        for k, warehouse in enumerate(warehouses):
            StockLevel.objects.create(product=product, warehouse=warehouse, on_hand=(i * (k + 3)) % 400)
