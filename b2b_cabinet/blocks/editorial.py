"""Editorial blocks: headings, rich text, images and calls to action."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


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


class EditorialStreamBlock(blocks.StreamBlock):
    """The body of content pages."""

    heading = blocks.CharBlock(
        label=_("heading"), form_classname="title", icon="title", template="b2b_cabinet/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label=_("paragraph"), icon="pilcrow")
    image = ImageBlock(label=_("image"), required=False)
    call_to_action = CallToActionBlock()
