"""Approving a distributor application makes a working cabinet login; rejecting explains why."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from b2b_cabinet import leads
from b2b_cabinet.exceptions import ApplicationError
from b2b_cabinet.models import Company, DistributorApplication, LegalEntity, Membership, Region
from tests import factories as f

pytestmark = pytest.mark.django_db

APPROVE = "distributorapplication:approve"
REJECT = "distributorapplication:reject"


@pytest.fixture
def application(pages):
    return f.distributor_application(
        company_name="ООО «Энергоучёт»", email="oleg@example.com", region=Region.objects.create(name="Урал")
    )


def set_password_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/cabinet/password-reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_approval_creates_the_company_legal_entity_and_owner_and_emails_a_link(
    application, django_capture_on_commit_callbacks
):
    # given a staff member who may decide applications
    staff = f.decider()
    # when they approve the application
    with django_capture_on_commit_callbacks(execute=True):
        leads.approve_application(application, by=staff)
    # then the company exists with its legal entity and region
    company = Company.objects.get(name="ООО «Энергоучёт»")
    assert company.region.name == "Урал"
    entity = LegalEntity.objects.get(company=company)
    assert (entity.inn, entity.kpp, entity.is_default) == (f.VALID_INN_10, f.VALID_KPP, True)
    # and the applicant owns it, with no password until they choose one
    owner = get_user_model().objects.get(email="oleg@example.com")
    assert Membership.objects.get(user=owner, company=company).role == Membership.Role.OWNER
    assert not owner.has_usable_password()
    # and the application records the decision
    application.refresh_from_db()
    assert (application.status, application.company, application.user, application.decided_by) == (
        "approved",
        company,
        owner,
        staff,
    )
    # and the owner got one email with a set-password link into the cabinet
    assert [m.to for m in mail.outbox] == [["oleg@example.com"]]
    assert set_password_path(mail.outbox[0]).startswith("/cabinet/password-reset/")


def test_the_new_owner_sets_a_password_from_the_link_and_signs_in_to_their_cabinet(
    client, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        leads.approve_application(application, by=f.decider())
    link = set_password_path(mail.outbox[0])
    # when the owner follows the link (Django moves the token into the session and redirects)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    # and chooses a password
    response = client.post(form_url, {"new_password1": "Vesna-2026-Ural", "new_password2": "Vesna-2026-Ural"})
    assert response.status_code == 302 and response["Location"] == "/cabinet/password-reset/done/"
    # then they can sign in with their email and see their company
    response = client.post("/cabinet/login/", {"username": "oleg@example.com", "password": "Vesna-2026-Ural"})
    assert response.status_code == 302
    assert "ООО «Энергоучёт»" in client.get("/cabinet/").content.decode()
    # and the link does not work a second time
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_an_applicant_with_an_account_becomes_owner_and_is_told_to_sign_in(
    application, django_capture_on_commit_callbacks
):
    existing = f.user(email="oleg@example.com", password="old-password")
    with django_capture_on_commit_callbacks(execute=True):
        leads.approve_application(application, by=f.decider())
    assert Membership.objects.get(user=existing).role == "owner"
    existing.refresh_from_db()
    assert existing.check_password("old-password")
    assert "/cabinet/login/" in mail.outbox[0].body and "password-reset" not in mail.outbox[0].body


def test_rejection_emails_the_reason_and_creates_nothing(application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        leads.reject_application(application, by=f.decider(), reason="Нет склада в регионе")
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == ("rejected", "Нет склада в регионе")
    assert not Company.objects.exists() and not get_user_model().objects.filter(email="oleg@example.com").exists()
    assert mail.outbox[0].to == ["oleg@example.com"] and "Нет склада в регионе" in mail.outbox[0].body


def test_a_rejection_needs_a_reason(application):
    with pytest.raises(ApplicationError):
        leads.reject_application(application, by=f.decider(), reason="  ")


def test_an_application_is_decided_only_once(application):
    staff = f.decider()
    leads.approve_application(application, by=staff)
    with pytest.raises(ApplicationError, match="already been decided"):
        leads.approve_application(application, by=staff)
    with pytest.raises(ApplicationError):
        leads.reject_application(application, by=staff, reason="x")
    assert Company.objects.count() == 1


def test_an_inn_that_is_already_a_customer_is_not_approved_again(application):
    f.legal_entity(f.company("Старый клиент"), inn=f.VALID_INN_10, kpp=f.VALID_KPP)
    with pytest.raises(ApplicationError, match="Старый клиент"):
        leads.approve_application(application, by=f.decider())
    assert DistributorApplication.objects.get().status == "new"


def test_staff_without_the_permission_cannot_approve(client, application):
    # given staff who may use the admin but not decide applications
    staff = f.user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    # then neither the use-case nor the admin view lets them approve
    with pytest.raises(PermissionDenied):
        leads.approve_application(application, by=staff)
    client.force_login(staff)
    # (Wagtail's admin answers PermissionDenied with a redirect to the dashboard and an error message)
    for response in (
        client.get(reverse(APPROVE, args=[application.pk])),
        client.post(reverse(APPROVE, args=[application.pk])),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert DistributorApplication.objects.get().status == "new"


def test_staff_with_the_permission_approve_in_the_admin(client, application, django_capture_on_commit_callbacks):
    client.force_login(f.decider())
    confirm = client.get(reverse(APPROVE, args=[application.pk]))
    assert confirm.status_code == 200 and "ООО «Энергоучёт»" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(APPROVE, args=[application.pk]))
    assert response.status_code == 302
    assert DistributorApplication.objects.get().status == "approved" and len(mail.outbox) == 1


def test_staff_reject_in_the_admin_with_a_reason(client, application):
    client.force_login(f.decider())
    assert client.post(reverse(REJECT, args=[application.pk]), {"reason": ""}).status_code == 200
    assert DistributorApplication.objects.get().status == "new"
    client.post(reverse(REJECT, args=[application.pk]), {"reason": "Дублирующая заявка"})
    assert DistributorApplication.objects.get().status == "rejected"


def test_the_admin_lists_applications_with_approve_and_reject_actions(admin_client, application):
    html = admin_client.get(reverse("distributorapplication:index")).content.decode()
    assert "ООО «Энергоучёт»" in html
    assert reverse(APPROVE, args=[application.pk]) in html and reverse(REJECT, args=[application.pk]) in html
    inspect = admin_client.get(reverse("distributorapplication:inspect", args=[application.pk]))
    assert reverse(APPROVE, args=[application.pk]) in inspect.content.decode()
