"""Lead use-cases: record a lead form submission, gate the brochure, approve or reject a distributor.

The lead form page, the admin and the tests call these functions, so a submission or a decision
behaves the same wherever it comes from. Each validates, acts in one transaction, and sends its
email only after the transaction commits (``transaction.on_commit``).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import ApplicationError
from b2b_cabinet.models import (
    CabinetPage,
    Company,
    DistributorApplication,
    LeadFormPage,
    LeadKind,
    LeadSubmission,
    LegalEntity,
    Membership,
)

BROCHURE_SALT = "b2b_cabinet.leads.brochure"
DECIDE_PERMISSION = "b2b_cabinet.decide_distributorapplication"
APPLICATION_FIELDS = ("company_name", "inn", "kpp", "region", "contact_name", "email", "phone")


def _json_safe(value):
    """Form values as JSON can store them: model instances (the region) by their name."""
    if isinstance(value, models.Model):
        return str(value)
    return value


def submit_lead(page: LeadFormPage, form, attribution: dict[str, str]) -> LeadSubmission:
    """Store a valid submission with its attribution; a distributor form also files an application."""
    data = {name: _json_safe(value) for name, value in form.cleaned_data.items()}
    with transaction.atomic():
        submission = LeadSubmission.objects.create(page=page, form_data=data, kind=page.kind, **attribution)
        if page.kind == LeadKind.DISTRIBUTOR:
            values = {name: form.cleaned_data.get(name) or "" for name in APPLICATION_FIELDS}
            values["region"] = form.cleaned_data.get("region")
            values["email"] = values["email"].lower()
            DistributorApplication.objects.create(submission=submission, **values)
        if page.to_address:
            transaction.on_commit(partial(page.send_mail, form))
    return submission


def brochure_token(submission: LeadSubmission) -> str:
    """A signed token naming the form and the submission; the download link is useless without it.

    Wagtail's page URLs only allow letters, digits, ``_`` and ``-`` in a path segment, so the signed
    value (which contains ``:``) is wrapped in URL-safe base64.
    """
    signed = signing.dumps([submission.page_id, submission.pk], salt=BROCHURE_SALT)
    return urlsafe_base64_encode(signed.encode())


def serve_brochure(page: LeadFormPage, token: str) -> FileResponse:
    """The page's brochure for a valid, unexpired token from one of its submissions, else 404."""
    max_age = b2b_settings.BROCHURE_LINK_HOURS * 3600
    try:
        signed = urlsafe_base64_decode(token).decode()
        page_id, submission_id = signing.loads(signed, salt=BROCHURE_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise Http404("invalid or expired link") from None
    document = page.brochure
    if page_id != page.pk or document is None or not LeadSubmission.objects.filter(pk=submission_id).exists():
        raise Http404("invalid link")
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)
    response["X-Robots-Tag"] = "noindex"
    return response


def _check_can_decide(application: DistributorApplication, by) -> DistributorApplication:
    """The locked, still undecided application, if ``by`` may decide it."""
    if not by.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    locked = DistributorApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != DistributorApplication.Status.NEW:
        raise ApplicationError(
            _("This application has already been decided: %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


def approve_application(application: DistributorApplication, *, by) -> DistributorApplication:
    """Create the company, its legal entity and an owner user, and email the owner a set-password link.

    An applicant whose email already has an account keeps it and becomes the new company's owner;
    they are told to sign in with their password instead.
    """
    cabinet = CabinetPage.objects.live().first()
    if cabinet is None:
        raise ApplicationError(_("There is no published cabinet page to send the new owner to."))
    User = get_user_model()
    with transaction.atomic():
        application = _check_can_decide(application, by)
        known = LegalEntity.objects.filter(inn=application.inn, kpp=application.kpp).select_related("company").first()
        if known is not None:
            message = _("ИНН %(inn)s is already a customer: %(company)s.")
            raise ApplicationError(message % {"inn": application.inn, "company": known.company})
        email = application.email.lower()
        user = User._default_manager.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email)).first()
        is_new_user = user is None
        if is_new_user:
            # No password yet: the owner chooses one through the emailed link.
            user = User._default_manager.create_user(
                username=email, email=email, password=None, first_name=application.contact_name[:150]
            )
        company = Company.objects.create(name=application.company_name, region=application.region)
        LegalEntity.objects.create(
            company=company, name=application.company_name, inn=application.inn, kpp=application.kpp, is_default=True
        )
        Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
        application.status = DistributorApplication.Status.APPROVED
        application.decided_by, application.decided_at = by, timezone.now()
        application.company, application.user = company, user
        application.save()
        transaction.on_commit(partial(_send_approval, application, cabinet, is_new_user))
    return application


def reject_application(application: DistributorApplication, *, by, reason: str) -> DistributorApplication:
    """Mark the application rejected and email the applicant the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the applicant a reason."))
    with transaction.atomic():
        application = _check_can_decide(application, by)
        application.status = DistributorApplication.Status.REJECTED
        application.rejection_reason = reason
        application.decided_by, application.decided_at = by, timezone.now()
        application.save()
        transaction.on_commit(partial(_send_rejection, application))
    return application


def set_password_url(cabinet: CabinetPage, user) -> str:
    """An absolute, single-use link to the cabinet's password-reset confirmation (Django's reset token).

    A new owner has no password yet; "reset" is how they choose their first one.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return cabinet.get_full_url() + cabinet.reverse_subpage("password_reset_confirm", args=[uid, token])


def _send_approval(application: DistributorApplication, cabinet: CabinetPage, is_new_user: bool) -> None:
    # The applicant reads the site's language, not the language of the staff member's admin.
    with translation.override(settings.LANGUAGE_CODE):
        if is_new_user:
            action = _("Choose your password here (the link works once and expires in %(days)s days):\n%(url)s") % {
                "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
                "url": set_password_url(cabinet, application.user),
            }
        else:
            action = _("Sign in with your existing password:\n%(url)s") % {
                "url": cabinet.get_full_url() + cabinet.reverse_subpage("login")
            }
        body = _(
            "Hello, %(name)s!\n\nYour application for %(company)s to become our distributor has been approved. "
            "Your partner cabinet is ready.\n\n%(action)s\n"
        ) % {"name": application.contact_name, "company": application.company_name, "action": action}
        subject = _("Your distributor application is approved")
        send_mail(subject, body, None, [application.email])


def _send_rejection(application: DistributorApplication) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Hello, %(name)s!\n\nThank you for your interest. We cannot accept the application for %(company)s "
            "at the moment.\n\nReason: %(reason)s\n"
        ) % {"name": application.contact_name, "company": application.company_name,
             "reason": application.rejection_reason}
        send_mail(_("Your distributor application"), body, None, [application.email])
