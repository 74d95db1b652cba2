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
