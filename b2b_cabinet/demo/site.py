"""Demo pages, reference data, companies and people. Every function is idempotent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from b2b_cabinet.demo.catalogue import DEFAULT_WAREHOUSES
from b2b_cabinet.models import (
    CabinetPage,
    CatalogPage,
    ClosedDay,
    Company,
    ContentPage,
    Contract,
    ExchangeNode,
    LegalEntity,
    Membership,
    PriceType,
    Producer,
    Region,
    SellerRequisites,
    StatusMapping,
    Warehouse,
)

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoLogin:
    """A login the demo prints for the newcomer."""

    username: str
    role: str


HOME_BODY = [
    ("paragraph", "<p>Оптовые поставки электротехники для дилеров и монтажных организаций: персональные цены, "
                  "остатки по складам, товары в пути и заказ без звонка менеджеру.</p>"),
    ("call_to_action", {"title": "Уже работаете с нами?", "text": "Войдите в личный кабинет партнёра.",
                        "button_text": "Войти", "page": None, "url": ""}),
]


def ensure_pages() -> dict[str, Page]:
    """A home ``ContentPage`` as the default site's root, with the catalogue and the cabinet under it."""
    root = Page.get_first_root_node()
    home = ContentPage.objects.filter(depth=2).first()
    if home is None:
        home = ContentPage(title="B2B-портал «Электрощит»", slug="b2b-home")
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="B2B")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if old_root.pk != home.pk and old_root.get_children_count() == 0 and old_root.depth > 1:
            old_root.delete()  # Wagtail's "Welcome" placeholder
    catalog = CatalogPage.objects.child_of(home).first()
    if catalog is None:
        catalog = CatalogPage(title="Каталог", slug="catalog", show_in_menus=True)
        home.add_child(instance=catalog)
    cabinet = CabinetPage.objects.child_of(home).first()
    if cabinet is None:
        cabinet = CabinetPage(title="Личный кабинет", slug="cabinet", show_in_menus=True)
        home.add_child(instance=cabinet)
    if not home.body:
        paragraph, cta = HOME_BODY
        home.body = [paragraph, (cta[0], {**cta[1], "page": cabinet.specific})]
        home.save_revision().publish()
    return {"home": home, "catalog": catalog, "cabinet": cabinet}


def ensure_reference_data() -> dict:
    """Regions, the imported warehouses' cities and closed days, and the roles of the imported price types.

    Price types and warehouses come from the demo catalogue through the importer, as they would
    from 1C; this only adds what 1C does not send.
    """
    ural, _ = Region.objects.get_or_create(name="Урал", defaults={"code": "66"})
    center, _ = Region.objects.get_or_create(name="Центр", defaults={"code": "77"})
    regions = {"Екатеринбург": ural, "Москва": center}
    price_types = {pt.name: pt for pt in PriceType.objects.all()}
    PriceType.objects.filter(name="Оптовая").update(is_default=True)
    PriceType.objects.filter(name="РРЦ").update(is_rrp=True)
    new_year = datetime.date(datetime.date.today().year, 12, 31)
    warehouses = {}
    for name, city in DEFAULT_WAREHOUSES:
        warehouse = Warehouse.objects.filter(name=name).first()
        if warehouse is None:
            continue
        if not warehouse.city:
            warehouse.city, warehouse.region, warehouse.closed_weekdays = city, regions.get(city), [6]
            warehouse.save()
        ClosedDay.objects.get_or_create(warehouse=warehouse, date=new_year, defaults={"reason": "Новый год"})
        if warehouse.region:
            warehouse.region.warehouses.add(warehouse)
        warehouses[name] = warehouse
    return {"regions": {"ural": ural, "center": center}, "price_types": price_types, "warehouses": warehouses}


#: The demo's 1C bases: (login, name, producers it owns; "*" = every producer not owned by another node).
DEMO_NODES = (
    ("1c", "1С:УТ 11 (демо) — IEK и другие", ("*",)),
    ("1c-ekf", "1С:ERP EKF (демо)", ("EKF",)),
)
#: A Bitrix-like status table (1C status id → portal status) for both demo nodes.
DEMO_STATUS_TABLE = (
    ("N", "Принят", "new"), ("P", "Подтвержден", "confirmed"), ("A", "Собирается", "in_progress"),
    ("R", "Готов к отгрузке", "ready"), ("S", "Отгружен", "shipped"), ("F", "Выполнен", "completed"),
    ("C", "Отменен", "cancelled"),
)


