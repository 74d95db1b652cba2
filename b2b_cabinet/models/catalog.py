"""Catalogue: categories, products, variants (1C characteristics), properties, units, brands, producers."""

from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from b2b_cabinet.blocks import ProductEditorialStreamBlock

from . import product_search
from .base import ExternalIdMixin, TimestampedMixin, unique_external_id


class Unit(ExternalIdMixin):
    """A unit of measure (ОКЕИ code such as 796 "шт", or a 1C unit Ид in CommerceML 3.1)."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("ОКЕИ code or 1C unit Ид."))
    name = models.CharField(_("short name"), max_length=50)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    intl_abbr = models.CharField(_("international abbreviation"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name or self.code


class Brand(ExternalIdMixin):
    """A trade mark shown to buyers and used by discount rules."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]
        constraints = [unique_external_id("brand")]

    def __str__(self):
        return self.name


class Producer(ExternalIdMixin):
    """A producer (изготовитель): orders are split by producer and go to its 1C base."""

    name = models.CharField(_("name"), max_length=255)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        constraints = [unique_external_id("producer")]

    def __str__(self):
        return self.name


class Category(ExternalIdMixin, TimestampedMixin):
    """A catalogue group. ``path`` is a materialised path of ids (``/1/5/12/``) for descendant queries."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    path = models.CharField(_("path"), max_length=1000, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    editorial_blocks = StreamField(
        ProductEditorialStreamBlock(), verbose_name=_("editorial blocks"), blank=True,
        help_text=_("Shown on the category page; a 1C import never changes them."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [unique_external_id("category")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            type(self).objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:
                # Re-root the subtree in one statement rather than walking it row by row.
                from django.db.models import Value
                from django.db.models.functions import Concat, Substr

                type(self).objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(old) + 1))
                )

    def get_descendants(self, include_self: bool = True):
        """This category and everything below it."""
        qs = type(self).objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def get_ancestors(self):
        """The categories above this one, root first."""
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = type(self).objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Property(ExternalIdMixin):
    """A product property (свойство) from the 1C classifier."""

    class ValueType(models.TextChoices):
        STRING = "string", _("string")
        NUMBER = "number", _("number")
        DATE = "date", _("date/time")
        REFERENCE = "reference", _("reference (list of values)")

    name = models.CharField(_("name"), max_length=255)
    value_type = models.CharField(_("value type"), max_length=20, choices=ValueType, default=ValueType.STRING)
    for_offers = models.BooleanField(_("describes variants"), default=False)
    is_filterable = models.BooleanField(_("filter in catalogue"), default=False)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["name"]
        constraints = [unique_external_id("property")]

    def __str__(self):
        return self.name


class PropertyValue(ExternalIdMixin):
    """A reference value of a ``Property`` (1C ИдЗначения)."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(_("value"), max_length=500)

    class Meta:
        verbose_name = _("property value")
        verbose_name_plural = _("property values")
        ordering = ["value"]
        constraints = [unique_external_id("propertyvalue")]

    def __str__(self):
        return self.value


@models.CharField.register_lookup
class Instr(models.Lookup):
    """``field__instr="Текст"``: a case-sensitive substring test with SQLite's ``instr()``.

    The catalogue search uses it on SQLite for the case forms of non-ASCII words: one ``instr`` per
    form is about 30 % cheaper than a ``LIKE`` per form on a 150,000-row scan.
    """

    lookup_name = "instr"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"strpos({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]
        return f"instr({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]


class ProductQuerySet(models.QuerySet):
    """Product queries the catalogue and cabinet share."""

    def active(self):
        """Products a buyer may see."""
        return self.filter(is_active=True)

    def search(self, text: str):
        """Products whose barcode is ``text`` or whose name or SKU contains every word of it.

        Case-insensitive in every alphabet; a word may be part of a longer one ("автомат" finds
        "Автоматический"), so an SKU prefix or a whole SKU is found too. On SQLite the words of three
        characters or more are looked up in the trigram index (:mod:`.product_search`), one query
        run here, whose ids the listing then reads by primary key; unless they match ``COMMON``
        products or more: such a text, and shorter words, are tested row by row, which for a common
        text stops after the first page.
        """
        # A NUL is in no stored name, and FTS5's query parser and PostgreSQL's driver both fail on it.
        text = (text or "").replace("\x00", "").strip()
        if not text:
            return self
        connection = connections[self.db]
        sqlite = connection.vendor == "sqlite"
        words = text.split()
        indexed = [w for w in words if len(w) >= product_search.MIN_WORD] if sqlite else []
        if indexed and product_search.available(connection):
            ids = product_search.matching_ids(connection, product_search.match_expression(indexed), text)
            if ids is not None:
                # Short words then test the few candidates: barcode OR (index hit AND short words).
                found = models.Q(pk__in=ids)
                short = [w for w in words if len(w) < product_search.MIN_WORD]
                if short:
                    found &= models.Q(barcode=text) | product_search.scan(short, sqlite)
                return self.filter(found)
        # A whole SKU or a prefix of one contains every word, so only the barcode needs its own test.
        return self.filter(models.Q(barcode=text) | product_search.scan(words, sqlite))


