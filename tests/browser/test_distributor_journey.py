"""A visitor applies to become a distributor, staff approve in the admin, the new owner signs in."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from b2b_cabinet.models import DistributorApplication, Region
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ensure_default_site() -> None:
    """The Wagtail root, a locale and a default site, which an earlier transactional test may have flushed.

    (``serialized_rollback`` would restore them, but its flush skips ``post_migrate`` and so leaves
    later transactional tests without content types.)
    """
    if Site.objects.filter(is_default_site=True).exists():
        return
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def test_apply_as_distributor_then_approve_in_the_admin_then_sign_in_as_the_new_owner(live_server, browser_page):
    page = browser_page
    # given a site with a distributor form and a staff member who decides applications
    ensure_default_site()
    pages = f.site_pages()
    Region.objects.create(name="Урал")
    f.lead_form_page(pages["home"], kind="distributor", slug="distributor", title="Стать дистрибьютором")
    get_user_model().objects.create_superuser("boss", "boss@example.com", "Boss-pass-2026")

    # when a visitor from a campaign fills in the application
    page.goto(f"{live_server.url}/distributor/?utm_source=expo&utm_campaign=autumn")
    page.get_by_label("Company name").fill("ООО «Энергоучёт»")
    page.get_by_label("ИНН").fill(f.VALID_INN_10)
    page.get_by_label("КПП").fill(f.VALID_KPP)
    page.get_by_label("Region").select_option(label="Урал")
    page.get_by_label("Contact person").fill("Олег Заявкин")
    page.get_by_label("Email").fill("oleg@example.com")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Thank you").wait_for()
    application = DistributorApplication.objects.get()
    assert application.submission.utm_campaign == "autumn"

    # and staff sign in to the admin and approve it from the applications listing
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "Boss-pass-2026")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}{reverse('distributorapplication:index')}")
    page.get_by_role("button", name=re.compile("More options for .ООО «Энергоучёт»")).click()
    page.get_by_role("link", name="Approve").click()
    page.wait_for_url(re.compile(reverse("distributorapplication:approve", args=[application.pk]) + "$"))
    page.locator("form button[type=submit]", has_text="Approve").click()
    page.get_by_text("Approved: the company and its owner").wait_for()

    # then the new owner follows the emailed link, chooses a password and signs in to their cabinet
    page.context.clear_cookies()
    link = re.search(r"https?://[^/\s]+(/cabinet/password-reset/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{live_server.url}{link}")
    page.get_by_label("New password", exact=True).fill("Vesna-2026-Ural")
    page.get_by_label("New password confirmation").fill("Vesna-2026-Ural")
    page.get_by_role("button", name="Change my password").click()
    page.get_by_role("link", name="Sign in with your new password").click()
    page.get_by_label("Email").fill("oleg@example.com")
    page.get_by_label("Password").fill("Vesna-2026-Ural")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/cabinet/$"))
    assert "ООО «Энергоучёт»" in page.content()