def ensure_exchange_nodes() -> list[ExchangeNode]:
    """Two 1C exchange nodes, one per producer base; the first answers to ``1c`` / ``demo``.

    Each gets the demo password, its producers and the status table, so an emulated 1C (or a
    real one) can take the orders of its producer and send statuses, payments and shipments back.
    """
    nodes = []
    claimed = {name for _login, _name, producers in DEMO_NODES for name in producers if name != "*"}
    for login, name, producers in DEMO_NODES:
        node = ExchangeNode.objects.filter(login=login).first()
        if node is None:
            node = ExchangeNode(name=name, login=login)
            node.set_password(DEMO_PASSWORD)
            node.save()
        wanted = Producer.objects.exclude(name__in=claimed) if "*" in producers else \
            Producer.objects.filter(name__in=producers)
        node.producers.add(*wanted)
        for onec_status, onec_name, status in DEMO_STATUS_TABLE:
            StatusMapping.objects.get_or_create(node=node, onec_status=onec_status,
                                                defaults={"onec_name": onec_name, "status": status})
        nodes.append(node)
    return nodes


def ensure_exchange_node() -> ExchangeNode:
    """The first demo node, login ``1c`` / ``demo`` (see :func:`ensure_exchange_nodes`)."""
    return ensure_exchange_nodes()[0]


def _user(email: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email, defaults={"email": email, **extra})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def ensure_people(reference: dict) -> list[DemoLogin]:
    """Admin, a sales manager, and the companies Альфа and Бета with their contracts and users."""
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "admin@example.com", DEMO_PASSWORD)
    manager = _user("manager@example.com", first_name="Анна", last_name="Смирнова", is_staff=True)
    price_types, regions = reference["price_types"], reference["regions"]
    companies = [
        ("Альфа", "alpha@example.com", regions["ural"], "ООО «Альфа-Трейд»", "6671234560", "667101001",
         price_types.get("Дилерская"), None),
        ("Бета", "beta@example.com", regions["center"], "ООО «Бета»", "7701234564", "770101001",
         price_types.get("Оптовая"), Decimal("92.5000")),
    ]
    for name, email, region, entity_name, inn, kpp, price_type, rate in companies:
        company, _ = Company.objects.get_or_create(name=name, defaults={"region": region, "manager": manager})
        entity, _ = LegalEntity.objects.get_or_create(
            company=company, inn=inn, kpp=kpp, defaults={"name": entity_name, "is_default": True}
        )
        Contract.objects.get_or_create(
            company=company,
            number=f"Д-{inn[-4:]}/2026",
            defaults={
                "legal_entity": entity,
                "signed_on": datetime.date(2026, 1, 15),
                "price_type": price_type,
                "currency": "USD" if rate else "RUB",
                "fixed_rate": rate,
                "credit_limit": Decimal("2000000.00"),
                "payment_terms_days": 30,
                "manager": manager,
            },
        )
        user = _user(email, first_name="Ирина" if name == "Альфа" else "Борис")
        Membership.objects.get_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})
        # A read-only colleague, so the team page and the permission matrix have something to show.
        viewer = _user(email.replace("@", "-viewer@"), first_name="Олег" if name == "Альфа" else "Вера")
        Membership.objects.get_or_create(user=viewer, company=company, defaults={"role": Membership.Role.VIEWER})
    return [
        DemoLogin("alpha@example.com", "Альфа, owner"),
        DemoLogin("alpha-viewer@example.com", "Альфа, viewer"),
        DemoLogin("beta@example.com", "Бета, owner"),
        DemoLogin("beta-viewer@example.com", "Бета, viewer"),
        DemoLogin("manager@example.com", "sales manager (staff)"),
        DemoLogin("admin", "superuser, /admin/"),
    ]


def ensure_seller_requisites(site: Site) -> None:
    """Seller requisites for invoices, filled with plausible demo values."""
    requisites = SellerRequisites.for_site(site)
    if not requisites.name:
        requisites.name = "ООО «Электрощит-Дистрибуция»"
        requisites.inn = "6658123456"
        requisites.kpp = "665801001"
        requisites.bank_name = "ПАО «Демо-Банк», г. Екатеринбург"
        requisites.bic = "046577001"
        requisites.correspondent_account = "30101810500000000001"
        requisites.settlement_account = "40702810900000000001"
        requisites.address = "620000, г. Екатеринбург, ул. Демонстрационная, д. 1"
        requisites.save()
