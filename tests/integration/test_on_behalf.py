"""A staff sales manager acts on behalf of an assigned company, with a banner and an audit trail."""

import pytest

from b2b_cabinet.models import AuditAction, CabinetAuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(client, pages, beta):
    """Анна, staff, manager of «Бета», signed in."""
    company, _ = beta
    anna = f.user(email="anna@example.com", is_staff=True)
    company.manager = anna
    company.save()
    client.force_login(anna)
    return anna


def test_the_manager_sees_her_assigned_companies_only(client, anna, alpha):
    html = client.get("/cabinet/on-behalf/").content.decode()
    assert "Бета" in html and "Альфа" not in html


def test_a_contract_manager_is_assigned_too(client, pages, alpha):
    company, _ = alpha
    sergey = f.user(is_staff=True)
    f.contract(company, number="Д-7", manager=sergey)
    client.force_login(sergey)
    assert "Альфа" in client.get("/cabinet/on-behalf/").content.decode()


def test_acting_on_behalf_opens_the_cabinet_with_a_banner_and_is_audited(client, anna, beta):
    company, _ = beta
    response = client.post("/cabinet/on-behalf/start/", {"company": company.pk})
    assert response.status_code == 302 and response["Location"] == "/cabinet/"
    html = client.get("/cabinet/").content.decode()
    assert "on-behalf-banner" in html and "Д-2/2026" in html
    event = CabinetAuditEvent.objects.get(action=AuditAction.ON_BEHALF_START)
    assert (event.user, event.company, event.on_behalf) == (anna, company, True)


def test_the_banner_is_on_every_cabinet_page(client, anna, beta):
    client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk})
    assert "on-behalf-banner" in client.get("/cabinet/on-behalf/").content.decode()


def test_on_behalf_the_manager_has_the_buyer_role_not_the_owners(client, anna, beta):
    client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk})
    assert client.get("/cabinet/team/").status_code == 403


def test_stopping_ends_the_session_and_is_audited(client, anna, beta):
    client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk})
    response = client.post("/cabinet/on-behalf/stop/")
    assert response["Location"] == "/cabinet/on-behalf/"
    assert client.get("/cabinet/").status_code == 403  # Анна is no member of any company
    assert CabinetAuditEvent.objects.filter(action=AuditAction.ON_BEHALF_STOP, company=beta[0]).exists()


def test_signing_out_stops_acting_on_behalf_with_an_audit_row(client, anna, beta):
    client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk})
    client.post("/cabinet/logout/")
    assert CabinetAuditEvent.objects.filter(action=AuditAction.ON_BEHALF_STOP).count() == 1


def test_a_superuser_may_act_for_any_company(client, pages, alpha):
    client.force_login(f.user(is_staff=True, is_superuser=True))
    assert client.post("/cabinet/on-behalf/start/", {"company": alpha[0].pk}).status_code == 302


def test_record_audit_notes_the_acting_company_and_on_behalf(rf, anna, beta):
    from b2b_cabinet.audit import record_audit

    request = rf.post("/cabinet/")
    request.user, request.company, request.on_behalf = anna, beta[0], True
    event = record_audit(request, AuditAction.ORDER_PLACED, beta[0], number="A-1")
    assert (event.company, event.on_behalf, event.data) == (beta[0], True, {"number": "A-1"})
