"""Wagtail hooks: registration only; the admin itself lives in the ``*viewsets.py`` modules."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from b2b_cabinet import attribution
from b2b_cabinet.blocks.choosers import product_chooser_viewset
from b2b_cabinet.finance_viewsets import FinanceViewSetGroup
from b2b_cabinet.marketing_viewsets import MarketingViewSetGroup
from b2b_cabinet.notification_viewsets import EmailTemplateViewSet, NotificationViewSetGroup
from b2b_cabinet.pricing_viewsets import PricingViewSetGroup
from b2b_cabinet.sync_viewsets import ExchangeViewSetGroup
from b2b_cabinet.viewsets import B2BViewSetGroup


@hooks.register("register_admin_viewset")
def register_b2b_viewsets():
    return B2BViewSetGroup()


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeViewSetGroup()


@hooks.register("register_admin_viewset")
def register_pricing_viewsets():
    return PricingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_marketing_viewsets():
    return MarketingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_finance_viewsets():
    return FinanceViewSetGroup()


@hooks.register("register_admin_viewset")
def register_notification_viewsets():
    return NotificationViewSetGroup()


register_snippet(EmailTemplateViewSet)


hooks.register("before_serve_page", attribution.before_serve_page)
