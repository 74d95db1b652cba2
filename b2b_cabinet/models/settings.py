"""Site settings editors fill in once: the seller's requisites used on invoices and in documents."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .customers import inn_validator, kpp_validator

bic_validator = RegexValidator(r"^\d{9}$", _("БИК is 9 digits."))
account_validator = RegexValidator(r"^\d{20}$", _("A bank account number is 20 digits."))


@register_setting(icon="site")
class SellerRequisites(BaseSiteSetting):
    """The selling company's requisites (реквизиты продавца) as they appear on invoices."""

    name = models.CharField(_("full name"), max_length=255, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[inn_validator])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[kpp_validator])
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    address = models.CharField(_("legal address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    bic = models.CharField(_("БИК"), max_length=9, blank=True, validators=[bic_validator])
    correspondent_account = models.CharField(
        _("correspondent account"), max_length=20, blank=True, validators=[account_validator]
    )
    settlement_account = models.CharField(
        _("settlement account"), max_length=20, blank=True, validators=[account_validator]
    )
    director = models.CharField(_("director"), max_length=255, blank=True)
    chief_accountant = models.CharField(_("chief accountant"), max_length=255, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("director's signature"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Printed on invoices when set (PNG with transparency)."),
    )
    accountant_signature_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("chief accountant's signature"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    stamp_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("stamp"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The company stamp printed on invoices when set."),
    )

    class Meta:
        verbose_name = _("seller requisites")
        verbose_name_plural = _("seller requisites")

    def __str__(self):
        return self.name or str(_("Seller requisites"))
