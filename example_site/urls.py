"""URLs of the example site: Wagtail admin, documents, and Wagtail pages for everything else."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # 1C exchange (/1c/exchange/ and /bitrix/admin/1c_exchange.php): before Wagtail's catch-all.
    path("", include("b2b_cabinet.sync.exchange.urls")),
    # django-payments' provider callbacks (process_payment, static_callback): invoices paid online.
    path("payments/", include("payments.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the home page, the catalogue (/catalog/) and the cabinet (/cabinet/) as pages.
urlpatterns += [path("", include(wagtail_urls))]
