"""1C exchange bookkeeping: exchange nodes (1C bases), HTTP exchange sessions, import runs and their issues."""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .catalog import Producer
from .stock import Warehouse


class ExchangeNode(models.Model):
    """A 1C base that exchanges with the portal, with its own exchange login.

    The credentials are the node's own (not a Django user), so an exchange password can never open
    the admin or a cabinet.
    """

    name = models.CharField(_("name"), max_length=200)
    login = models.CharField(_("exchange login"), max_length=150, unique=True)
    password = models.CharField(_("exchange password"), max_length=256, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    imports_catalog = models.BooleanField(_("imports the catalogue"), default=True)
    producers = models.ManyToManyField(Producer, verbose_name=_("producers"), blank=True, related_name="nodes")
    warehouses = models.ManyToManyField(Warehouse, verbose_name=_("warehouses"), blank=True, related_name="nodes")
    last_exchange_at = models.DateTimeField(_("last exchange"), null=True, blank=True, editable=False)
    exports_orders = models.BooleanField(_("exchanges orders"), default=True)
    schema_version = models.CharField(
        _("order schema version"), max_length=10, blank=True,
        help_text=_("CommerceML version of the orders answer when 1C names none at init (2.05 when empty)."),
    )
    query_encoding = models.CharField(
        _("orders answer encoding"), max_length=20, default="windows-1251",
        choices=[("windows-1251", "windows-1251"), ("utf-8", _("UTF-8 with BOM"))],
    )
    # The order export watermark: parts changed at or after it are sent on the next query. Moved
    # only by mode=success, never by mode=query, so an export 1C did not confirm is sent again.
    sale_watermark = models.DateTimeField(_("orders exported up to"), null=True, blank=True)
    sale_confirmed_at = models.DateTimeField(_("last confirmed order export"), null=True, blank=True,
                                             editable=False)

    class Meta:
        verbose_name = _("exchange node")
        verbose_name_plural = _("exchange nodes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def set_password(self, raw_password: str) -> None:
        """Store a salted hash of the exchange password."""
        self.password = make_password(raw_password)

    def check_password(self, raw_password: str) -> bool:
        """Whether ``raw_password`` is the node's exchange password."""
        return bool(self.password) and check_password(raw_password, self.password)


class StatusMapping(models.Model):
    """One row of a node's status table: a 1C order status id and the portal status it means.

    Incoming documents map ``Статуса заказа ИД`` through it; the orders answer writes, for a
    portal status, the first mapping marked for export (else the portal code itself).
    """

    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), on_delete=models.CASCADE,
                             related_name="status_mappings")
    onec_status = models.CharField(_("1C status id"), max_length=100)
    onec_name = models.CharField(_("1C status name"), max_length=200, blank=True)
    # A plain string (not choices) so models.sync needs nothing from models.orders; the admin form
    # offers OrderStatus choices.
    status = models.CharField(_("portal status"), max_length=20)
    use_for_export = models.BooleanField(_("send to 1C"), default=True,
                                         help_text=_("Use this id when the portal status is sent to 1C."))

    class Meta:
        verbose_name = _("status mapping")
        verbose_name_plural = _("status mappings")
        ordering = ["node", "pk"]
        constraints = [models.UniqueConstraint(fields=["node", "onec_status"], name="b2b_statusmap_unique_id")]

    def __str__(self):
        return f"{self.onec_status} → {self.status}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ExchangeSession(models.Model):
    """One 1C conversation (checkauth → … → complete): its cookie, upload folder and import state."""

    class Kind(models.TextChoices):
        CATALOG = "catalog", _("catalogue")
        SALE = "sale", _("orders")

    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), on_delete=models.CASCADE,
                             related_name="sessions")
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sessid = models.CharField(max_length=64, default=new_token, editable=False, db_index=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last request"), default=timezone.now)
    version = models.CharField(_("schema version"), max_length=20, blank=True)
    state = models.JSONField(_("state"), default=dict, blank=True)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("exchange session")
        verbose_name_plural = _("exchange sessions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.node} {self.get_kind_display()} {self.created_at:%d.%m.%Y %H:%M}"


class ImportRun(models.Model):
    """One import of CommerceML files: what was read, what changed, how fast, and what went wrong."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCESS = "success", _("success")
        FAILED = "failed", _("failed")
        DRY_RUN = "dry_run", _("dry run (rolled back)")

    class Source(models.TextChoices):
        COMMAND = "command", _("command line")
        EXCHANGE = "exchange", _("1C HTTP exchange")
        DROP_FOLDER = "drop_folder", _("drop folder")
        DEMO = "demo", _("demo")

    source = models.CharField(_("source"), max_length=20, choices=Source)
    node = models.ForeignKey(ExchangeNode, verbose_name=_("exchange node"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="runs")
    session = models.ForeignKey(ExchangeSession, verbose_name=_("exchange session"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="runs")
    files = models.JSONField(_("files"), default=list)
    kinds = models.CharField(_("contents"), max_length=100, blank=True, help_text=_("import, offers, prices, rests"))
    is_full = models.BooleanField(_("full upload"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created = models.PositiveIntegerField(pgettext_lazy("import count", "new"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("import count", "updated"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("import count", "unchanged"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    items = models.PositiveIntegerField(_("items read"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_source_display()} {self.started_at:%d.%m.%Y %H:%M} — {self.get_status_display()}"

    @property
    def duration(self):
        """Seconds the run took, or None while it runs."""
        if not self.finished_at:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def items_per_second(self):
        """Products and offers read per second."""
        duration = self.duration
        return round(self.items / duration) if duration else None


class ImportIssue(models.Model):
    """A rejected item or warning of a run, pointing at file, line, element and 1C Ид."""

    class Level(models.TextChoices):
        ERROR = "error", _("error")
        REJECTED = "rejected", _("rejected item")
        WARNING = "warning", _("warning")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    level = models.CharField(_("level"), max_length=20, choices=Level)
    file = models.CharField(_("file"), max_length=500, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    element = models.CharField(_("element"), max_length=100, blank=True)
    external_id = models.CharField(_("1C Ид"), max_length=100, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")
        ordering = ["run", "pk"]

    def __str__(self):
        return self.message
