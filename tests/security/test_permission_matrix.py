"""Every cabinet URL × every role against ``b2b_cabinet.permissions.MATRIX``, and as another company.

A new cabinet view must declare ``required_action``; a URL with parameters must get a sample here
(``SAMPLES``), so no view can join the cabinet without being walked by this test.
"""

import pytest

from b2b_cabinet.cabinet import urls as cabinet_urls
from b2b_cabinet.models import Cart, CartLine, Invitation, Membership, SavedList, SavedListLine
from b2b_cabinet.permissions import MATRIX, ON_BEHALF_ROLE, PUBLIC, SIGNED_IN, STAFF, Access
from tests import factories as f

pytestmark = pytest.mark.django_db
PATTERNS = [p for p in cabinet_urls.urlpatterns]
ROLES = [*Membership.Role.values, "on_behalf"]
# Strings that only the company «Альфа» (the one under test) has; they must never reach another company.
ALPHA_SECRETS = ("Д-1/2026", "6671234560", "alpha@example.com", "irina@example.com", "A-SECRET-1")


@pytest.fixture
def world(pages, alpha, beta):
    """«Альфа» with a member of every role, an invitation and an order; «Бета» with its owner."""
    company, owner = alpha
    members = {"owner": owner}
    for role in ("buyer", "accountant", "viewer"):
        members[role] = f.member(company, role=role)
    manager = f.user(is_staff=True)
    company.manager = manager
    company.save()
    members["on_behalf"] = manager
    order = f.order(company, number="A-SECRET-1", po_number="A-SECRET-1")
    product = f.product(sku="A-SECRET-1")
    f.order_line(order, product)
    cart_line = CartLine.objects.create(cart=Cart.objects.create(user=owner, company=company), product=product,
                                        quantity=1)
    saved = SavedList.objects.create(company=company, owner=owner, name="A-SECRET-1")
    saved_line = SavedListLine.objects.create(saved_list=saved, product=product, quantity=1)
    target = Membership.objects.get(user=members["viewer"])
    invitation = Invitation.objects.create(company=company, email="irina@example.com", token_hash="x" * 64,
                                           expires_at="2099-01-01T00:00Z")
    finance_samples = finance_world(company, order, product)
    samples = {
        **finance_samples,
        "team_member_role": {"pk": target.pk},
        "team_member_deactivate": {"pk": target.pk},
        "team_invitation_revoke": {"pk": invitation.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "invitation_accept": {"token": "made-up"},
        "cart_line_update": {"pk": cart_line.pk},
        "cart_line_remove": {"pk": cart_line.pk},
        "order_detail": {"pk": order.pk},
        "order_cancel": {"pk": order.pk},
        "order_repeat": {"pk": order.pk},
        "list_detail": {"pk": saved.pk},
        "list_to_cart": {"pk": saved.pk},
        "list_delete": {"pk": saved.pk},
        "list_line_remove": {"pk": saved.pk, "line_pk": saved_line.pk},
    }
    return {"company": company, "members": members, "samples": samples, "beta_owner": beta[1],
            "cabinet": pages["cabinet"]}


def finance_world(company, order, product):
    """An invoice, an online payment, a shipment with a document, all «Альфа»'s (``A-SECRET-1`` numbers)."""
    from django.core.files.base import ContentFile

    from b2b_cabinet.models import Invoice, OnlinePayment, OrderPart, Shipment, ShipmentDocument

    part = OrderPart.objects.create(order=order, index=1, number="A-SECRET-1/1")
    invoice = Invoice.objects.create(company=company, order=order, part=part, number="A-SECRET-1",
                                     issued_on="2026-11-02", due_date="2026-11-12", total=100)
    online = OnlinePayment.objects.create(variant="dummy", invoice=invoice, total=100, currency="RUB")
    shipment = Shipment.objects.create(company=company, order=order, order_part=part, number="A-SECRET-1",
                                       date="2026-11-03", dedup_key="test:A-SECRET-1")
    document = ShipmentDocument(shipment=shipment, title="A-SECRET-1")
    document.file.save("upd.pdf", ContentFile(b"%PDF-1.4 A-SECRET-1"), save=True)
    return {
        "order_invoice": {"pk": order.pk},
        "finance_invoice_detail": {"pk": invoice.pk},
        "finance_invoice_pdf": {"pk": invoice.pk},
        "finance_invoice_pay": {"pk": invoice.pk},
        "finance_online_payment": {"token": online.token},
        "finance_shipment_document": {"pk": shipment.pk, "doc_pk": document.pk},
    }


def url_of(world, pattern):
    kwargs = world["samples"].get(pattern.name, {})
    assert set(kwargs) == set(pattern.pattern.converters), f"add a sample for {pattern.name!r} to the fixture"
    return world["cabinet"].cabinet_url(pattern.name, **kwargs)


def sign_in(client, world, role):
    client.force_login(world["members"][role])
    if role == "on_behalf":
        client.post("/cabinet/on-behalf/start/", {"company": world["company"].pk})


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_every_cabinet_view_declares_what_it_requires(pattern):
    action = pattern.callback.view_class.required_action
    assert action in MATRIX or action in Access.__members__.values(), pattern.name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_each_role_gets_exactly_what_the_matrix_grants(client, world, pattern, role):
    action = pattern.callback.view_class.required_action
    url = url_of(world, pattern)
    sign_in(client, world, role)
    response = client.get(url)
    if action in (PUBLIC, SIGNED_IN):
        assert response.status_code != 403, url
        return
    if action == STAFF:
        assert (response.status_code == 403) == (role != "on_behalf"), url
        return
    effective = ON_BEHALF_ROLE if role == "on_behalf" else role
    allowed = effective in MATRIX[action]
    if allowed:
        assert response.status_code in (200, 405), (url, role, response.status_code)
    else:
        assert response.status_code == 403, (url, role, response.status_code)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_anonymous_visitors_are_sent_to_sign_in_except_on_public_pages(client, world, pattern):
    action = pattern.callback.view_class.required_action
    response = client.get(url_of(world, pattern))
    to_login = response.status_code == 302 and response["Location"].startswith("/cabinet/login/")
    assert to_login == (action != PUBLIC), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_another_companys_owner_sees_nothing_of_alpha_at_any_url(client, world, pattern, method):
    client.force_login(world["beta_owner"])
    response = getattr(client, method)(url_of(world, pattern), {"role": "viewer", "company": world["company"].pk})
    body = response.content.decode() if not response.streaming else ""
    assert not any(secret in body for secret in ALPHA_SECRETS), pattern.name
    if pattern.pattern.converters and pattern.callback.view_class.required_action not in (PUBLIC, SIGNED_IN):
        assert response.status_code in (403, 404, 405), (pattern.name, response.status_code)
    viewer = Membership.objects.get(user=world["members"]["viewer"])
    assert viewer.is_active and viewer.role == "viewer"
    assert Invitation.objects.pending().filter(company=world["company"]).exists()
    # Nothing of «Альфа»'s was changed by another company's POSTs.
    assert SavedList.objects.filter(company=world["company"]).exists()
    assert CartLine.objects.filter(cart__company=world["company"]).exists()
    assert world["company"].orders.get().status == "new"
