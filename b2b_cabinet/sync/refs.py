"""Lookups from 1C names and Ид to primary keys, creating brands, producers and units on first sight."""

from __future__ import annotations

from b2b_cabinet.models import Brand, Producer, Unit
from b2b_cabinet.text import slugify_ru


class References:
    """Per-run caches of small reference tables; misses create the row once."""

    def __init__(self) -> None:
        self.brands = {b.name.casefold(): b.pk for b in Brand.objects.only("pk", "name")}
        self.producers = dict(Producer.objects.exclude(external_id=None).values_list("external_id", "pk"))
        self.producer_names = {name.casefold(): pk for pk, name in Producer.objects.values_list("pk", "name")}
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.unit_ids = dict(Unit.objects.exclude(external_id=None).values_list("external_id", "pk"))

    def brand(self, name: str) -> int | None:
        """Primary key of the brand called ``name`` (case-insensitive), created if new."""
        name = (name or "").strip()[:200]
        if not name:
            return None
        key = name.casefold()
        if key not in self.brands:
            existing = Brand.objects.filter(name__iexact=name).values_list("pk", flat=True).first()
            if existing is None:
                slug, n = slugify_ru(name), 1
                while Brand.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{slugify_ru(name)}-{n}"
                existing = Brand.objects.create(name=name, slug=slug).pk
            self.brands[key] = existing
        return self.brands[key]

    def producer(self, external_id: str, name: str) -> int | None:
        """Primary key of the producer with this 1C Ид (or, without one, this name)."""
        if external_id:
            if external_id not in self.producers:
                producer, _ = Producer.objects.update_or_create(
                    external_id=external_id, defaults={"name": (name or external_id)[:255]}
                )
                self.producers[external_id] = producer.pk
            return self.producers[external_id]
        if not name:
            return None
        key = name.casefold()
        if key not in self.producer_names:
            producer = Producer.objects.filter(name__iexact=name[:255]).first()
            self.producer_names[key] = producer.pk if producer else Producer.objects.create(name=name[:255]).pk
        return self.producer_names[key]

    def unit(self, code: str, name: str) -> int | None:
        """Primary key of the unit by ОКЕИ code or 1C unit Ид, created from ``name`` if new."""
        if not code and not name:
            return None
        if code in self.unit_ids:
            return self.unit_ids[code]
        key = (code or name)[:40]
        if key not in self.units:
            # The classifier of this very run may have added units since the cache was filled.
            unit = Unit.objects.filter(external_id=key).first() or Unit.objects.filter(code=key).first()
            self.units[key] = unit.pk if unit else Unit.objects.create(code=key, name=(name or key)[:50]).pk
        return self.units[key]
