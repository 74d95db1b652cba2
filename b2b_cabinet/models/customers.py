"""Customers: regions, companies (контрагенты), their legal entities, memberships and contracts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from .base import CompanyScopedQuerySet, ExternalIdMixin, TimestampedMixin, unique_external_id

inn_validator = RegexValidator(r"^(\d{10}|\d{12})$", _("ИНН is 10 digits for an organisation or 12 for a person."))
kpp_validator = RegexValidator(r"^\d{9}$", _("КПП is 9 digits."))

# Lets constraints say ``inn__length`` (the check below) on both SQLite and PostgreSQL.
models.CharField.register_lookup(Length)


class Region(models.Model):
    """A sales region: it may override the price type and limit the assortment (see the pricing docs)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    price_type = models.ForeignKey(
        "b2b_cabinet.PriceType", verbose_name=_("price type"), null=True, blank=True, on_delete=models.SET_NULL,
        help_text=_("Used for companies of this region whose contract names no price type."),
    )
    warehouses = models.ManyToManyField(
        "b2b_cabinet.Warehouse", verbose_name=_("warehouses serving the region"), blank=True, related_name="regions"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RegionAssortmentRule(models.Model):
    """Limits what a region's companies see: include rules whitelist, exclude rules then remove.

    A region with no include rule sees the whole catalogue minus its excludes. Each rule names one
    category (with its descendants), one brand or one product.
    """

    class Mode(models.TextChoices):
        INCLUDE = "include", _("include")
        EXCLUDE = "exclude", _("exclude")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="assortment_rules")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode, default=Mode.EXCLUDE)
    category = models.ForeignKey(
        "b2b_cabinet.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    brand = models.ForeignKey(
        "b2b_cabinet.Brand", verbose_name=_("brand"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "b2b_cabinet.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assortment rule")
        verbose_name_plural = _("assortment rules")
        ordering = ["region", "mode", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(category__isnull=False, brand__isnull=True, product__isnull=True)
                    | Q(category__isnull=True, brand__isnull=False, product__isnull=True)
                    | Q(category__isnull=True, brand__isnull=True, product__isnull=False)
                ),
                name="b2b_assortment_one_target",
            )
        ]

    def __str__(self):
        return f"{self.region}: {self.get_mode_display()} {self.category or self.brand or self.product}"

    def clean(self):
        if sum(x is not None for x in (self.category_id, self.brand_id, self.product_id)) != 1:
            raise ValidationError(_("Choose exactly one of category, brand or product."))


class CompanyQuerySet(models.QuerySet):
    """Companies a user may act for."""

    def for_user(self, user):
        """Active companies where the user has an active membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(is_active=True, memberships__user=user, memberships__is_active=True).distinct()

    def assigned_to(self, user):
        """Active companies a staff user may act on behalf of: the ones they manage (directly or by contract).

        Superusers may act for any active company; users who are not staff for none.
        """
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        active = self.filter(is_active=True)
        if user.is_superuser:
            return active
        managed = Q(manager=user) | Q(contracts__manager=user, contracts__is_active=True)
        return active.filter(managed).distinct()


class Company(ExternalIdMixin, TimestampedMixin):
    """A counterparty (контрагент): the partner company whose employees use the cabinet."""

    name = models.CharField(_("name"), max_length=255)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sales manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="managed_companies", limit_choices_to={"is_staff": True},
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [unique_external_id("company")]

    def __str__(self):
        return self.name

    @property
    def default_contract(self):
        """The contract orders use unless the buyer picks another."""
        contracts = [c for c in self.contracts.all() if c.is_active]
        return next((c for c in contracts if c.is_default), contracts[0] if contracts else None)


class LegalEntity(ExternalIdMixin):
    """One of the buyer's organisations (ИНН/КПП) that invoices and orders are made out to."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="legal_entities")
    name = models.CharField(_("name"), max_length=255)
    inn = models.CharField(_("ИНН"), max_length=12, validators=[inn_validator])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[kpp_validator])
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    address = models.CharField(_("legal address"), max_length=500, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["company", "name"]
        constraints = [
            unique_external_id("legalentity"),
            models.CheckConstraint(
                condition=Q(inn__length__in=(10, 12)), name="b2b_legalentity_inn_length"
            ),
            models.UniqueConstraint(fields=["company", "inn", "kpp"], name="b2b_legalentity_unique_inn_kpp"),
        ]

    def __str__(self):
        return f"{self.name} (ИНН {self.inn})"


class CompanyGroup(models.Model):
    """A named set of companies (e.g. «Дилеры 1-го уровня») that discount rules can address at once."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    companies = models.ManyToManyField(Company, verbose_name=_("companies"), blank=True, related_name="groups")

    class Meta:
        verbose_name = _("company group")
        verbose_name_plural = _("company groups")
        ordering = ["name"]

    def __str__(self):
        return self.name



class Membership(TimestampedMixin):
    """A user's place in a company, with a role that decides what they may do."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        BUYER = "buyer", _("buyer")
        ACCOUNTANT = "accountant", _("accountant")
        VIEWER = "viewer", _("viewer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="b2b_memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.BUYER)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["company", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="b2b_membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.company} ({self.get_role_display()})"


class Contract(ExternalIdMixin, TimestampedMixin):
    """A contract (договор): price type, currency and own rate, credit limit and payment terms."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contracts")
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), null=True, blank=True, on_delete=models.SET_NULL
    )
    number = models.CharField(_("number"), max_length=100)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    price_type = models.ForeignKey(
        "b2b_cabinet.PriceType", verbose_name=_("price type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    fixed_rate = models.DecimalField(
        _("fixed exchange rate"), max_digits=14, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Roubles per unit of the contract currency; overrides the daily rate."),
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=16, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    payment_terms_days = models.PositiveIntegerField(_("payment terms, days"), default=0)
    debit_on = models.CharField(
        _("debt arises on"), max_length=10, blank=True,
        choices=[("invoice", _("invoice issued")), ("shipment", _("goods shipped"))],
        help_text=_("Empty: the FINANCE_DEBIT_ON setting."),
    )
    credit_policy = models.CharField(
        _("credit policy"), max_length=10, blank=True,
        choices=[("off", _("off")), ("warn", _("warn")), ("block", _("block"))],
        help_text=_("What an order over the credit limit does. Empty: the CREDIT_POLICY setting."),
    )
    block_when_overdue = models.BooleanField(
        _("hold orders while overdue"), null=True, blank=True,
        help_text=_("Refuse new orders while any debt is overdue. Empty: the CREDIT_BLOCK_WHEN_OVERDUE setting."),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sales manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="managed_contracts", limit_choices_to={"is_staff": True},
    )
    is_default = models.BooleanField(_("default"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["company", "-is_default", "number"]
        constraints = [
            unique_external_id("contract"),
            models.CheckConstraint(condition=Q(credit_limit__gte=0), name="b2b_contract_credit_not_negative"),
            models.CheckConstraint(
                condition=Q(fixed_rate__isnull=True) | Q(fixed_rate__gt=0), name="b2b_contract_rate_positive"
            ),
            models.UniqueConstraint(fields=["company", "number"], name="b2b_contract_unique_number"),
        ]

    def __str__(self):
        return f"{self.company}: {self.number}"

    @property
    def sales_manager(self):
        """The contract's manager, else the company's."""
        return self.manager or self.company.manager
