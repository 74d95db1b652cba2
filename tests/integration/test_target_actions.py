"""The target-action report shows where leads came from, by form, source and campaign, and exports."""

import pytest
from django.urls import reverse

from b2b_cabinet.models import LeadSubmission
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def submissions(pages):
    callback = f.lead_form_page(pages["home"], kind="callback", title="Перезвоните мне")
    brochure = f.lead_form_page(pages["home"], kind="brochure", title="Брошюра")
    rows = [
        (callback, "yandex", "cpc", "meters-autumn"),
        (callback, "yandex", "cpc", "meters-autumn"),
        (brochure, "yandex", "cpc", "meters-autumn"),
        (brochure, "vk", "social", "expo-2026"),
        (callback, "", "", ""),
    ]
    for page, source, medium, campaign in rows:
        LeadSubmission.objects.create(
            page=page, kind=page.kind, form_data={}, utm_source=source, utm_medium=medium, utm_campaign=campaign
        )
    return callback, brochure


def test_the_summary_counts_actions_per_form_source_and_campaign(admin_client, submissions):
    response = admin_client.get(reverse("leadsubmission:summary"))
    assert response.status_code == 200
    rows = {(r["page__title"], r["utm_source"], r["utm_campaign"]): r["count"] for r in response.context["rows"]}
    assert rows == {
        ("Перезвоните мне", "yandex", "meters-autumn"): 2,
        ("Брошюра", "yandex", "meters-autumn"): 1,
        ("Брошюра", "vk", "expo-2026"): 1,
        ("Перезвоните мне", "", ""): 1,
    }
    assert response.context["total"] == 5


def test_the_summary_filters_by_campaign_and_exports_csv(admin_client, submissions):
    url = reverse("leadsubmission:summary")
    response = admin_client.get(url, {"utm_campaign": "expo-2026", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Брошюра,") and lines[1].endswith(",expo-2026,1")


def test_the_listing_of_target_actions_filters_by_source_and_exports(admin_client, submissions):
    url = reverse("leadsubmission:index")
    listed = admin_client.get(url, {"utm_source": "vk"}).context["object_list"]
    assert [s.utm_campaign for s in listed] == ["expo-2026"]
    export = admin_client.get(url, {"export": "csv", "utm_source": "yandex"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert body.count("meters-autumn") == 3 and "expo-2026" not in body


def test_the_report_is_read_only_for_staff(admin_client, submissions):
    assert admin_client.get("/admin/leadsubmission/new/").status_code == 404


def test_the_product_chooser_finds_products_by_sku(admin_client):
    f.product(name="Счётчик Меркурий 234", sku="M234")
    f.product(name="Кабель", sku="KAB-1")
    response = admin_client.get(reverse("b2b_product_chooser:choose_results"), {"q": "M234"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Меркурий" in html and "Кабель" not in html


def test_a_target_action_and_an_application_open_in_the_admin(admin_client, submissions):
    submission = LeadSubmission.objects.first()
    assert admin_client.get(reverse("leadsubmission:inspect", args=[submission.pk])).status_code == 200
    application = f.distributor_application(submission=submission)
    for name in ("edit", "inspect"):
        url = reverse(f"distributorapplication:{name}", args=[application.pk])
        assert admin_client.get(url).status_code == 200, name
