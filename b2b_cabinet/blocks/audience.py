"""Content per audience and segment: downloads for engineers vs directors, and segment navigation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class DownloadBlock(blocks.StructBlock):
    """A document with a title and a line about what is in it."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), max_length=250, required=False)


class DocumentListBlock(blocks.StructBlock):
    """A titled list of documents: datasheets, manuals, declarations."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    documents = blocks.ListBlock(DownloadBlock(), label=_("documents"), min_num=1)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Documents")
        template = "b2b_cabinet/blocks/document_list.html"
        description = _("A list of documents to download.")


class AudienceDownloadsBlock(blocks.StructBlock):
    """Materials for end users (engineers, installers) and for decision makers (directors, buyers)."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    end_users_heading = blocks.CharBlock(
        label=_("end users' heading"), max_length=100, default=_("For engineers and installers")
    )
    end_users = blocks.ListBlock(DownloadBlock(), label=_("for end users"), default=[])
    decision_makers_heading = blocks.CharBlock(
        label=_("decision makers' heading"), max_length=100, default=_("For managers")
    )
    decision_makers = blocks.ListBlock(DownloadBlock(), label=_("for decision makers"), default=[])

    class Meta:
        icon = "download"
        label = _("Downloads by audience")
        template = "b2b_cabinet/blocks/audience_downloads.html"
        description = _("Two columns of materials: for the people who use the product and for those who decide.")
        preview_value = {"title": "Материалы", "end_users_heading": "Инженерам", "end_users": [],
                         "decision_makers_heading": "Руководителям", "decision_makers": []}

    def clean(self, value):
        value = super().clean(value)
        if not value["end_users"] and not value["decision_makers"]:
            raise blocks.StructBlockValidationError(
                {"end_users": ValidationError(_("Add at least one document for either audience."))}
            )
        return value


class SegmentLinkBlock(blocks.StructBlock):
    """One segment: its name, who belongs to it, and its landing page."""

    name = blocks.CharBlock(label=_("segment"), max_length=80)
    description = blocks.CharBlock(label=_("who it is for"), max_length=200, required=False)
    page = blocks.PageChooserBlock(label=_("page"))


class SegmentNavigationBlock(blocks.StructBlock):
    """Navigation by one dimension (company size or industry) in mutually exclusive segments.

    One dimension per block keeps the choices exclusive: a visitor is in exactly one size band, so
    mixing "small companies" with "energy" in one menu would make them pick between two true answers.
    """

    title = blocks.CharBlock(label=_("title"), max_length=150)
    dimension = blocks.ChoiceBlock(
        label=_("segmented by"), choices=[("size", _("company size")), ("industry", _("industry"))], default="size"
    )
    segments = blocks.ListBlock(SegmentLinkBlock(), label=_("segments"), min_num=2, max_num=6)

    class Meta:
        icon = "list-ul"
        label = _("Segment navigation")
        template = "b2b_cabinet/blocks/segment_navigation.html"
        description = _("Links to landing pages per company size or per industry, one choice each.")
        preview_value = {
            "title": "Решения для вашей компании",
            "dimension": "size",
            "segments": [
                {"name": "Монтажные организации", "description": "до 50 сотрудников", "page": None},
                {"name": "Дистрибьюторы", "description": "региональные склады", "page": None},
            ],
        }

    def clean(self, value):
        """Segments must not repeat: each name and each page appears once."""
        value = super().clean(value)
        names = [segment["name"].strip().casefold() for segment in value["segments"]]
        pages = [segment["page"].pk for segment in value["segments"] if segment["page"]]
        if len(set(names)) != len(names) or len(set(pages)) != len(pages):
            raise blocks.StructBlockValidationError(
                {"segments": ValidationError(_("Segments must be distinct: no name or page twice."))}
            )
        return value
