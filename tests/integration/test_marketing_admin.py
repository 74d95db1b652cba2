"""Editors build marketing pages in the Wagtail admin without code: every page type's editor renders."""

import pytest
from django.core.management import call_command

from b2b_cabinet.models import CaseStudyIndexPage, CaseStudyPage, ContentPage, LeadFormPage, SegmentLandingPage
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE_TYPES = ["contentpage", "casestudyindexpage", "segmentlandingpage", "leadformpage"]


@pytest.mark.parametrize("model_name", PAGE_TYPES)
def test_the_add_page_editor_renders_for_every_marketing_page_type(admin_client, pages, model_name):
    response = admin_client.get(f"/admin/pages/add/b2b_cabinet/{model_name}/{pages['home'].pk}/")
    assert response.status_code == 200
    assert "form" in response.content.decode()


def test_the_demo_pages_open_in_the_editor_and_the_form_submissions_listing(admin_client, settings):
    # given the demo marketing site
    settings.DEBUG = True
    call_command("b2b_demo", products=10, stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    # then each of its pages opens in the page editor, with its blocks
    for model in (ContentPage, CaseStudyIndexPage, CaseStudyPage, SegmentLandingPage, LeadFormPage):
        for page in model.objects.all():
            assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page
    # and Wagtail's submissions listing of a form shows the attribution columns
    form = LeadFormPage.objects.get(kind="callback")
    data = {f.clean_name("Имя"): "Иван", f.clean_name("Телефон"): "+7 900 000-00-00"}
    admin_client.post(form.url + "?utm_source=yandex-direct", data)
    response = admin_client.get(f"/admin/forms/submissions/{form.pk}/")
    assert response.status_code == 200 and "yandex-direct" in response.content.decode()