class Product(ExternalIdMixin, TimestampedMixin):
    """A product (номенклатура). Loaded by the 1C importer; ``editorial_*`` fields belong to editors."""

    # sku, barcode, category and brand have their indexes in Meta.indexes (see there).
    sku = models.CharField(_("SKU (артикул)"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description from 1C"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="products",
        db_index=False,
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), null=True, blank=True, on_delete=models.SET_NULL, related_name="products",
        db_index=False,
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL)
    unit_ratio = models.DecimalField(
        _("pack size"), max_digits=12, decimal_places=3, default=1, help_text=_("Units per pack (1C Пересчет).")
    )
    vat_rate = models.DecimalField(
        _("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("Empty means no VAT.")
    )
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    requisites = models.JSONField(_("requisites"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Digest of the 1C element last imported, so an unchanged product is skipped. The offer's
    # digests and total live in the narrow OfferState: offers never rewrite this wide row.
    content_hash = models.BinaryField(max_length=16, null=True, editable=False)
    editorial_description = models.TextField(
        _("editorial description"), blank=True, help_text=_("Written in Wagtail; a 1C import never changes it.")
    )
    # Nullable because the importer inserts products with raw SQL that names only its own columns;
    # NULL reads back as an empty stream.
    editorial_blocks = StreamField(
        ProductEditorialStreamBlock(), verbose_name=_("editorial blocks"), blank=True, null=True,
        help_text=_("Compatibility, certificates and documents on the product page; a 1C import never changes them."),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [unique_external_id("product")]
        # Listings are ordered by (name, id) and filtered by category or brand; these let a page of
        # 150,000 products stop after its rows instead of sorting them all. ``is_active`` is not a
        # leading column: Django writes ``WHERE is_active`` (a bare column) on SQLite, which cannot
        # seek an index on it, and nearly every product is active anyway. The PostgreSQL trigram and
        # SKU-prefix indexes for search are created by migration 0003 (they are backend-specific).
        # The first two also serve the category and brand foreign keys, so those have no index of
        # their own. SKU and barcode are matched by equality only (quick order, search): a plain
        # index each, without the pattern-ops copy ``db_index`` adds on PostgreSQL. Every index
        # here is rebuilt by a first import (migration 0011 dropped four redundant ones).
        indexes = [
            models.Index(fields=["category", "is_active", "name"], name="b2b_product_cat_active"),
            models.Index(fields=["name", "id"], name="b2b_product_name_id"),
            models.Index(fields=["brand", "name", "id"], name="b2b_product_brand_name"),
            models.Index(fields=["sku"], name="b2b_product_sku"),
            models.Index(fields=["barcode"], name="b2b_product_barcode"),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}".strip()


class ProductVariant(ExternalIdMixin):
    """A variant (1C характеристика) of a product; its 1C Ид is ``product#characteristic``."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=500)
    sku = models.CharField(_("SKU"), max_length=100, blank=True, db_index=True)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    characteristics = models.JSONField(_("characteristics"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    content_hash = models.BinaryField(max_length=16, null=True, editable=False)

    class Meta:
        verbose_name = _("product variant")
        verbose_name_plural = _("product variants")
        ordering = ["product", "name"]
        constraints = [unique_external_id("productvariant")]

    def __str__(self):
        return self.name


class OfferState(models.Model):
    """What the 1C import last read of one offer (``Предложение``) of a product or variant.

    A narrow row of its own, so the offers, prices and rests files, which 1C sends far more often
    than the goods, update digests and totals here instead of rewriting the wide product row (and,
    on PostgreSQL, every index of it). The digests only let an unchanged offer be skipped: losing
    them costs one full re-read, never data.
    """

    external_id = models.CharField(_("1C ID"), max_length=100, unique=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="offer_states")
    variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.CASCADE, related_name="offer_states"
    )
    quantity = models.DecimalField(
        _("total stock"), max_digits=14, decimal_places=3, null=True, blank=True,
        help_text=_("Total quantity as 1C reports it, when it sends no stock per warehouse."),
    )
    # Digests of the offers, prices and rests elements last imported (see HASH_COLUMNS of the sync loaders).
    offer_hash = models.BinaryField(max_length=16, null=True)
    prices_hash = models.BinaryField(max_length=16, null=True)
    stock_hash = models.BinaryField(max_length=16, null=True)

    class Meta:
        verbose_name = _("1C offer state")
        verbose_name_plural = _("1C offer states")

    def __str__(self):
        return self.external_id


def product_image_path(instance: "ProductImage", filename: str) -> str:
    return f"b2b/products/{filename[:2]}/{filename}"


class ProductImage(models.Model):
    """A picture of a product; those 1C sends (``Картинка``) are replaced on the next import."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(_("file"), upload_to=product_image_path, max_length=300)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    source_path = models.CharField(
        _("path in the 1C package"), max_length=300, blank=True, help_text=_("Empty for images added by editors.")
    )

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product", "position", "pk"]

    def __str__(self):
        return self.caption or self.file.name
