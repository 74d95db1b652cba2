"""Accounts and roles can't be turned against another company, or replayed."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from b2b_cabinet.audit import Actor
from b2b_cabinet.cabinet.company import ON_BEHALF_SESSION_KEY, SESSION_KEY
from b2b_cabinet.models import AuditAction, CabinetAuditEvent, Invitation, Membership
from b2b_cabinet.team import hash_token, invite_member
from tests import factories as f

pytestmark = pytest.mark.django_db


def send_invitation(company, owner, email="irina@example.com", role="buyer"):
    """Invite through the use-case and return the raw token from the link."""
    tokens = []
    invite_member(Actor(owner), company, email, role, lambda t: tokens.append(t) or f"/cabinet/invitation/{t}/")
    return tokens[0]


def test_an_owner_cannot_touch_another_companys_members_or_invitations(client, pages, alpha, beta):
    beta_company, beta_owner = beta
    victim = Membership.objects.get(user=beta_owner)
    send_invitation(beta_company, beta_owner)
    invitation = Invitation.objects.get()
    client.force_login(alpha[1])
    assert client.post(f"/cabinet/team/members/{victim.pk}/role/", {"role": "viewer"}).status_code == 404
    assert client.post(f"/cabinet/team/members/{victim.pk}/deactivate/").status_code == 404
    assert client.post(f"/cabinet/team/invitations/{invitation.pk}/revoke/").status_code == 404
    victim.refresh_from_db()
    invitation.refresh_from_db()
    assert victim.role == "owner" and victim.is_active and invitation.revoked_at is None


def test_the_team_page_shows_no_other_companys_people(client, pages, alpha, beta):
    client.force_login(alpha[1])
    assert "beta@example.com" not in client.get("/cabinet/team/").content.decode()


def test_only_a_hash_of_the_invitation_token_is_stored(alpha):
    token = send_invitation(*alpha)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash


def test_an_invitation_works_only_once(client, pages, alpha):
    token = send_invitation(*alpha)
    url = f"/cabinet/invitation/{token}/"
    client.post(url, {"password1": "Kalina-2026!", "password2": "Kalina-2026!"})
    client.post("/cabinet/logout/")
    again = client.post(url, {"password1": "Other-2026!", "password2": "Other-2026!"})
    assert again.status_code == 404
    assert Membership.objects.filter(user__email="irina@example.com").count() == 1


def test_an_expired_invitation_is_refused(client, pages, alpha):
    token = send_invitation(*alpha)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/cabinet/invitation/{token}/").status_code == 404


def test_a_revoked_invitation_is_refused(client, pages, alpha):
    token = send_invitation(*alpha)
    Invitation.objects.update(revoked_at=timezone.now())
    assert client.post(f"/cabinet/invitation/{token}/", {"password1": "Kalina-2026!",
                                                          "password2": "Kalina-2026!"}).status_code == 404


def test_a_made_up_token_is_refused(client, pages, alpha):
    send_invitation(*alpha)
    assert client.get("/cabinet/invitation/not-a-token/").status_code == 404


def test_an_invitation_cannot_be_accepted_by_someone_signed_in_as_another_person(client, pages, alpha, beta):
    token = send_invitation(*alpha, email="irina@example.com")
    client.force_login(beta[1])
    assert client.post(f"/cabinet/invitation/{token}/").status_code == 403
    assert not Membership.objects.filter(user=beta[1], company=alpha[0]).exists()


def test_a_new_account_cannot_hijack_an_existing_address(client, pages, alpha, beta):
    token = send_invitation(*alpha, email="beta@example.com")
    response = client.post(f"/cabinet/invitation/{token}/", {"password1": "Kalina-2026!",
                                                              "password2": "Kalina-2026!"})
    assert response.status_code == 302 and "/cabinet/login/" in response["Location"]
    assert not Membership.objects.filter(company=alpha[0], user__email="beta@example.com").exists()


def test_the_switcher_refuses_a_company_the_user_does_not_belong_to(client, pages, alpha, beta):
    client.force_login(alpha[1])
    assert client.post("/cabinet/company/switch/", {"company": beta[0].pk}).status_code == 404
    assert client.post("/cabinet/company/switch/", {"company": "x"}).status_code == 404
    assert SESSION_KEY not in client.session


def test_a_forged_session_company_is_ignored(client, pages, alpha, beta):
    client.force_login(alpha[1])
    session = client.session
    session[SESSION_KEY] = beta[0].pk
    session.save()
    html = client.get("/cabinet/").content.decode()
    assert "Д-1/2026" in html and "Д-2/2026" not in html


def test_the_switcher_needs_the_csrf_token(pages, alpha, beta):
    from django.test import Client

    Membership.objects.create(user=alpha[1], company=beta[0], role="buyer")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alpha[1])
    assert client.post("/cabinet/company/switch/", {"company": beta[0].pk}).status_code == 403


def test_a_manager_cannot_act_for_an_unassigned_company(client, pages, alpha, beta):
    anna = f.user(is_staff=True)
    beta[0].manager = anna
    beta[0].save()
    client.force_login(anna)
    assert client.post("/cabinet/on-behalf/start/", {"company": alpha[0].pk}).status_code == 404
    assert ON_BEHALF_SESSION_KEY not in client.session


def test_a_partner_cannot_act_on_behalf_at_all(client, pages, alpha, beta):
    client.force_login(alpha[1])
    assert client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk}).status_code == 403
    assert client.get("/cabinet/on-behalf/").status_code == 403


def test_on_behalf_ends_when_the_assignment_is_withdrawn(client, pages, beta):
    anna = f.user(is_staff=True)
    beta[0].manager = anna
    beta[0].save()
    client.force_login(anna)
    client.post("/cabinet/on-behalf/start/", {"company": beta[0].pk})
    beta[0].manager = None
    beta[0].save()
    response = client.get("/cabinet/")
    assert response.status_code == 403 and "Д-2/2026" not in response.content.decode()
    assert CabinetAuditEvent.objects.get(action=AuditAction.ON_BEHALF_STOP).data == {"reason": "no longer assigned"}


def test_an_invitation_to_an_address_used_as_a_username_asks_to_sign_in(client, pages, alpha):
    get_user_model().objects.create_user(username="irina@example.com", email="other@example.com", password="pw")
    token = send_invitation(*alpha, email="irina@example.com")
    response = client.post(f"/cabinet/invitation/{token}/", {"password1": "Kalina-2026!", "password2": "Kalina-2026!"})
    assert response.status_code == 302 and "/cabinet/login/" in response["Location"]


def test_password_reset_mail_never_goes_to_an_address_that_is_not_registered(client, pages, alpha):
    client.post("/cabinet/password-reset/", {"email": "alpha@example.com.evil.test"})
    assert mail.outbox == []


def test_the_reset_link_points_at_the_cabinet_only(client, pages, alpha):
    client.post("/cabinet/password-reset/", {"email": "alpha@example.com"})
    assert re.search(r"http://testserver/cabinet/password-reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)
