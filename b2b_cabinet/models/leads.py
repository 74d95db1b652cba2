"""Lead forms built with Wagtail's form builder, their attributed submissions, and distributor applications.

The form page's views (serve, the gated download) call the use-cases in ``b2b_cabinet.leads``,
imported inside the methods: pages are models *and* views (see the package docstring).
"""

from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from .base import TimestampedMixin
from .customers import Region, inn_checksum_validator, inn_validator, kpp_validator

#: Attribution fields a submission records (the five UTM parameters, the referrer, the landing URL).
ATTRIBUTION_FIELDS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_url",
)


class LeadKind(models.TextChoices):
    """The target actions a lead form serves."""

    DISTRIBUTOR = "distributor", _("distributor application")
    BROCHURE = "brochure", _("brochure download")
    CALLBACK = "callback", _("call me back")


class LeadFormField(AbstractFormField):
    """A field an editor adds to a lead form in the admin."""

    page = ParentalKey("LeadFormPage", on_delete=models.CASCADE, related_name="form_fields")


class LeadSubmission(AbstractFormSubmission):
    """A submitted lead form with where the visitor came from (UTM parameters and referrer)."""

    kind = models.CharField(_("target action"), max_length=20, choices=LeadKind.choices, db_index=True)
    utm_source = models.CharField(pgettext_lazy("utm", "source"), max_length=200, blank=True, db_index=True)
    utm_medium = models.CharField(pgettext_lazy("utm", "medium"), max_length=200, blank=True)
    utm_campaign = models.CharField(pgettext_lazy("utm", "campaign"), max_length=200, blank=True, db_index=True)
    utm_term = models.CharField(pgettext_lazy("utm", "term"), max_length=200, blank=True)
    utm_content = models.CharField(pgettext_lazy("utm", "content"), max_length=200, blank=True)
    referrer = models.URLField(_("referrer"), max_length=1000, blank=True)
    landing_url = models.CharField(_("landing page"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("target action")
        verbose_name_plural = _("target actions")
        ordering = ["-submit_time", "-pk"]

    def __str__(self):
        return f"{self.page.title} — {self.submit_time:%Y-%m-%d %H:%M}"

    def get_data(self):
        """The form's data plus attribution, for Wagtail's submissions listing and its CSV export."""
        return {**super().get_data(), **{name: getattr(self, name) for name in ATTRIBUTION_FIELDS}}


class LeadFormPage(RoutablePageMixin, AbstractEmailForm):
    """A lead form: «стать дистрибьютором», «скачать брошюру» (gated) or «перезвоните мне».

    Editors add fields with Wagtail's form builder. A distributor application always asks for the
    company, ИНН, КПП, region and contact (those become the company on approval); a brochure form
    links to its document only after a submission, through a signed link that expires.
    """

    kind = models.CharField(_("target action"), max_length=20, choices=LeadKind.choices, default=LeadKind.CALLBACK)
    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("text after submission"), blank=True)
    brochure = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("brochure"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("For brochure forms: the file the visitor gets after submitting."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("brochure"),
        InlinePanel("form_fields", label=_("form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]), FieldPanel("subject")],
            heading=_("email to staff"),
        ),
    ]
    subpage_types: list[str] = []
    template = "b2b_cabinet/pages/lead_form_page.html"
    landing_page_template = "b2b_cabinet/pages/lead_form_page_landing.html"

    class Meta:
        verbose_name = _("lead form page")

    def get_submission_class(self):
        return LeadSubmission

    def get_form_class(self):
        form_class = super().get_form_class()
        if self.kind == LeadKind.DISTRIBUTOR:
            from b2b_cabinet.lead_forms import DistributorFieldsForm

            # The fixed fields first, then whatever the editor added in the form builder.
            fixed_first = [*DistributorFieldsForm.base_fields, *form_class.base_fields]
            return type("DistributorApplicationForm", (DistributorFieldsForm, form_class), {"field_order": fixed_first})
        return form_class

    def get_data_fields(self):
        return [*super().get_data_fields(), *((name, name) for name in ATTRIBUTION_FIELDS)]

    def serve(self, request, view=None, args=None, kwargs=None):
        if view is None:
            return self.serve_form(request)
        return super().serve(request, view, args, kwargs)  # a route, such as the brochure download

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The form itself (RoutablePageMixin's default index route would render it without a form)."""
        return self.serve_form(request)

    def serve_preview(self, request, mode_name):
        if mode_name == "landing":
            return self.render_landing_page(request)
        return self.serve_form(request)

    def serve_form(self, request):
        """Show the form, or record a valid submission with its attribution and show the thank-you page."""
        from b2b_cabinet import attribution, leads

        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                submission = leads.submit_lead(self, form, attribution.for_request(request))
                return self.render_landing_page(request, submission)
        else:
            form = self.get_form(page=self, user=request.user)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        from b2b_cabinet import leads

        context = self.get_context(request)
        context["form_submission"] = form_submission
        if self.kind == LeadKind.BROCHURE and self.brochure_id and form_submission is not None:
            token = leads.brochure_token(form_submission)
            context["download_url"] = self.url + self.reverse_subpage("download", args=[token])
        return TemplateResponse(request, self.get_landing_page_template(request), context)

    @path("download/<str:token>/", name="download")
    def download(self, request, token):
        """The brochure, for a signed token from a submission of this form; 404 if forged or expired."""
        from b2b_cabinet import leads

        return leads.serve_brochure(self, token)


class DistributorApplication(TimestampedMixin):
    """A company's application to become a distributor; staff approve or reject it in the admin."""

    class Status(models.TextChoices):
        # "заявка" is feminine in Russian, unlike an order's "новый".
        NEW = "new", pgettext_lazy("application status", "new")
        APPROVED = "approved", pgettext_lazy("application status", "approved")
        REJECTED = "rejected", pgettext_lazy("application status", "rejected")

    company_name = models.CharField(_("company name"), max_length=255)
    inn = models.CharField(_("ИНН"), max_length=12, validators=[inn_validator, inn_checksum_validator])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[kpp_validator])
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    submission = models.OneToOneField(
        LeadSubmission, verbose_name=_("form submission"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="application",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    company = models.ForeignKey(
        "b2b_cabinet.Company", verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("distributor application")
        verbose_name_plural = _("distributor applications")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_distributorapplication", _("Can approve or reject distributor applications"))]

    def __str__(self):
        return f"{self.company_name} (ИНН {self.inn})"
