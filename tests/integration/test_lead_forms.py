"""Lead forms: submissions record where the visitor came from; the brochure is gated; applications are filed."""

import pytest
from django.core import mail
from django.test import Client

from b2b_cabinet.models import DistributorApplication, LeadSubmission, Region
from tests import factories as f

pytestmark = pytest.mark.django_db

#: The form builder's name for the factory's «Комментарий» field.
COMMENT = f.clean_name("Комментарий")


@pytest.fixture
def callback(pages):
    return f.lead_form_page(pages["home"], kind="callback", slug="call-me", title="Перезвоните мне")


@pytest.fixture
def distributor(pages):
    Region.objects.create(name="Урал")
    return f.lead_form_page(
        pages["home"],
        kind="distributor",
        slug="become-distributor",
        to_address="sales@example.com",
        from_address="site@example.com",
        subject="Новая заявка",
    )


@pytest.fixture
def brochure(pages):
    return f.lead_form_page(pages["home"], kind="brochure", slug="brochure", brochure=f.document())


def application_data(**overrides):
    data = {
        "company_name": "ООО «Энергоучёт»",
        "inn": f.VALID_INN_10,
        "kpp": f.VALID_KPP,
        "region": Region.objects.get(name="Урал").pk,
        "contact_name": "Олег Заявкин",
        "email": "Oleg@Example.com",
        "phone": "+7 900 123-45-67",
        COMMENT: "Хотим продавать счётчики",
    }
    return {**data, **overrides}


def test_a_submission_records_the_utm_parameters_of_the_form_url(client, callback):
    # given a visitor who opened the form from an ad link
    url = "/call-me/?utm_source=yandex&utm_medium=cpc&utm_campaign=meters-autumn&utm_term=счётчики"
    assert client.get(url).status_code == 200
    # when they submit it (the form posts back to the same URL)
    response = client.post(url, {COMMENT: "Позвоните после обеда"})
    # then the submission carries the campaign
    assert response.status_code == 200
    submission = LeadSubmission.objects.get()
    assert (submission.kind, submission.utm_source, submission.utm_medium, submission.utm_campaign) == (
        "callback",
        "yandex",
        "cpc",
        "meters-autumn",
    )
    assert submission.utm_term == "счётчики"
    assert submission.form_data[COMMENT] == "Позвоните после обеда"


def test_utm_and_referrer_from_the_landing_page_reach_a_form_submitted_later(client, callback):
    # given a visitor who landed on the home page from a search engine with a campaign
    client.get("/?utm_source=google&utm_campaign=brand", HTTP_REFERER="https://www.google.com/search?q=b2b")
    # and browsed to the form on the site itself
    client.get("/call-me/", HTTP_REFERER="http://testserver/")
    # when they submit it
    client.post("/call-me/", {COMMENT: ""}, HTTP_REFERER="http://testserver/call-me/")
    # then the landing touch is recorded, not the site's own pages
    submission = LeadSubmission.objects.get()
    assert (submission.utm_source, submission.utm_campaign) == ("google", "brand")
    assert submission.referrer == "https://www.google.com/search?q=b2b"
    assert submission.landing_url == "/?utm_source=google&utm_campaign=brand"


def test_a_visit_without_a_campaign_creates_no_session(client, callback):
    client.get("/call-me/")
    assert "sessionid" not in client.cookies


def test_a_form_post_without_the_csrf_token_is_refused(callback):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/call-me/", {COMMENT: "x"})
    assert response.status_code == 403
    assert not LeadSubmission.objects.exists()


def test_a_distributor_application_is_filed_and_staff_are_emailed(
    client, distributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/become-distributor/?utm_source=expo", application_data())
    assert response.status_code == 200
    application = DistributorApplication.objects.get()
    assert (application.company_name, application.inn, application.kpp, application.region.name) == (
        "ООО «Энергоучёт»",
        f.VALID_INN_10,
        f.VALID_KPP,
        "Урал",
    )
    assert application.email == "oleg@example.com" and application.status == "new"
    assert application.submission.utm_source == "expo"
    assert application.submission.form_data["region"] == "Урал"
    assert [m.to for m in mail.outbox] == [["sales@example.com"]]


def test_the_distributor_form_shows_its_fixed_fields_before_the_editors_fields(client, distributor):
    html = client.get("/become-distributor/").content.decode()
    assert html.index('name="inn"') < html.index('name="kpp"') < html.index(f'name="{COMMENT}"')
    assert 'autocomplete="email"' in html and '<label for="id_inn">' in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"inn": "7707083894"}, "inn"),  # wrong check digit
        ({"inn": "77070838"}, "inn"),  # too short
        ({"kpp": ""}, "kpp"),  # an organisation without КПП
        ({"inn": f.VALID_INN_12}, "kpp"),  # a sole proprietor with a КПП
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_an_application_with_invalid_requisites_is_refused_with_the_field_marked(client, distributor, overrides, field):
    response = client.post("/become-distributor/", application_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DistributorApplication.objects.exists()


def test_inn_pasted_with_spaces_is_accepted(client, distributor):
    client.post("/become-distributor/", application_data(inn="7707 083 893"))
    assert DistributorApplication.objects.get().inn == f.VALID_INN_10


def test_the_brochure_link_appears_only_after_a_submission_and_downloads_the_file(client, brochure):
    # given the form page before submission: no link to the file
    html = client.get("/brochure/").content.decode()
    assert "/download/" not in html and brochure.brochure.url not in html
    # when the visitor submits the form
    response = client.post("/brochure/", {COMMENT: ""})
    # then the thank-you page links to a signed download that serves the file
    link = response.context["download_url"]
    assert link.startswith("/brochure/download/")
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 brochure"
    assert "attachment" in download["Content-Disposition"]


def test_a_forged_or_expired_brochure_link_is_404(client, brochure, settings):
    assert client.get("/brochure/download/guess/").status_code == 404
    link = client.post("/brochure/", {}).context["download_url"]
    settings.B2B_CABINET = {"BROCHURE_LINK_HOURS": 0}
    import time

    time.sleep(1.1)
    assert client.get(link).status_code == 404


def test_a_brochure_token_of_one_form_does_not_open_another(client, brochure, pages):
    other = f.lead_form_page(pages["home"], kind="brochure", slug="other", brochure=f.document("Секрет"))
    link = client.post("/brochure/", {}).context["download_url"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/other/download/{token}/").status_code == 404
    assert other.pk
