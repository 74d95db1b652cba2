"""Editorial blocks: headings, rich text, images, calls to action, and the stream blocks pages are made of."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .audience import AudienceDownloadsBlock, DocumentListBlock, SegmentNavigationBlock
from .case_study import CaseStudyBlock
from .compatibility import CertificatesBlock, ComparisonTableBlock, CompatibilityBlock
from .pricing import PriceCalculatorBlock, PricingTiersBlock


class CallToActionBlock(blocks.StructBlock):
    """A short pitch with one button, e.g. «Стать дилером» linking to the application form."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    button_text = blocks.CharBlock(label=_("button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or URL"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "b2b_cabinet/blocks/call_to_action.html"
        description = _("A short pitch with a button leading to a page or URL.")
        preview_value = {
            "title": "Станьте нашим дилером",
            "text": "Персональные цены, отсрочка платежа и личный кабинет.",
            "button_text": "Оставить заявку",
            "url": "https://example.com/",
        }


class FormCallToActionBlock(blocks.StructBlock):
    """A call to one of the lead forms: «Стать дистрибьютором», «Скачать брошюру», «Перезвоните мне»."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    button_text = blocks.CharBlock(label=_("button text"), max_length=60)
    form_page = blocks.PageChooserBlock(label=_("lead form"), page_type="b2b_cabinet.LeadFormPage")
    phone = blocks.CharBlock(
        label=_("phone"), max_length=40, required=False, help_text=_("Shown beside the button, e.g. the dealer desk.")
    )

    class Meta:
        icon = "mail"
        label = _("Call to a lead form")
        template = "b2b_cabinet/blocks/form_call_to_action.html"
        description = _("A pitch with a button to a lead form and an optional phone number.")
        preview_value = {
            "title": "Обсудить проект с менеджером",
            "text": "Перезвоним в течение рабочего дня и подберём оборудование под ваш объект.",
            "button_text": "Перезвоните мне",
            "form_page": None,
            "phone": "+7 343 000-00-00",
        }


class EditorialStreamBlock(blocks.StreamBlock):
    """The body of content pages, case studies and segment landing pages."""

    heading = blocks.CharBlock(
        label=_("heading"), form_classname="title", icon="title", template="b2b_cabinet/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label=_("paragraph"), icon="pilcrow")
    image = ImageBlock(label=_("image"), required=False)
    call_to_action = CallToActionBlock()
    form_call_to_action = FormCallToActionBlock()
    case_study = CaseStudyBlock()
    compatibility = CompatibilityBlock()
    comparison_table = ComparisonTableBlock()
    pricing_tiers = PricingTiersBlock()
    price_calculator = PriceCalculatorBlock()
    certificates = CertificatesBlock()
    audience_downloads = AudienceDownloadsBlock()
    documents = DocumentListBlock()
    segment_navigation = SegmentNavigationBlock()


class ProductEditorialStreamBlock(blocks.StreamBlock):
    """What editors attach to products and categories; shown on catalogue pages, never touched by 1C."""

    paragraph = blocks.RichTextBlock(label=_("paragraph"), icon="pilcrow")
    compatibility = CompatibilityBlock()
    certificates = CertificatesBlock()
    documents = DocumentListBlock()
    call_to_action = FormCallToActionBlock()
