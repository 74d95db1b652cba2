"""Compatibility, certificates and comparisons: the facts engineers check before they buy."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class IntegrationBlock(blocks.StructBlock):
    """A system the product works with and the versions supported."""

    system = blocks.CharBlock(label=_("system"), max_length=120)
    versions = blocks.CharBlock(label=_("supported versions"), max_length=120, required=False)
    notes = blocks.CharBlock(label=_("notes"), max_length=250, required=False)


class VariantAdvantageBlock(blocks.StructBlock):
    """What one variant of the product is best at."""

    variant = blocks.CharBlock(label=_("variant"), max_length=120)
    advantages = blocks.TextBlock(label=_("advantages"), help_text=_("One advantage per line."))


class StandardBlock(blocks.StructBlock):
    """A standard the product meets and the body that issues it."""

    name = blocks.CharBlock(label=_("standard"), max_length=120)
    issuer = blocks.CharBlock(label=_("issued by"), max_length=150, required=False)


class RequirementBlock(blocks.StructBlock):
    """A connection requirement: temperature, power, operating system…"""

    name = blocks.CharBlock(label=_("requirement"), max_length=120)
    value = blocks.CharBlock(label=_("value"), max_length=250)


class CompatibilityBlock(blocks.StructBlock):
    """Integrations and versions, advantages per variant, support, standards, requirements, docs and API."""

    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    integrations = blocks.ListBlock(IntegrationBlock(), label=_("integrations"), default=[])
    variant_advantages = blocks.ListBlock(VariantAdvantageBlock(), label=_("advantages per variant"), default=[])
    support = blocks.RichTextBlock(label=_("support offered"), required=False, features=["bold", "link", "ul"])
    standards = blocks.ListBlock(StandardBlock(), label=_("standards"), default=[])
    requirements = blocks.ListBlock(RequirementBlock(), label=_("connection requirements"), default=[])
    documents = blocks.ListBlock(DocumentChooserBlock(), label=_("connection documentation"), default=[])
    api = blocks.RichTextBlock(label=_("API and cloud"), required=False, features=["bold", "link", "ul", "code"])

    class Meta:
        icon = "cogs"
        label = _("Compatibility")
        template = "b2b_cabinet/blocks/compatibility.html"
        description = _("Supported systems and versions, standards, connection requirements, documentation and API.")
        preview_value = {
            "title": "Совместимость счётчиков серии «Меркурий»",
            "integrations": [
                {"system": "1С:Предприятие", "versions": "8.3.20 и новее", "notes": "Обмен по CommerceML"},
                {"system": "Пирамида 2.0", "versions": "2.0.8+", "notes": ""},
            ],
            "standards": [{"name": "ГОСТ 31818.11-2012", "issuer": "Росстандарт"}],
            "requirements": [
                {"name": "Температура", "value": "−40…+70 °C"},
                {"name": "Питание", "value": "230 В, 50 Гц"},
            ],
        }


class CertificateBlock(blocks.StructBlock):
    """One certificate: the standard, who issued it, until when, and the scan."""

    standard = blocks.CharBlock(label=_("standard"), max_length=120, help_text=_("E.g. ISO 9001:2015."))
    issuer = blocks.CharBlock(label=_("issued by"), max_length=150, required=False)
    valid_until = blocks.DateBlock(label=_("valid until"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)


class CertificatesBlock(blocks.StructBlock):
    """Standards and certificates (ISO 9001, ТР ТС…) with their documents."""

    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    certificates = blocks.ListBlock(CertificateBlock(), label=_("certificates"), min_num=1)

    class Meta:
        icon = "success"
        label = _("Certificates")
        template = "b2b_cabinet/blocks/certificates.html"
        description = _("Standards such as ISO 9001 with the certificates as documents.")
        preview_value = {
            "title": "Сертификаты",
            "certificates": [
                {"standard": "ISO 9001:2015", "issuer": "Bureau Veritas", "valid_until": "2028-05-31"},
                {"standard": "ТР ТС 004/2011", "issuer": "ЕАЭС", "valid_until": None},
            ],
        }


class ComparisonRowBlock(blocks.StructBlock):
    """One criterion: our value and the alternatives' values, in column order."""

    criterion = blocks.CharBlock(label=_("criterion"), max_length=150)
    ours = blocks.CharBlock(label=_("our value"), max_length=150)
    theirs = blocks.ListBlock(blocks.CharBlock(max_length=150), label=_("alternatives' values"), default=[])


class ComparisonTableBlock(blocks.StructBlock):
    """Us against alternatives, criterion by criterion."""

    caption = blocks.CharBlock(label=_("caption"), max_length=200)
    our_name = blocks.CharBlock(label=_("our product"), max_length=100)
    alternatives = blocks.ListBlock(blocks.CharBlock(max_length=100), label=_("alternatives"), min_num=1)
    rows = blocks.ListBlock(ComparisonRowBlock(), label=_("rows"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Comparison table")
        template = "b2b_cabinet/blocks/comparison_table.html"
        description = _("Our product against alternatives, one criterion per row.")
        preview_value = {
            "caption": "Сравнение с аналогами",
            "our_name": "Меркурий 234",
            "alternatives": ["Аналог А", "Аналог Б"],
            "rows": [
                {"criterion": "Гарантия", "ours": "7 лет", "theirs": ["3 года", "5 лет"]},
                {"criterion": "Интервал поверки", "ours": "16 лет", "theirs": ["10 лет", "12 лет"]},
            ],
        }

    def clean(self, value):
        """Each row needs one value per alternative, or the table's columns would shift."""
        value = super().clean(value)
        width = len(value["alternatives"])
        errors = {}
        for index, row in enumerate(value["rows"]):
            if len(row["theirs"]) != width:
                errors[index] = blocks.StructBlockValidationError(
                    {"theirs": ValidationError(
                        _("Give exactly one value per alternative (%(n)s).") % {"n": width}
                    )}
                )
        if errors:
            raise blocks.StructBlockValidationError(
                block_errors={"rows": blocks.ListBlockValidationError(block_errors=errors)}
            )
        return value
