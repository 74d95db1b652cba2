"""Forms of the lead pages and of the application decisions in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.models import Region
from b2b_cabinet.models.customers import inn_checksum_validator, inn_validator, kpp_validator


class DigitsField(forms.CharField):
    """A code such as ИНН or КПП: people paste it with spaces, which are dropped before validation."""

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class DistributorFieldsForm(forms.Form):
    """The fields every distributor application asks for; the form builder's fields come after them."""

    company_name = forms.CharField(label=_("Company name"), max_length=255)
    inn = DigitsField(
        label=_("ИНН"), max_length=16, validators=[inn_validator, inn_checksum_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("10 digits for an organisation, 12 for a sole proprietor."),
    )
    kpp = DigitsField(
        label=_("КПП"), max_length=12, required=False, validators=[kpp_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Organisations only."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), empty_label=_("Choose…"))
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone"), max_length=50, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without regions in the database the question cannot be answered; don't block applications.
        self.fields["region"].required = Region.objects.exists()

    def clean(self):
        cleaned = super().clean()
        inn, kpp = cleaned.get("inn", ""), cleaned.get("kpp", "")
        if len(inn) == 10 and not kpp and "kpp" not in self.errors:
            self.add_error("kpp", _("An organisation (10-digit ИНН) also has a КПП."))
        if len(inn) == 12 and kpp:
            self.add_error("kpp", _("A sole proprietor (12-digit ИНН) has no КПП; leave it empty."))
        return cleaned


class RejectApplicationForm(forms.Form):
    """The reason is sent to the applicant, so it is required."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
        help_text=_("The applicant receives this text by email."),
    )
