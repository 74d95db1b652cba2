"""Marketing pages: case studies with an index filtered by industry and segment, and segment landings."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from b2b_cabinet.blocks import EditorialStreamBlock

CASE_STUDIES_PER_PAGE = 12


class Segment(models.TextChoices):
    """Company-size segments: mutually exclusive, so every visitor fits exactly one."""

    SMALL = "small", _("small business (up to 50 employees)")
    MEDIUM = "medium", _("medium business (50–500 employees)")
    ENTERPRISE = "enterprise", _("enterprise (over 500 employees)")


class CaseStudyIndexPage(Page):
    """Lists its case studies, filtered by ``?industry=`` and ``?segment=``."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["b2b_cabinet.CaseStudyPage"]
    template = "b2b_cabinet/pages/case_study_index.html"

    class Meta:
        verbose_name = _("case study index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        studies = CaseStudyPage.objects.live().public().child_of(self).order_by("-first_published_at", "pk")
        industries = sorted({i for i in studies.values_list("industry", flat=True) if i})
        industry = request.GET.get("industry", "")
        segment = request.GET.get("segment", "")
        # Unknown values are ignored rather than giving an empty list: links get stale, filters shouldn't.
        if industry in industries:
            studies = studies.filter(industry=industry)
        else:
            industry = ""
        if segment in Segment.values:
            studies = studies.filter(segment=segment)
        else:
            segment = ""
        context.update(
            studies=Paginator(studies, CASE_STUDIES_PER_PAGE).get_page(request.GET.get("page", 1)),
            industries=industries,
            segments=Segment.choices,
            selected_industry=industry,
            selected_segment=segment,
        )
        return context


class CaseStudyPage(Page):
    """One client story; its body usually holds a ``CaseStudyBlock`` plus any other blocks."""

    client = models.CharField(_("client"), max_length=150)
    industry = models.CharField(_("industry"), max_length=100, help_text=_("Used by the index's filter."))
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, default=Segment.MEDIUM)
    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown in the index."))
    body = StreamField(EditorialStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("client"), FieldPanel("industry"), FieldPanel("segment")], heading=_("client")),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("client"), index.SearchField("summary")]
    parent_page_types = ["b2b_cabinet.CaseStudyIndexPage"]
    subpage_types: list[str] = []
    template = "b2b_cabinet/pages/case_study_page.html"

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")


class SegmentLandingPage(Page):
    """A landing page for one segment, showing that segment's latest case studies under its blocks."""

    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices)
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(EditorialStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("segment"), FieldPanel("intro"), FieldPanel("body")]
    template = "b2b_cabinet/pages/segment_landing_page.html"

    class Meta:
        verbose_name = _("segment landing page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_studies"] = (
            CaseStudyPage.objects.live().public().filter(segment=self.segment).order_by("-first_published_at")[:3]
        )
        return context
