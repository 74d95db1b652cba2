"""Cabinet forms."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.models import Membership


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form (fields ``username`` and ``password``) where the username is an email."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class CabinetPasswordResetForm(PasswordResetForm):
    """Django's reset form whose email links to the cabinet page's own confirm view.

    The view passes ``cabinet_page`` in ``extra_email_context``; the confirm URL is built from it
    so the link works wherever the editor placed the cabinet.
    """

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        page = context["cabinet_page"]
        path = page.cabinet_url("password_reset_confirm", uidb64=context["uid"], token=context["token"])
        context["reset_url"] = f"{context['protocol']}://{context['domain']}{path}"
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)


class InviteForm(forms.Form):
    """The owner's invitation: an email address and the role the person will have."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.BUYER)


class RoleForm(forms.Form):
    """A member's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AcceptInvitationForm(forms.Form):
    """The new member's password (their account is created with the invitation's email)."""

    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            # A throwaway user lets the validators compare the password with the email.
            probe = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CompanyChoiceForm(forms.Form):
    """A company id posted by the switcher or the on-behalf chooser; the view checks it is allowed."""

    company = forms.IntegerField(min_value=1)
