"""In-cabinet notifications: what the bell in the cabinet header counts and lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CompanyScopedQuerySet
from .customers import Company


class NotificationQuerySet(CompanyScopedQuerySet):
    def unread(self):
        """Notifications the user has not opened yet."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one user about one company (an order placed, a status changed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="b2b_notifications")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, default="order.status")
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    order = models.ForeignKey("b2b_cabinet.Order", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notifications")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "company", "read_at"], name="b2b_notification_unread")]

    def __str__(self):
        return self.message


class EventType(models.TextChoices):
    """What can happen that someone may want to hear about (also the CRM webhook ``event`` field)."""

    ORDER_CREATED = "order.created", _("order placed")
    ORDER_STATUS_CHANGED = "order.status_changed", _("order status changed")
    INVOICE_ISSUED = "invoice.issued", _("invoice issued")
    PAYMENT_RECEIVED = "payment.received", _("payment received")
    SHIPMENT_CREATED = "shipment.created", _("shipment created")


class ChannelName(models.TextChoices):
    """The channels a user can switch on or off per event type."""

    CABINET = "cabinet", _("in the cabinet")
    EMAIL = "email", _("email")


class NotificationPreference(models.Model):
    """A user's choice for one event type and channel; no row means the channel is on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="b2b_notification_preferences")
    event_type = models.CharField(_("event"), max_length=40, choices=EventType)
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelName)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event_type", "channel"],
                                               name="b2b_notificationpref_unique")]

    def __str__(self):
        return f"{self.user}: {self.event_type}/{self.channel} {'on' if self.enabled else 'off'}"


class EmailTemplate(models.Model):
    """Staff-editable email text for one event type and language (a Wagtail snippet).

    Subject and bodies are Django templates rendered with the event's context (``order``,
    ``part``, ``message``, ``status``, ``url``, ``data``); without a row the packaged templates
    ``b2b_cabinet/emails/<event>.{txt,html}`` are used.
    """

    event_type = models.CharField(_("event"), max_length=40, choices=EventType)
    language = models.CharField(_("language"), max_length=10, choices=[("ru", "Русский"), ("en", "English")])
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("plain text"))
    html_body = models.TextField(_("HTML"), blank=True)

    class Meta:
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        ordering = ["event_type", "language"]
        constraints = [models.UniqueConstraint(fields=["event_type", "language"], name="b2b_emailtemplate_unique")]

    def __str__(self):
        return f"{self.get_event_type_display()} ({self.language})"


class WebhookEndpoint(models.Model):
    """A CRM (or any system) that receives signed JSON events by POST."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200,
                              help_text=_("Shared secret for the X-B2B-Signature HMAC-SHA256 header."))
    event_types = models.JSONField(_("events"), default=list, blank=True,
                                   help_text=_("Event types to send; empty sends all."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, event_type: str) -> bool:
        """Whether this endpoint subscribes to ``event_type``."""
        return not self.event_types or event_type in self.event_types


class OutboxEvent(models.Model):
    """One event to deliver, written in the same transaction as the change it reports.

    That is what makes events survive crashes: if the change is committed, so is its event, and
    a scheduled sweep dispatches any event whose task never ran. ``key`` is the idempotency key
    (also sent to webhooks): publishing the same key twice yields one event.
    """

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType)
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("b2b_cabinet.Order", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="outbox_events")
    part = models.ForeignKey("b2b_cabinet.OrderPart", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification event")
        verbose_name_plural = _("notification events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.key


class Delivery(models.Model):
    """One event through one channel to one recipient: its attempts, last error and outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        DEAD = "dead", _("failed, gave up")
        SKIPPED = "skipped", _("skipped")

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=40)
    recipient = models.CharField(_("recipient"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["event", "channel", "recipient"],
                                               name="b2b_delivery_unique")]

    def __str__(self):
        return f"{self.event.event_type} → {self.channel}:{self.recipient}"
