"""Forms of the finance pages: the invoice filter and the statement generator."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.models import Contract, InvoiceStatus


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any")), ("open", _("awaiting payment")), *InvoiceStatus.choices])


class StatementForm(forms.Form):
    """Period, contract and file format of an акт сверки."""

    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(), required=False,
                                      empty_label=_("all contracts"))
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "Excel (XLSX)")],
                               initial="pdf")

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the company's own contracts: a foreign contract id is simply not a valid choice.
        self.fields["contract"].queryset = Contract.objects.for_company(company)
        today = timezone.localdate()
        self.fields["date_from"].initial = today.replace(month=1, day=1)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if end - start > datetime.timedelta(days=366 * 5):
                raise forms.ValidationError(_("Choose a period of at most five years."))
        return data
