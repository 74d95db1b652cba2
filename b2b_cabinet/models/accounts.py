"""Cabinet accounts: invitations to a company's team and the append-only cabinet audit log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import AppendOnlyMixin, AppendOnlyQuerySet, CompanyScopedQuerySet
from .customers import Company, Membership


class InvitationQuerySet(CompanyScopedQuerySet):
    """Invitations; ``pending()`` are the ones that can still be accepted."""

    def pending(self):
        """Neither accepted, revoked nor expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An owner's invitation of an email address into the company's team with a role.

    Only a SHA-256 digest of the token is stored: a leaked database (or admin screen) does not
    give working accept links. The token itself travels only in the email.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role, default=Membership.Role.BUYER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(pgettext_lazy("invitation", "expires"))
    accepted_at = models.DateTimeField(pgettext_lazy("invitation", "accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revoked_at = models.DateTimeField(pgettext_lazy("invitation", "revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "email"], name="b2b_invitation_company_email")]

    def __str__(self):
        return f"{self.email} → {self.company} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        """Whether the invitation can still be accepted."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class AuditAction(models.TextChoices):
    """What a cabinet audit event records."""

    ON_BEHALF_START = "on_behalf.start", _("started acting on behalf of the company")
    ON_BEHALF_STOP = "on_behalf.stop", _("stopped acting on behalf of the company")
    INVITATION_SENT = "team.invite", _("invited a team member")
    INVITATION_REVOKED = "team.invite_revoke", _("revoked an invitation")
    INVITATION_ACCEPTED = "team.invite_accept", _("accepted an invitation")
    ROLE_CHANGED = "team.role", _("changed a member's role")
    MEMBER_DEACTIVATED = "team.deactivate", _("deactivated a member")
    ORDER_PLACED = "order.place", _("placed an order")


class CabinetAuditEvent(AppendOnlyMixin):
    """Who did what in the cabinet, for which company, on which object, when and from where.

    Append-only: ``save()`` refuses to change an existing row and ``delete()`` refuses. The
    user's and company's names are copied so the row still reads right after they are deleted.
    """

    created_at = models.DateTimeField(pgettext_lazy("audit event", "when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user_repr = models.CharField(_("user"), max_length=255, blank=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    company_repr = models.CharField(_("company"), max_length=255, blank=True)
    on_behalf = models.BooleanField(
        pgettext_lazy("audit event", "on behalf"), default=False, help_text=_("Done by staff acting for the company.")
    )
    action = models.CharField(pgettext_lazy("audit event", "action"), max_length=40, choices=AuditAction)
    object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(pgettext_lazy("audit event", "object"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(pgettext_lazy("audit event", "details"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cabinet audit event")
        verbose_name_plural = _("cabinet audit events")
        ordering = ["-created_at", "-pk"]
        # No add/change/delete permissions: nobody edits the log, not even in the admin.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["company", "-created_at"], name="b2b_audit_company_created")]
        constraints = [models.CheckConstraint(condition=~Q(action=""), name="b2b_audit_action_not_empty")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_repr}: {self.get_action_display()}"

