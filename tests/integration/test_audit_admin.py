"""The cabinet audit log in the Wagtail admin: listed, inspected and exported, never edited."""

import pytest
from django.urls import reverse

from b2b_cabinet.audit import Actor, write_audit
from b2b_cabinet.models import AuditAction, CabinetAuditEvent
from b2b_cabinet.viewsets import CabinetAuditEventViewSet

pytestmark = pytest.mark.django_db
VS = CabinetAuditEventViewSet()


@pytest.fixture
def event(alpha):
    company, owner = alpha
    return write_audit(Actor(owner, "10.0.0.1"), AuditAction.ROLE_CHANGED, company=company, old="buyer", new="viewer")


def test_the_audit_log_lists_and_inspects_events(admin_client, event):
    html = admin_client.get(reverse(VS.get_url_name("index"))).content.decode()
    assert "alpha@example.com" in html and "Альфа" in html
    inspect = admin_client.get(reverse(VS.get_url_name("inspect"), args=[event.pk]))
    assert inspect.status_code == 200 and "10.0.0.1" in inspect.content.decode()


def test_the_audit_log_exports_csv(admin_client, event):
    response = admin_client.get(reverse(VS.get_url_name("index")) + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "alpha@example.com" in body


def test_not_even_a_superuser_can_add_edit_or_delete_an_event(admin_client, event):
    for name, args in (("add", []), ("edit", [event.pk]), ("delete", [event.pk])):
        response = admin_client.get(reverse(VS.get_url_name(name), args=args))
        assert response.status_code in (302, 403), name
    assert admin_client.post(reverse(VS.get_url_name("delete"), args=[event.pk])).status_code in (302, 403)
    assert CabinetAuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_changed_or_deleted_in_code(event):
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CabinetAuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        CabinetAuditEvent.objects.update(action="x")
