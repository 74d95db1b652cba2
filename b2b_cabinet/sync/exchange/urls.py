"""URLs of the 1C exchange. Include them before Wagtail's catch-all::

    path("", include("b2b_cabinet.sync.exchange.urls")),
"""

from django.urls import path

from .views import exchange_view

urlpatterns = [
    path("1c/exchange/", exchange_view, name="b2b_exchange"),
    # The address 1C administrators know from 1C-Bitrix sites.
    path("bitrix/admin/1c_exchange.php", exchange_view, name="b2b_exchange_bitrix"),
]
