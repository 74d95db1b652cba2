"""Case studies: the long B2B decision cycle is served with a client's problem, solution and figures."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .choosers import ProductChooserBlock


class ResultFigureBlock(blocks.StructBlock):
    """One result with a figure, e.g. «−32 %» «потерь электроэнергии»."""

    figure = blocks.CharBlock(label=_("figure"), max_length=30, help_text=_("E.g. a percentage, 4 months or 1 day."))
    label = blocks.CharBlock(label=_("what it measures"), max_length=150)

    class Meta:
        icon = "order"
        label = _("Result")


class QuoteBlock(blocks.StructBlock):
    """The client's own words; optional, so its parts are optional too."""

    text = blocks.TextBlock(label=_("quote"), required=False)
    author = blocks.CharBlock(label=_("author"), required=False, max_length=120)
    position = blocks.CharBlock(label=_("position"), required=False, max_length=120)


class CaseStudyBlock(blocks.StructBlock):
    """A client story: challenge, solution, results with figures, details, a quote, images and products."""

    client = blocks.CharBlock(label=_("client"), max_length=150)
    industry = blocks.CharBlock(label=_("industry"), max_length=100, required=False)
    challenge = blocks.RichTextBlock(label=_("challenge"), features=["bold", "italic", "link", "ul"])
    solution = blocks.RichTextBlock(label=_("solution"), features=["bold", "italic", "link", "ul"])
    results = blocks.ListBlock(ResultFigureBlock(), label=_("results"), min_num=1, max_num=6)
    details = blocks.RichTextBlock(label=_("details"), required=False)
    quote = QuoteBlock(label=_("quote"), required=False)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), default=[])
    related_products = blocks.ListBlock(ProductChooserBlock(), label=_("related products"), default=[])

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "b2b_cabinet/blocks/case_study.html"
        description = _("A client's challenge, the solution, results with figures, a quote and the products used.")
        preview_value = {
            "client": "АО «Уралэнергосбыт»",
            "industry": "Энергетика",
            "challenge": "<p>Потери на подстанциях не учитывались: показания снимали вручную раз в месяц.</p>",
            "solution": "<p>Установили 420 счётчиков с удалённым опросом и связали их с 1С.</p>",
            "results": [
                {"figure": "−18 %", "label": "потерь электроэнергии за первый год"},
                {"figure": "4 мес.", "label": "срок окупаемости"},
            ],
            "quote": {"text": "Мы впервые видим баланс по каждому фидеру.", "author": "Сергей Петров",
                      "position": "главный инженер"},
        }
