"""Django application config for wagtail-b2b-cabinet."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class B2BCabinetConfig(AppConfig):
    """The ``b2b_cabinet`` app: registers system checks when Django starts."""

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
