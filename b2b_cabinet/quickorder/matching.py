"""Matching quick-order lines to products in a few batch queries, and putting the matches in the cart.

A line's text is looked up as an SKU (as typed, upper- and lower-case), a variant's SKU, or a
barcode, all in one query per 900 distinct texts, through the ordinary indexes. A text that finds
nothing gets up to three similar SKUs (one indexed range query per unmatched line, for the first
``SUGGEST_LIMIT`` of them); a text that finds several products is ambiguous and lists them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from b2b_cabinet.models import Product, ProductVariant
from b2b_cabinet.pricing import PricingContext

from .parsing import LineProblem, QuickLine

#: Unmatched lines beyond this many come back without suggestions (each costs a query).
SUGGEST_LIMIT = 30
_CHUNK = 900


@dataclass(frozen=True)
class Match:
    """A line that found exactly one product (or variant)."""

    line: QuickLine
    product: Product
    variant: ProductVariant | None = None


@dataclass
class QuickOrderResult:
    """What happened to every line: matched, or a problem with its reason and suggestions."""

    matched: list[Match] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    added: list = field(default_factory=list)  # cart lines, once applied
    notes: list[LineProblem] = field(default_factory=list)  # added, but not quite as asked (rounded up)

    @property
    def problem_text(self) -> str:
        """The problem lines as text, so the buyer can fix them and paste them again."""
        return "\n".join(p.text for p in sorted(self.problems, key=lambda p: p.number))


def _variants_of(text: str) -> set[str]:
    return {text, text.upper(), text.lower()}


def _lookup(texts: list[str]) -> tuple[dict[str, list[Product]], dict[str, list[ProductVariant]]]:
    """Products and variants whose SKU (any of three cases) or barcode equals each text, keyed by the upper text."""
    products: dict[str, dict[int, Product]] = {}
    variants: dict[str, dict[int, ProductVariant]] = {}
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start:start + _CHUNK]
        wanted = set().union(*(_variants_of(t) for t in chunk))
        active = Product.objects.active().select_related("category", "unit")
        # Two queries, each on its index (SQLite scans for an OR); only digits can be a barcode.
        rows = list(active.filter(sku__in=wanted))
        digits = [t for t in chunk if t.isdigit()]
        if digits:
            rows += list(active.filter(barcode__in=digits))
        for product in rows:
            for key in {product.sku.upper(), product.barcode.upper()} - {""}:
                products.setdefault(key, {})[product.pk] = product
        for variant in (ProductVariant.objects.filter(sku__in=wanted, is_active=True, product__is_active=True)
                        .select_related("product__category", "product__unit")):
            variants.setdefault(variant.sku.upper(), {})[variant.pk] = variant
    return ({k: list(v.values()) for k, v in products.items()}, {k: list(v.values()) for k, v in variants.items()})


def suggest(text: str, limit: int = 3) -> tuple[str, ...]:
    """Up to ``limit`` "SKU — name" strings of products whose SKU resembles ``text``.

    Candidates share the text's beginning (an indexed range on the SKU, in the case typed and in
    upper case; first most of it, then its first half); they are ranked by similarity, so a typo
    anywhere after the first few characters is found. At most two queries.
    """
    key = text.strip().upper()
    if len(key) < 3:
        return ()
    rows = []
    # A typo near the end keeps a long common prefix; one in the middle only a short one.
    for length in dict.fromkeys((max(3, len(key) - 3), max(3, len(key) // 2))):
        q = Q()
        for prefix in {key[:length], text.strip()[:length]}:
            q |= Q(sku__gte=prefix, sku__lt=prefix + "\uffff")
        rows = list(Product.objects.active().filter(q).values_list("sku", "name")[:200])
        if rows:
            break
    ranked = sorted(rows, key=lambda r: -difflib.SequenceMatcher(None, key, r[0].upper()).ratio())
    return tuple(f"{sku} — {name}" for sku, name in ranked[:limit])


def match_lines(lines: list[QuickLine], context: PricingContext | None = None) -> QuickOrderResult:
    """Find each line's product; region assortment applies (a hidden product is "not offered")."""
    result = QuickOrderResult()
    texts = list(dict.fromkeys(line.sku.strip() for line in lines))
    products, variants = _lookup(texts)
    assortment = context.assortment if context is not None else None
    unmatched = 0
    for line in lines:
        key = line.sku.strip().upper()
        found = [(p, None) for p in products.get(key, [])] + [(v.product, v) for v in variants.get(key, [])]
        if assortment is not None:
            found = [(p, v) for p, v in found
                     if assortment.allows(p.pk, p.category.path if p.category_id else None, p.brand_id)]
        text = f"{line.sku}\t{line.quantity.normalize():f}"
        if len(found) == 1:
            result.matched.append(Match(line, *found[0]))
        elif found:
            options = tuple(f"{(v or p).sku} — {(v or p).name}" for p, v in found[:5])
            result.problems.append(LineProblem(
                line.number, text, _("“%(sku)s” matches several products: choose one.") % {"sku": line.sku}, options))
        else:
            unmatched += 1
            hints = suggest(line.sku) if unmatched <= SUGGEST_LIMIT else ()
            result.problems.append(LineProblem(line.number, text, _("No product with SKU or barcode “%(sku)s”.")
                                               % {"sku": line.sku}, hints))
    return result


def add_matches_to_cart(cart, result: QuickOrderResult, *, warehouse=None, actor=None) -> QuickOrderResult:
    """Put every match in ``cart`` through the ordering use-case; a refused quantity becomes a problem."""
    from django.db import transaction

    from b2b_cabinet.exceptions import OrderingError
    from b2b_cabinet.ordering import add_to_cart, quantity_rule

    kept = []
    # One transaction: the savepoints of each add are cheap, and a crash leaves no half-filled cart.
    with transaction.atomic():
        for match in result.matched:
            text = f"{match.line.sku}\t{match.line.quantity.normalize():f}"
            wanted = Decimal(match.line.quantity)
            # Below the minimum or not a whole number of packs: round up and say so, as a sales
            # manager would, rather than refuse the line.
            quantity = quantity_rule(match.product).round_up(wanted)
            try:
                line = add_to_cart(cart, match.product, quantity, variant=match.variant, warehouse=warehouse,
                                   actor=actor)
            except OrderingError as exc:
                result.problems.append(LineProblem(match.line.number, text, str(exc)))
                continue
            if quantity != wanted:
                result.notes.append(LineProblem(match.line.number, text, _(
                    "Rounded up from %(wanted)s to %(quantity)s: the minimum or pack size of this product."
                ) % {"wanted": f"{wanted.normalize():f}", "quantity": f"{quantity.normalize():f}"}))
            kept.append(match)
            result.added.append(line)
    result.matched = kept
    result.problems.sort(key=lambda p: p.number)
    return result
