"""The ordering admin: parts, timeline and carts are listed and inspected, never edited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from b2b_cabinet import ordering
from b2b_cabinet.ordering_viewsets import ORDERING_VIEWSETS

from .conftest import MORNING, checkout_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(filled_cart, shop):
    return ordering.place_order(filled_cart, checkout_request(filled_cart.company, shop), actor=filled_cart.user,
                                now=MORNING)


@pytest.mark.parametrize("viewset_class", ORDERING_VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_ordering_records_are_listed_inspected_and_exported(admin_client, placed, viewset_class, alpha):
    if viewset_class.model.__name__ == "Cart":
        ordering.add_to_cart(ordering.get_cart(alpha[1], alpha[0]), placed.lines.first().product, Decimal(1))
    viewset = viewset_class()
    obj = viewset.model.objects.first()
    for url in (reverse(viewset.get_url_name("index")), reverse(viewset.get_url_name("inspect"), args=[obj.pk]),
                reverse(viewset.get_url_name("index")) + "?export=csv"):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("viewset_class", ORDERING_VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_not_even_a_superuser_can_edit_them(admin_client, placed, viewset_class):
    viewset = viewset_class()
    obj = viewset.model.objects.first()
    if obj is None:
        pytest.skip("no row")
    for url in (reverse(viewset.get_url_name("add")), reverse(viewset.get_url_name("edit"), args=[obj.pk])):
        assert admin_client.get(url).status_code in (302, 403), url


def test_staff_move_a_parts_status_from_its_inspect_page(admin_client, placed):
    part = placed.parts.first()
    inspect = admin_client.get(_url("inspect", part))
    assert "Change the status" in inspect.content.decode()
    admin_client.post(_url("status", part), {"status": "confirmed", "note": "по телефону"})
    part.refresh_from_db()
    assert part.status == "confirmed"
    event = part.events.get()
    assert event.source == "staff" and event.note == "по телефону"


def test_a_forbidden_status_from_the_admin_changes_nothing(admin_client, placed):
    part = placed.parts.first()
    admin_client.post(_url("status", part), {"status": "completed"})
    part.refresh_from_db()
    assert part.status == "new"


def test_staff_without_the_change_order_permission_cannot_move_statuses(client, placed):
    from django.contrib.auth.models import Permission

    from tests import factories as f

    staff = f.user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"),
                               Permission.objects.get(codename="view_orderpart"))
    client.force_login(staff)
    part = placed.parts.first()
    response = client.post(_url("status", part), {"status": "confirmed"})
    assert response.status_code == 403 or response["Location"] == "/admin/"  # Wagtail's "permission denied"
    part.refresh_from_db()
    assert part.status == "new"


def _url(name, part):
    from b2b_cabinet.ordering_viewsets import OrderPartViewSet

    return reverse(OrderPartViewSet().get_url_name(name), args=[part.pk])
