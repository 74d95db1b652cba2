"""Shared fixtures."""

import pytest
from wagtail.test.utils import WagtailTestUtils

from tests import factories as f


@pytest.fixture
def pages(db):
    """Catalogue at /catalog/ and cabinet at /cabinet/ under the default site's root."""
    return f.site_pages()


@pytest.fixture
def alpha(db):
    """Company «Альфа» with a contract, a legal entity and an owner."""
    company = f.company("Альфа")
    f.legal_entity(company, name="ООО «Альфа-Трейд»", inn="6671234560", kpp="667101001")
    f.contract(company, number="Д-1/2026")
    owner = f.member(company, role="owner", email="alpha@example.com")
    return company, owner


@pytest.fixture
def beta(db):
    """Company «Бета» with a contract and an owner."""
    company = f.company("Бета")
    f.contract(company, number="Д-2/2026")
    owner = f.member(company, role="owner", email="beta@example.com")
    return company, owner


@pytest.fixture
def admin_client(client, db):
    """A client signed in as a Wagtail superuser."""
    admin = WagtailTestUtils().create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login throttling counts failures in the cache: start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seller(db):
    """The default site's seller requisites, filled in."""
    return f.seller()


@pytest.fixture
def alpha_order(alpha, seller):
    """Альфа's order of 2 × 100.00 + 3 × 50.00 = 350.00 in one part, under a contract with 10 days' terms."""
    company, _owner = alpha
    contract = company.default_contract
    contract.payment_terms_days = 10
    contract.save()
    return f.order_with_part(company, lines=(("100.00", "2"), ("50.00", "3")), number="A-000101")
