"""Signing in: throttling, password reset by email, and the company switcher."""

import re

import pytest
from django.core import mail

from b2b_cabinet.cabinet.company import SESSION_KEY
from tests import factories as f

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post("/cabinet/login/", {"username": email, "password": password})


def test_the_login_page_links_to_password_reset(client, pages):
    assert "/cabinet/password-reset/" in client.get("/cabinet/login/").content.decode()


def test_after_five_failures_even_the_right_password_is_refused_with_429(client, pages, alpha, settings):
    settings.B2B_CABINET = {"LOGIN_FAILURE_LIMIT": 5}
    for _ in range(5):
        assert login(client, "alpha@example.com", "wrong").status_code == 200
    response = login(client, "alpha@example.com", "pw")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_throttle_counts_per_email_so_other_accounts_still_sign_in(client, pages, alpha, beta, settings):
    settings.B2B_CABINET = {"LOGIN_FAILURE_LIMIT": 2}
    login(client, "alpha@example.com", "x")
    login(client, "alpha@example.com", "x")
    assert login(client, "beta@example.com", "pw").status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, pages, alpha, settings):
    settings.B2B_CABINET = {"LOGIN_FAILURE_LIMIT": 2}
    login(client, "alpha@example.com", "x")
    assert login(client, "alpha@example.com", "pw").status_code == 302
    client.post("/cabinet/logout/")
    login(client, "alpha@example.com", "x")
    assert login(client, "alpha@example.com", "pw").status_code == 302


def test_password_reset_sends_a_cabinet_link_that_sets_a_new_password(client, pages, alpha):
    response = client.post("/cabinet/password-reset/", {"email": "Alpha@Example.com"})
    assert response.status_code == 302 and response["Location"] == "/cabinet/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/cabinet/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "Kalina-2026!", "new_password2": "Kalina-2026!"})
    assert done["Location"] == "/cabinet/password-reset/done/"
    assert login(client, "alpha@example.com", "Kalina-2026!").status_code == 302


def test_password_reset_answers_the_same_for_an_unknown_email_and_sends_nothing(client, pages, alpha):
    known = client.post("/cabinet/password-reset/", {"email": "alpha@example.com"})
    unknown = client.post("/cabinet/password-reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["alpha@example.com"]]


def test_password_reset_email_is_in_russian_for_russian_visitors(client, pages, alpha):
    client.post("/cabinet/password-reset/", {"email": "alpha@example.com"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Сброс пароля" in mail.outbox[0].subject


def test_a_used_reset_link_no_longer_works(client, pages, alpha):
    client.post("/cabinet/password-reset/", {"email": "alpha@example.com"})
    link = re.search(r"http://testserver(/cabinet/password-reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Kalina-2026!", "new_password2": "Kalina-2026!"})
    assert "no longer valid" in client.get(link, follow=True).content.decode()


def test_a_member_of_two_companies_switches_between_them_in_the_header(client, pages, alpha, beta):
    _, owner = alpha
    beta_company, _ = beta
    f.contract(beta_company, number="Д-9")
    from b2b_cabinet.models import Membership

    Membership.objects.create(user=owner, company=beta_company, role="viewer")
    client.force_login(owner)
    html = client.get("/cabinet/").content.decode()
    assert 'class="company-switcher"' in html and "Бета" in html
    response = client.post("/cabinet/company/switch/", {"company": beta_company.pk})
    assert response.status_code == 302 and client.session[SESSION_KEY] == beta_company.pk
    dashboard = client.get("/cabinet/").content.decode()
    assert "Д-2/2026" in dashboard and "Д-1/2026" not in dashboard


def test_the_switcher_is_hidden_for_a_member_of_one_company(client, pages, alpha):
    client.force_login(alpha[1])
    assert "company-switcher" not in client.get("/cabinet/").content.decode()


def test_switching_needs_a_post(client, pages, alpha):
    client.force_login(alpha[1])
    assert client.get("/cabinet/company/switch/").status_code == 405


def test_repeated_reset_requests_stop_sending_mail_but_answer_the_same(client, pages, alpha, settings):
    settings.B2B_CABINET = {"LOGIN_FAILURE_LIMIT": 2}
    answers = [client.post("/cabinet/password-reset/", {"email": "alpha@example.com"})["Location"] for _ in range(4)]
    assert set(answers) == {"/cabinet/password-reset/sent/"}
    assert len(mail.outbox) == 2
