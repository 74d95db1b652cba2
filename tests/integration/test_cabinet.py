"""The cabinet page: login by email, dashboard of the user's own company."""

import pytest

from b2b_cabinet.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_cabinet_redirects_anonymous_visitors_to_its_login_page(client, pages):
    response = client.get("/cabinet/")
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/login/?next=/cabinet/"


def test_login_page_is_a_standard_form_with_username_and_password(client, pages):
    html = client.get("/cabinet/login/").content.decode()
    assert 'name="username"' in html and 'name="password"' in html


def test_a_user_logs_in_with_email_and_sees_their_company(client, pages, alpha):
    _company, _owner = alpha
    response = client.post("/cabinet/login/", {"username": "ALPHA@example.com", "password": "pw"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/cabinet/"
    assert "Альфа" in html
    assert "Д-1/2026" in html
    assert "6671234560" in html


def test_a_wrong_password_is_refused_with_a_message(client, pages, alpha):
    response = client.post("/cabinet/login/", {"username": "alpha@example.com", "password": "nope"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_dashboard_shows_the_sales_manager(client, pages, alpha):
    company, owner = alpha
    manager = f.user(email="anna@example.com", first_name="Анна", last_name="Смирнова", is_staff=True)
    company.manager = manager
    company.save()
    client.force_login(owner)
    html = client.get("/cabinet/").content.decode()
    assert "Анна Смирнова" in html and "anna@example.com" in html


def test_a_user_sees_only_their_own_company(client, pages, alpha, beta):
    beta_company, _ = beta
    f.order(beta_company, number="B-SECRET-1")
    f.legal_entity(beta_company, name="ООО «Бета-Секрет»")
    _, alpha_owner = alpha
    client.force_login(alpha_owner)
    html = client.get("/cabinet/").content.decode()
    assert "Альфа" in html
    assert "Бета" not in html and "B-SECRET-1" not in html and "Д-2/2026" not in html


def test_a_user_without_a_company_gets_an_explanation_not_data(client, pages, alpha):
    client.force_login(f.user())
    response = client.get("/cabinet/")
    assert response.status_code == 403
    assert "not linked to a company" in response.content.decode()


def test_a_revoked_membership_closes_the_cabinet(client, pages, alpha):
    _company, owner = alpha
    Membership.objects.filter(user=owner).update(is_active=False)
    client.force_login(owner)
    assert client.get("/cabinet/").status_code == 403


def test_logout_signs_out_and_returns_to_login(client, pages, alpha):
    _, owner = alpha
    client.force_login(owner)
    response = client.post("/cabinet/logout/")
    assert response.status_code == 302 and response["Location"] == "/cabinet/login/"
    assert client.get("/cabinet/").status_code == 302


def test_dashboard_lists_recent_orders_of_the_company(client, pages, alpha):
    company, owner = alpha
    f.order(company, number="A-000123")
    client.force_login(owner)
    assert "A-000123" in client.get("/cabinet/").content.decode()
