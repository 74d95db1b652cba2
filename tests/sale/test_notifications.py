"""Notifications: outbox, channels, preferences, email content, CRM webhooks with signatures and retries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from b2b_cabinet import notifications, ordering
from b2b_cabinet.models import Delivery, EmailTemplate, Notification, OrderStatus, OutboxEvent, WebhookEndpoint
from b2b_cabinet.notifications import delivery
from b2b_cabinet.notifications.preferences import preference_table, set_preference
from b2b_cabinet.notifications.webhooks import sign, verify
from tests.sale.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db
S = OrderStatus


def confirm(part, capture):
    with capture(execute=True):
        ordering.set_order_status(part, S.CONFIRMED, source="1c")


def test_a_status_change_writes_its_event_in_the_same_transaction(order):
    part = order.parts.first()
    ordering.set_order_status(part, S.CONFIRMED, source="1c")  # no commit callbacks run here
    event = OutboxEvent.objects.get(event_type="order.status_changed")
    assert event.part_id == part.pk and event.payload["to_status"] == "confirmed" and event.dispatched_at is None


def test_the_email_has_a_text_and_an_html_part_in_the_users_language(order, django_capture_on_commit_callbacks,
                                                                       settings):
    settings.LANGUAGE_CODE = "ru"
    part = order.parts.first()
    mail.outbox.clear()
    confirm(part, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == f"Часть заказа {part.number}: подтверждён."
    assert f"Часть {part.number}" in message.body and order.number in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "<strong>" in html and order.company.name in html


def test_a_staff_edited_email_template_replaces_the_packaged_one(order, django_capture_on_commit_callbacks):
    EmailTemplate.objects.create(event_type="order.status_changed", language="en",
                                 subject="[B2B] {{ part.number }} is {{ status }}",
                                 text_body="Dear partner, {{ message }}", html_body="<p>{{ message }}</p>")
    part = order.parts.first()
    mail.outbox.clear()
    confirm(part, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == f"[B2B] {part.number} is confirmed"
    assert message.body == f"Dear partner, Order part {part.number}: confirmed."
    assert message.alternatives[0][0] == f"<p>Order part {part.number}: confirmed.</p>"


def test_a_user_can_switch_off_email_for_status_changes_and_keep_the_cabinet(order,
                                                                             django_capture_on_commit_callbacks):
    owner = order.created_by
    set_preference(owner, "order.status_changed", "email", False)
    mail.outbox.clear()
    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.filter(user=owner, kind="order.status_changed").count() == 1
    row = next(r for r in preference_table(owner) if r["event_type"] == "order.status_changed")
    assert [c["enabled"] for c in row["channels"]] == [True, False]


def test_a_failing_smtp_server_loses_nothing_the_delivery_is_retried(order, django_capture_on_commit_callbacks,
                                                                      settings):
    settings.EMAIL_BACKEND = "tests.sale.test_notifications.BrokenBackend"
    mail.outbox.clear()
    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    failed = Delivery.objects.get(channel="email", event__event_type="order.status_changed")
    assert (failed.status, failed.attempts) == ("failed", 1) and "SMTP is down" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.sweep() == {"dispatched": 0, "retried": 1}
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2) and len(mail.outbox) == 1


def test_an_event_whose_task_was_lost_is_dispatched_by_the_sweep(order):
    ordering.set_order_status(order.parts.first(), S.CONFIRMED, source="1c")  # on_commit never ran
    OutboxEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert delivery.sweep()["dispatched"] == 1
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 0
    assert Delivery.objects.filter(channel="cabinet", status="sent", event__event_type="order.status_changed").exists()


def test_backoff_doubles_and_gives_up_after_the_maximum(settings):
    settings.B2B_CABINET = {"NOTIFICATION_RETRY_BASE_SECONDS": 10}
    assert [delivery.backoff(n).seconds for n in (1, 2, 3)] == [10, 20, 40]


def test_publishing_the_same_key_twice_is_one_event(order):
    first = notifications.publish("payment.received", key="payment.received:1", order=order)
    again = notifications.publish("payment.received", key="payment.received:1", order=order)
    assert first.pk == again.pk and OutboxEvent.objects.filter(key="payment.received:1").count() == 1


def test_the_crm_receives_signed_events_with_an_idempotency_key(order, django_capture_on_commit_callbacks):
    with Receiver("s3cret") as crm:
        WebhookEndpoint.objects.create(name="CRM", url=crm.url, secret="s3cret")
        part = order.parts.first()
        confirm(part, django_capture_on_commit_callbacks)
    (event,) = crm.events
    assert crm.rejected == 0 and event["type"] == "order.status_changed"
    assert event["part"]["number"] == part.number and event["to_status"] == "confirmed" and event["source"] == "1c"
    assert event["key"] == event["id"] == OutboxEvent.objects.get(event_type="order.status_changed").key


def test_a_receiver_with_the_wrong_secret_rejects_and_the_delivery_is_retried(order,
                                                                             django_capture_on_commit_callbacks):
    with Receiver("other") as crm:
        WebhookEndpoint.objects.create(name="CRM", url=crm.url, secret="s3cret")
        confirm(order.parts.first(), django_capture_on_commit_callbacks)
    webhook = Delivery.objects.get(channel="webhook")
    assert crm.rejected == 1 and (webhook.status, webhook.response_code) == ("failed", 401)


def test_a_crm_that_is_down_gets_the_event_on_resend(order, django_capture_on_commit_callbacks):
    with Receiver("k") as crm:
        crm.fail_next = 1
        WebhookEndpoint.objects.create(name="CRM", url=crm.url, secret="k")
        confirm(order.parts.first(), django_capture_on_commit_callbacks)
        webhook = Delivery.objects.get(channel="webhook")
        assert webhook.status == "failed" and webhook.response_code == 503
        assert delivery.resend(webhook) == "sent"
    assert len(crm.events) == 1


def test_endpoints_only_get_the_event_types_they_subscribe_to(order, django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(name="CRM", url="http://127.0.0.1:9/none", secret="k",
                                   event_types=["payment.received"])
    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(channel="webhook").exists()


def test_a_sent_delivery_is_not_sent_again_by_a_duplicate_task(order, django_capture_on_commit_callbacks):
    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    sent = Delivery.objects.get(channel="email", event__event_type="order.status_changed")
    count = len(mail.outbox)
    assert delivery.deliver(sent.pk) == "sent" and len(mail.outbox) == count


def test_signatures_cover_timestamp_and_body():
    signature = sign("k", "1700000000", b"{}")
    assert verify("k", "1700000000", b"{}", signature, max_age=10**10)
    assert not verify("k", "1700000000", b"{ }", signature, max_age=10**10)
    assert not verify("k", "1700000001", b"{}", signature, max_age=10**10)
    assert not verify("k", "1700000000", b"{}", signature)  # too old


def test_mark_read_touches_only_the_users_own_notification(order, django_capture_on_commit_callbacks):
    from tests import factories as f

    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    note = Notification.objects.filter(user=order.created_by).first()
    stranger = f.member(order.company, role="buyer")
    assert not notifications.mark_read(stranger, order.company, note.pk)
    assert notifications.unread_count(order.created_by, order.company) >= 1
    assert notifications.mark_read(order.created_by, order.company, note.pk)


class BrokenBackend:
    """An email backend whose SMTP server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


def test_the_cabinet_lists_notifications_marks_one_read_and_saves_settings(client, order, pages,
                                                                           django_capture_on_commit_callbacks):
    confirm(order.parts.first(), django_capture_on_commit_callbacks)
    owner = order.created_by
    client.force_login(owner)
    note = Notification.objects.filter(user=owner).order_by("pk").last()
    page = client.get("/cabinet/notifications/")
    assert note.message.encode() in page.content and b"Mark as read" in page.content
    client.post("/cabinet/notifications/", {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get("/cabinet/notifications/settings/").status_code == 200
    response = client.post("/cabinet/notifications/settings/", {"on": ["order.status_changed:cabinet"]})
    assert response.status_code == 302
    row = next(r for r in preference_table(owner) if r["event_type"] == "order.status_changed")
    assert [c["enabled"] for c in row["channels"]] == [True, False]
    assert not next(r for r in preference_table(owner) if r["event_type"] == "payment.received")["channels"][0][
        "enabled"]
