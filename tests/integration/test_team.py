"""The owner manages the team: invite by email with a role, change roles, deactivate, revoke."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from b2b_cabinet.models import AuditAction, CabinetAuditEvent, Invitation, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def accept_link(message) -> str:
    return re.search(r"http://testserver(/cabinet/invitation/\S+/)", message.body).group(1)


def invite(client, email, role="buyer"):
    return client.post("/cabinet/team/invite/", {"email": email, "role": role}, follow=True)


@pytest.fixture
def owner_client(client, pages, alpha):
    client.force_login(alpha[1])
    return client


def test_the_team_page_lists_members_and_pending_invitations(owner_client, alpha):
    company, _ = alpha
    f.member(company, role="viewer", email="irina@example.com")
    invite(owner_client, "olga@example.com", "accountant")
    html = owner_client.get("/cabinet/team/").content.decode()
    assert "irina@example.com" in html and "olga@example.com" in html


def test_the_owner_invites_a_new_person_who_sets_a_password_and_joins(owner_client, client, alpha,
                                                                      django_capture_on_commit_callbacks):
    company, _ = alpha
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(owner_client, "irina@example.com", "buyer")
    assert "Invitation sent" in response.content.decode()
    link = accept_link(mail.outbox[-1])
    assert "Альфа" in mail.outbox[-1].subject
    owner_client.post("/cabinet/logout/")
    page = client.get(link)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    response = client.post(link, {"password1": "Kalina-2026!", "password2": "Kalina-2026!"})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="irina@example.com")
    assert Membership.objects.get(user=user, company=company).role == "buyer"
    assert client.get("/cabinet/").status_code == 200  # signed in
    assert CabinetAuditEvent.objects.filter(action=AuditAction.INVITATION_ACCEPTED, user=user).exists()


def test_an_existing_user_signs_in_first_and_then_accepts(owner_client, client, alpha, beta,
                                                         django_capture_on_commit_callbacks):
    company, _ = alpha
    _, beta_owner = beta
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner_client, "beta@example.com", "viewer")
    link = accept_link(mail.outbox[-1])
    owner_client.post("/cabinet/logout/")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/cabinet/login/?next=")
    client.force_login(beta_owner)
    assert "Accept the invitation" in client.get(link).content.decode()
    client.post(link)
    assert Membership.objects.get(user=beta_owner, company=company).role == "viewer"
    assert client.session["b2b_company_id"] == company.pk


def test_inviting_a_current_member_is_refused(owner_client, alpha):
    company, _ = alpha
    f.member(company, email="irina@example.com")
    response = invite(owner_client, "IRINA@example.com")
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_new_invitation_to_the_same_address_replaces_the_pending_one(owner_client, alpha):
    invite(owner_client, "irina@example.com")
    invite(owner_client, "irina@example.com", "viewer")
    assert list(Invitation.objects.pending().values_list("role", flat=True)) == ["viewer"]


def test_an_invalid_email_shows_the_form_error(owner_client):
    response = owner_client.post("/cabinet/team/invite/", {"email": "not-an-email", "role": "buyer"})
    assert response.status_code == 200 and "errors" in response.content.decode()


def test_the_owner_changes_a_role_and_it_is_audited(owner_client, alpha):
    company, owner = alpha
    irina = f.member(company, role="buyer", email="irina@example.com")
    membership = Membership.objects.get(user=irina)
    owner_client.post(f"/cabinet/team/members/{membership.pk}/role/", {"role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == "viewer"
    event = CabinetAuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (event.user, event.company, event.data["old"], event.data["new"]) == (owner, company, "buyer", "viewer")
    assert event.ip_address == "127.0.0.1"


def test_the_owner_deactivates_a_leaver_who_then_loses_access(owner_client, client, alpha):
    company, _ = alpha
    leaver = f.member(company, email="leaver@example.com")
    membership = Membership.objects.get(user=leaver)
    owner_client.post(f"/cabinet/team/members/{membership.pk}/deactivate/")
    membership.refresh_from_db()
    assert not membership.is_active
    assert CabinetAuditEvent.objects.filter(action=AuditAction.MEMBER_DEACTIVATED).exists()


def test_the_last_owner_cannot_demote_or_deactivate_themselves(owner_client, alpha):
    _, owner = alpha
    membership = Membership.objects.get(user=owner)
    response = owner_client.post(f"/cabinet/team/members/{membership.pk}/role/", {"role": "buyer"}, follow=True)
    assert "at least one active owner" in response.content.decode()
    owner_client.post(f"/cabinet/team/members/{membership.pk}/deactivate/")
    membership.refresh_from_db()
    assert membership.role == "owner" and membership.is_active


def test_with_a_second_owner_the_first_may_step_down(owner_client, alpha):
    company, owner = alpha
    f.member(company, role="owner")
    membership = Membership.objects.get(user=owner)
    owner_client.post(f"/cabinet/team/members/{membership.pk}/role/", {"role": "buyer"})
    membership.refresh_from_db()
    assert membership.role == "buyer"


def test_the_owner_revokes_an_invitation(owner_client, alpha):
    invite(owner_client, "irina@example.com")
    invitation = Invitation.objects.get()
    owner_client.post(f"/cabinet/team/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert CabinetAuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).exists()


def test_a_buyer_gets_403_on_the_team_page(client, pages, alpha):
    client.force_login(f.member(alpha[0], role="buyer"))
    assert client.get("/cabinet/team/").status_code == 403
