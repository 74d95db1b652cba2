"""Every B2B admin view renders for a superuser."""

import pytest
from django.urls import reverse

from b2b_cabinet.models import CabinetAuditEvent, Cart, OrderEvent, OrderPart
from b2b_cabinet.pricing_viewsets import PricingViewSetGroup
from b2b_cabinet.viewsets import B2BModelViewSet, B2BViewSetGroup
from tests import factories as f

pytestmark = pytest.mark.django_db

VIEWSETS = [vs() for vs in (*B2BViewSetGroup.items, *PricingViewSetGroup.items) if issubclass(vs, B2BModelViewSet)]
# Read-only: the audit log (tests/integration/test_audit_admin.py) and the ordering records
# (tests/ordering/test_admin.py).
READ_ONLY = (CabinetAuditEvent, OrderPart, OrderEvent, Cart)
EDITABLE_VIEWSETS = [vs for vs in VIEWSETS if vs.model not in READ_ONLY]



@pytest.fixture
def sample_rows(alpha):
    """One row of every B2B model, so list, edit and inspect views have something to show."""
    company, _owner = alpha
    product, warehouse, price_type = f.product(category=f.category()), f.warehouse(), f.price_type()
    product.variants.create(name="variant", external_id="v#1")
    f.stock(product, warehouse)
    f.price(product, price_type)
    warehouse.closed_days.create(date="2026-12-31")
    order = f.order(company)
    f.order_line(order, product)
    from b2b_cabinet.models import Brand, Producer, Property, Region, Unit

    Brand.objects.create(name="IEK", slug="iek")
    Producer.objects.create(name="IEK Group")
    Property.objects.create(name="Ток")
    region = Region.objects.create(name="Урал")
    Unit.objects.create(code="796", name="шт")
    from b2b_cabinet.models import CompanyGroup

    CompanyGroup.objects.create(name="Дилеры").companies.add(company)
    f.rate("USD", "92.5", "2026-11-27")
    f.rule(name="IEK −5%", company=company, value="5")
    region.assortment_rules.create(mode="exclude", product=product)


@pytest.mark.parametrize("viewset", EDITABLE_VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_index_add_edit_and_inspect_views_render(admin_client, sample_rows, viewset):
    obj = viewset.model.objects.first()
    urls = [
        reverse(viewset.get_url_name("index")),
        reverse(viewset.get_url_name("add")),
        reverse(viewset.get_url_name("edit"), args=[obj.pk]),
        reverse(viewset.get_url_name("inspect"), args=[obj.pk]),
        reverse(viewset.get_url_name("index")) + "?q=a",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_every_listing_exports_csv(admin_client, sample_rows, viewset):
    response = admin_client.get(reverse(viewset.get_url_name("index")) + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_b2b_menu_groups_the_viewsets(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "B2B" in response.content.decode()


def test_seller_requisites_setting_is_editable(admin_client):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["b2b_cabinet", "sellerrequisites", site.pk])
    assert admin_client.get(url).status_code == 200


def test_the_cabinet_and_catalogue_pages_can_be_edited(admin_client, pages):
    for page in (pages["catalog"], pages["cabinet"]):
        assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_staff_without_permissions_cannot_open_the_b2b_admin(client, db):
    staff = f.user(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse(VIEWSETS[0].get_url_name("index")))
    assert response.status_code in (302, 403)
