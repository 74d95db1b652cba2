"""Wagtail hooks: registration only; the admin itself lives in ``viewsets.py`` and ``sync_viewsets.py``."""

from wagtail import hooks

from b2b_cabinet.sync_viewsets import ExchangeViewSetGroup
from b2b_cabinet.viewsets import B2BViewSetGroup


@hooks.register("register_admin_viewset")
def register_b2b_viewsets():
    return B2BViewSetGroup()


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeViewSetGroup()
