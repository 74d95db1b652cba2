"""Team use-cases: invite by email, accept an invitation, change a role, deactivate a member, revoke.

Each validates, acts in one transaction, writes a ``CabinetAuditEvent`` and queues its email with
``transaction.on_commit``. Views, the admin and a future API call these, never the models directly.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from b2b_cabinet.audit import Actor, write_audit
from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import InvitationError, TeamError
from b2b_cabinet.models import AuditAction, Company, Invitation, Membership

Role = Membership.Role


def hash_token(token: str) -> str:
    """The digest stored for an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def account_exists(email: str) -> bool:
    """Whether someone can already sign in as ``email`` (the backend matches email or username)."""
    return get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def find_invitation(token: str) -> Invitation | None:
    """The pending invitation the token belongs to, or None (unknown, used, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.pending().select_related("company").filter(token_hash=hash_token(token)).first()


def invite_member(actor: Actor, company: Company, email: str, role: str,
                  accept_url: Callable[[str], str]) -> Invitation:
    """Invite ``email`` into ``company`` with ``role`` and email them a link built by ``accept_url(token)``.

    A newer invitation to the same address replaces (revokes) the pending ones.
    """
    email = get_user_model().objects.normalize_email(email).strip()
    if role not in Role.values:
        raise TeamError(_("Unknown role."))
    if Membership.objects.for_company(company).filter(user__email__iexact=email, is_active=True).exists():
        raise TeamError(_("%(email)s is already a member of the team.") % {"email": email})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.for_company(company).pending().filter(email__iexact=email).update(revoked_at=now)
        invitation = Invitation.objects.create(
            company=company, email=email, role=role, token_hash=hash_token(token), invited_by=actor.user,
            expires_at=now + timedelta(days=b2b_settings.INVITATION_DAYS),
        )
        write_audit(actor, AuditAction.INVITATION_SENT, company=company, obj=invitation, email=email, role=role)
        url = accept_url(token)
        transaction.on_commit(lambda: _send_invitation(invitation, url))
    return invitation


def _send_invitation(invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "company": invitation.company, "accept_url": url,
               "inviter": invitation.invited_by, "days": b2b_settings.INVITATION_DAYS}
    subject = render_to_string("b2b_cabinet/cabinet/emails/invitation_subject.txt", context)
    body = render_to_string("b2b_cabinet/cabinet/emails/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])


def accept_invitation(token: str, *, user=None, password: str | None = None, ip_address: str | None = None):
    """Accept the invitation once: join ``user`` (signed in) or create an account with ``password``.

    Returns the membership. The claim is a conditional UPDATE, so two simultaneous clicks on the
    same link cannot both succeed.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise InvitationError(_("This invitation is invalid, has expired or has already been used."))
    User = get_user_model()
    if user is None:
        if account_exists(invitation.email):
            raise InvitationError(_("An account with this email exists: sign in to accept the invitation."))
        if not password:
            raise InvitationError(_("Choose a password."))
    elif (user.email or "").lower() != invitation.email.lower():
        raise InvitationError(_("This invitation was sent to another email address."))
    with transaction.atomic():
        claimed = Invitation.objects.pending().filter(pk=invitation.pk).update(accepted_at=timezone.now())
        if claimed != 1:
            raise InvitationError(_("This invitation is invalid, has expired or has already been used."))
        if user is None:
            user = User.objects.create_user(username=invitation.email, email=invitation.email, password=password)
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        membership, _created = Membership.objects.update_or_create(
            user=user, company=invitation.company, defaults={"role": invitation.role, "is_active": True}
        )
        write_audit(Actor(user, ip_address), AuditAction.INVITATION_ACCEPTED, company=invitation.company,
                    obj=membership, invitation=invitation.pk, role=invitation.role)
    return membership


def _lock_active_owners(company: Company) -> list[Membership]:
    # Locking the owners' rows serialises concurrent demotions, so two owners cannot demote each other at once.
    return list(
        Membership.objects.for_company(company).filter(role=Role.OWNER, is_active=True)
        .select_for_update().order_by("pk")
    )


def _guard_last_owner(membership: Membership) -> None:
    owners = _lock_active_owners(membership.company)
    if membership.is_active and membership.role == Role.OWNER and [o.pk for o in owners] == [membership.pk]:
        raise TeamError(_("The company must keep at least one active owner."))


def change_role(actor: Actor, membership: Membership, role: str) -> Membership:
    """Give ``membership`` a new role; the last active owner cannot be demoted."""
    if role not in Role.values:
        raise TeamError(_("Unknown role."))
    if role == membership.role:
        return membership
    with transaction.atomic():
        if role != Role.OWNER:
            _guard_last_owner(membership)
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        write_audit(actor, AuditAction.ROLE_CHANGED, company=membership.company, obj=membership,
                    user=membership.user_id, old=old, new=role)
    return membership


def deactivate_member(actor: Actor, membership: Membership) -> Membership:
    """Close ``membership`` (the person keeps their account); the last active owner cannot leave."""
    if not membership.is_active:
        return membership
    with transaction.atomic():
        _guard_last_owner(membership)
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        write_audit(actor, AuditAction.MEMBER_DEACTIVATED, company=membership.company, obj=membership,
                    user=membership.user_id, role=membership.role)
    return membership


def revoke_invitation(actor: Actor, invitation: Invitation) -> Invitation:
    """Make a pending invitation unusable."""
    if not invitation.is_pending:
        raise TeamError(_("This invitation is no longer pending."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        write_audit(actor, AuditAction.INVITATION_REVOKED, company=invitation.company, obj=invitation,
                    email=invitation.email)
    return invitation
