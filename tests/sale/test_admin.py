"""Admin for the sale exchange and notifications: status tables, webhooks, delivery log with resend, email snippets."""

import pytest
from django.urls import reverse

from b2b_cabinet.models import Delivery, EmailTemplate, OutboxEvent, StatusMapping, WebhookEndpoint
from b2b_cabinet.notification_viewsets import DeliveryViewSet, OutboxEventViewSet, WebhookEndpointViewSet
from b2b_cabinet.sale_viewsets import StatusMappingViewSet
from tests.sale.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


def test_staff_add_a_status_mapping_for_a_node(admin_client, nodes):
    node = nodes["IEK"]
    response = admin_client.post(reverse(StatusMappingViewSet().get_url_name("add")), {
        "node": node.pk, "onec_status": "Собран", "onec_name": "Собран на складе", "status": "ready",
        "use_for_export": "on"})
    assert response.status_code == 302
    assert StatusMapping.objects.get(node=node, onec_status="Собран").status == "ready"


def test_a_mapping_to_a_status_outside_the_set_is_refused(admin_client, nodes):
    response = admin_client.post(reverse(StatusMappingViewSet().get_url_name("add")), {
        "node": nodes["IEK"].pk, "onec_status": "X", "status": "lost"})
    assert response.status_code == 200 and not StatusMapping.objects.filter(onec_status="X").exists()


def test_the_notification_admin_pages_render(admin_client, order):
    WebhookEndpoint.objects.create(name="CRM", url="http://127.0.0.1:9/", secret="k")
    event = OutboxEvent.objects.first()
    delivery = Delivery.objects.create(event=event, channel="webhook", recipient="1", status="failed")
    for viewset, obj in ((WebhookEndpointViewSet(), WebhookEndpoint.objects.get()), (DeliveryViewSet(), delivery),
                         (OutboxEventViewSet(), event)):
        assert admin_client.get(reverse(viewset.get_url_name("index"))).status_code == 200
        name = "edit" if viewset.model is WebhookEndpoint else "inspect"
        assert admin_client.get(reverse(viewset.get_url_name(name), args=[obj.pk])).status_code == 200
    page = admin_client.get(reverse(DeliveryViewSet().get_url_name("inspect"), args=[delivery.pk]))
    assert b"Resend now" in page.content


def test_resending_a_failed_webhook_from_the_admin_delivers_it(admin_client, order):
    with Receiver("k") as crm:
        endpoint = WebhookEndpoint.objects.create(name="CRM", url=crm.url, secret="k")
        delivery = Delivery.objects.create(event=OutboxEvent.objects.first(), channel="webhook",
                                           recipient=str(endpoint.pk), status="dead", attempts=8)
        response = admin_client.post(reverse(DeliveryViewSet().get_url_name("resend"), args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(crm.events) == 1


def test_resend_needs_post(admin_client, order):
    delivery = Delivery.objects.create(event=OutboxEvent.objects.first(), channel="email", recipient="1")
    assert admin_client.get(reverse(DeliveryViewSet().get_url_name("resend"), args=[delivery.pk])).status_code == 405


def test_email_templates_are_snippets_staff_can_add(admin_client):
    response = admin_client.post(reverse("wagtailsnippets_b2b_cabinet_emailtemplate:add"), {
        "event_type": "payment.received", "language": "ru", "subject": "Оплата {{ data.payment.number }}",
        "text_body": "Получена оплата.", "html_body": ""})
    assert response.status_code == 302
    assert EmailTemplate.objects.get().subject.startswith("Оплата")
