"""Django application config for wagtail-b2b-cabinet."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class B2BCabinetConfig(AppConfig):
    """The ``b2b_cabinet`` app: registers system checks and the post-migrate search-index repair."""

    name = "b2b_cabinet"
    label = "b2b_cabinet"
    verbose_name = _("B2B cabinet")
    # Pinned so that a project's DEFAULT_AUTO_FIELD never produces migrations for this app.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # django-payments reports a provider's verdict only through this signal.
        from payments.signals import status_changed

        from b2b_cabinet import checks  # noqa: F401  (registers the checks)
        from b2b_cabinet.finance.online import on_status_changed

        status_changed.connect(on_status_changed, dispatch_uid="b2b_cabinet.finance.online")
        post_migrate.connect(ensure_search_index, sender=self, dispatch_uid="b2b_cabinet.search_index")


def ensure_search_index(sender, using, **kwargs) -> None:
    """After ``migrate``: restore the SQLite search index's triggers, which rebuilding a table drops."""
    from django.db import connections

    from b2b_cabinet.models import product_search

    product_search.ensure(connections[using], create=False)
