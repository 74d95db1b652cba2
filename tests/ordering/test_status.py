"""set_order_status: the one door for status changes, its events, stock release and notifications."""

from decimal import Decimal

import pytest
from django.core import mail

from b2b_cabinet import ordering
from b2b_cabinet.exceptions import InvalidStatusTransition
from b2b_cabinet.models import Notification, OrderEvent, OrderStatus, StockLevel
from tests import factories as f

from .conftest import MORNING, checkout_request

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def order(filled_cart, shop):
    return ordering.place_order(filled_cart, checkout_request(filled_cart.company, shop), actor=filled_cart.user,
                                now=MORNING)


def test_the_order_follows_its_least_advanced_part(order):
    first, second, third = order.parts.order_by("index")
    ordering.set_order_status(first, S.CONFIRMED, source="1c")
    order.refresh_from_db()
    assert order.status == S.NEW
    for part in (second, third):
        ordering.set_order_status(part, S.CONFIRMED, source="1c")
    order.refresh_from_db()
    assert order.status == S.CONFIRMED


def test_a_change_from_1c_is_written_to_the_timeline_with_its_note(order):
    part = order.parts.first()
    ordering.set_order_status(part, S.IN_PROGRESS, source="1c", note="Собран")
    event = OrderEvent.objects.filter(part=part).get()
    assert (event.from_status, event.to_status, event.source, event.note) == ("new", "in_progress", "1c", "Собран")
    assert event.actor_repr == "1c"


def test_a_move_the_machine_forbids_raises_and_changes_nothing(order):
    part = order.parts.first()
    with pytest.raises(InvalidStatusTransition):
        ordering.set_order_status(part, S.COMPLETED, source="1c")
    part.refresh_from_db()
    assert part.status == S.NEW and OrderEvent.objects.filter(part=part).count() == 0


def test_cancelling_an_order_cancels_every_part_and_releases_stock(order, shop):
    ordering.cancel_order(order, actor=order.created_by)
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert set(order.parts.values_list("status", flat=True)) == {S.CANCELLED}
    assert not StockLevel.objects.filter(reserved__gt=0).exists()


def test_an_order_with_a_shipped_part_cannot_be_cancelled(order):
    part = order.parts.first()
    ordering.set_order_status(part, S.CONFIRMED, source="1c")
    ordering.set_order_status(part, S.SHIPPED, source="1c")
    assert not ordering.can_cancel(order)
    with pytest.raises(InvalidStatusTransition):
        ordering.cancel_order(order, actor=order.created_by)


def test_shipping_a_part_releases_its_reservation_only(order, shop):
    part = order.parts.get(warehouse=shop["msk"])
    ordering.set_order_status(part, S.CONFIRMED, source="1c")
    ordering.set_order_status(part, S.SHIPPED, source="1c")
    assert StockLevel.objects.get(warehouse=shop["msk"], product=shop["products"]["EKF-1"]).reserved == 0
    assert StockLevel.objects.get(warehouse=shop["ekb"], product=shop["products"]["EKF-1"]).reserved == 1


def test_an_order_whose_parts_are_all_cancelled_is_cancelled(order):
    for part in order.parts.all():
        ordering.set_order_status(part, S.CANCELLED, source="staff")
    order.refresh_from_db()
    assert order.status == S.CANCELLED


def test_status_changes_notify_after_commit(order, django_capture_on_commit_callbacks):
    part = order.parts.first()
    with django_capture_on_commit_callbacks(execute=True):
        ordering.set_order_status(part, S.CONFIRMED, source="1c")
    note = Notification.objects.get(order=order)
    assert part.number in note.message and note.read_at is None
    assert len(mail.outbox) == 1


def test_viewers_and_accountants_are_not_notified_but_buyers_are(order, django_capture_on_commit_callbacks):
    buyer = f.member(order.company, role="buyer")
    viewer = f.member(order.company, role="viewer")
    with django_capture_on_commit_callbacks(execute=True):
        ordering.cancel_order(order, actor=order.created_by)
    users = set(Notification.objects.values_list("user", flat=True))
    assert buyer.pk in users and viewer.pk not in users and order.created_by_id in users


def test_order_events_are_append_only(order):
    event = OrderEvent.objects.first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        OrderEvent.objects.all().delete()


def test_an_order_without_parts_moves_by_itself(alpha):
    bare = f.order(alpha[0])
    ordering.set_order_status(bare, S.CONFIRMED, actor=alpha[1])
    bare.refresh_from_db()
    assert bare.status == S.CONFIRMED


def test_derived_status_ignores_cancelled_parts():
    assert ordering.derived_status([S.CANCELLED, S.SHIPPED]) == S.SHIPPED
    assert ordering.derived_status([S.READY, S.CONFIRMED]) == S.CONFIRMED
    assert ordering.derived_status([S.CANCELLED]) == S.CANCELLED


def test_a_quantity_changed_meanwhile_is_still_ordered_as_placed(order):
    assert order.lines.get(warehouse__name="Москва").quantity == Decimal(3)
