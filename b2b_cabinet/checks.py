"""System checks: configuration mistakes reported by ``manage.py check`` with a hint."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import ConfigurationError

REQUIRED_APPS = (
    "wagtail",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "django_q",
)


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    """b2b_cabinet.E001: the B2B_CABINET dict must be valid."""
    from b2b_cabinet.conf import b2b_settings

    try:
        b2b_settings.validate()
    except ConfigurationError as exc:
        return [
            Error(
                str(exc),
                hint="Fix the B2B_CABINET dict in your settings; docs/configuration.md lists every key.",
                id="b2b_cabinet.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def check_installed_apps(app_configs, **kwargs):
    """b2b_cabinet.E002: apps the package relies on must be installed."""
    missing = [app for app in REQUIRED_APPS if app not in settings.INSTALLED_APPS]
    if not missing:
        return []
    return [
        Error(
            f"wagtail-b2b-cabinet needs these apps in INSTALLED_APPS: {', '.join(missing)}.",
            hint="Add them before 'b2b_cabinet'; see docs/installation.md.",
            id="b2b_cabinet.E002",
        )
    ]


@register(Tags.security)
def check_q_cluster(app_configs, **kwargs):
    """b2b_cabinet.W001: django-q2 task settings should make retries safe."""
    conf = getattr(settings, "Q_CLUSTER", None) or {}
    timeout, retry = conf.get("timeout"), conf.get("retry")
    if timeout and retry and retry <= timeout:
        return [
            Warning(
                "Q_CLUSTER['retry'] must be larger than Q_CLUSTER['timeout'], or a slow import runs twice.",
                hint="For example timeout=1800, retry=2000.",
                id="b2b_cabinet.W001",
            )
        ]
    return []


@register(Tags.security)
def check_exchange_dir(app_configs, **kwargs):
    """b2b_cabinet.W002: 1C uploads must not lie in a folder the web server publishes."""
    from pathlib import Path

    from b2b_cabinet.sync.exchange.folders import exchange_root

    try:
        root = exchange_root().resolve()
    except ConfigurationError:
        return []  # b2b_cabinet.E001 reports the broken settings
    published = [Path(p).resolve() for p in (settings.MEDIA_ROOT, getattr(settings, "STATIC_ROOT", None)) if p]
    if any(root == folder or folder in root.parents for folder in published):
        return [
            Warning(
                f"B2B_CABINET['EXCHANGE_DIR'] ({root}) is inside MEDIA_ROOT or STATIC_ROOT, so price lists "
                "uploaded by 1C could be downloaded.",
                hint="Point EXCHANGE_DIR at a private folder, or leave it empty for b2b_exchange beside MEDIA_ROOT.",
                id="b2b_cabinet.W002",
            )
        ]
    return []


@register(Tags.compatibility)
def check_online_payments(app_configs, **kwargs):
    """Online payment needs django-payments pointed at our model and the configured variant."""
    try:
        variant = b2b_settings.ONLINE_PAYMENT_VARIANT
    except ConfigurationError:
        return []  # reported by check_settings
    if not variant:
        return []
    errors = []
    if getattr(settings, "PAYMENT_MODEL", "") != "b2b_cabinet.OnlinePayment":
        errors.append(Error(
            "ONLINE_PAYMENT_VARIANT is set but PAYMENT_MODEL is not 'b2b_cabinet.OnlinePayment'.",
            hint="Set PAYMENT_MODEL = 'b2b_cabinet.OnlinePayment' in your settings (see docs/finance.md).",
            id="b2b_cabinet.E003",
        ))
    if variant not in getattr(settings, "PAYMENT_VARIANTS", {}):
        errors.append(Error(
            f"ONLINE_PAYMENT_VARIANT {variant!r} is not a key of PAYMENT_VARIANTS.",
            hint="Configure the provider in PAYMENT_VARIANTS, or empty ONLINE_PAYMENT_VARIANT to turn online "
                 "payment off.",
            id="b2b_cabinet.E004",
        ))
    return errors


@register(Tags.security, deploy=True)
def check_dummy_payment_provider(app_configs, **kwargs):
    """django-payments' dummy provider marks payments paid on the buyer's say-so: never in production."""
    dummies = [name for name, (path, _options) in getattr(settings, "PAYMENT_VARIANTS", {}).items()
               if path.startswith("payments.dummy.")]
    if dummies:
        return [Warning(
            f"django-payments' dummy provider is configured (variant(s) {', '.join(dummies)}).",
            hint="Anyone holding a payment's token can mark it paid through it. Configure a real provider.",
            id="b2b_cabinet.W003",
        )]
    return []
