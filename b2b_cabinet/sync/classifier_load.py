"""Loading the classifier: groups → categories, properties and their values, price types, warehouses, units.

These tables are small (hundreds to a few thousand rows), so they go through the ORM with one query
per changed row; the hot paths (products, offers) do not.
"""

from __future__ import annotations

from collections.abc import Iterable

from b2b_cabinet.models import Category, PriceType, Property, PropertyValue, Unit, Warehouse
from b2b_cabinet.sync.records import GroupRecord, PriceTypeRecord, PropertyRecord, UnitRecord, WarehouseRecord
from b2b_cabinet.text import slugify_ru

VALUE_TYPES = {
    "Справочник": Property.ValueType.REFERENCE,
    "Число": Property.ValueType.NUMBER,
    "Время": Property.ValueType.DATE,
    "Дата": Property.ValueType.DATE,
}


class ClassifierLoader:
    """Upserts classifier records by 1C Ид and counts what changed."""

    def __init__(self) -> None:
        self.changed = 0
        #: Groups, properties or values were added or renamed (what product rows are built from).
        self.changed_names = False
        self._slugs: set[str] | None = None
        self._groups: dict[str, tuple[int, dict]] | None = None  # Ид -> (pk, stored values)
        self._properties: dict[str, Property] | None = None
        self._values: dict[str, str] = {}

    def load(self, records: Iterable) -> None:
        """Load records in document order (groups arrive parent first)."""
        touched_groups = False
        for record in records:
            if isinstance(record, GroupRecord):
                # Paths are rebuilt only when the tree changed: a delta repeats it unchanged.
                touched_groups = self._group(record) or touched_groups
            elif isinstance(record, PropertyRecord):
                self._property(record)
            elif isinstance(record, PriceTypeRecord):
                self._price_type(record)
            elif isinstance(record, WarehouseRecord):
                self._warehouse(record)
            elif isinstance(record, UnitRecord):
                self._unit(record)
        if touched_groups:
            rebuild_category_paths()

    def _unique_slug(self, name: str) -> str:
        if self._slugs is None:
            self._slugs = set(Category.objects.values_list("slug", flat=True))
        base = slugify_ru(name, max_length=240)
        slug, n = base, 1
        while slug in self._slugs:
            n += 1
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        return slug

    def _group(self, record: GroupRecord) -> bool:
        """Create or update the group's category; True if it changed."""
        if self._groups is None:
            # One query for every group instead of two per group: a delta repeats the whole tree.
            self._groups = {
                xid: (pk, {"name": name, "parent_id": parent, "position": position, "is_active": active})
                for pk, xid, name, parent, position, active in Category.objects.exclude(external_id=None)
                .values_list("pk", "external_id", "name", "parent_id", "position", "is_active")
            }
        parent = self._groups.get(record.parent_id) if record.parent_id else None
        values = {"name": record.name[:255], "parent_id": parent[0] if parent else None,
                  "position": record.position, "is_active": not record.deleted}
        stored = self._groups.get(record.external_id)
        if stored is None:
            # Bulk path: save() would recompute paths row by row; rebuild_category_paths() does it once.
            [category] = Category.objects.bulk_create(
                [Category(external_id=record.external_id, slug=self._unique_slug(record.name), **values)]
            )
            self._groups[record.external_id] = (category.pk, values)
            self.changed += 1
            self.changed_names = True
            return True
        if stored[1] != values:
            Category.objects.filter(pk=stored[0]).update(**values)
            self._groups[record.external_id] = (stored[0], values)
            self.changed += 1
            return True
        return False

    def _property(self, record: PropertyRecord) -> None:
        if self._properties is None:
            # One query for all properties and one for all values, instead of a few per property:
            # a delta repeats the whole classifier, and it is usually unchanged.
            self._properties = {p.external_id: p for p in Property.objects.exclude(external_id=None)}
            self._values = dict(PropertyValue.objects.exclude(external_id=None).values_list("external_id", "value"))
        values = {
            "name": record.name[:255],
            "value_type": VALUE_TYPES.get(record.value_type, Property.ValueType.STRING),
            "for_offers": record.for_offers,
        }
        prop = self._properties.get(record.external_id)
        if prop is None:
            prop = Property.objects.create(external_id=record.external_id, **values)
            self._properties[record.external_id] = prop
            self.changed += 1
            self.changed_names = True
        elif any(getattr(prop, k) != v for k, v in values.items()):
            # Only a new name changes product rows; 3.1 exports declare the same property with
            # other flags in the offers file, which must not make every product "changed".
            self.changed_names = self.changed_names or prop.name != values["name"]
            Property.objects.filter(pk=prop.pk).update(**values)
            for key, value in values.items():
                setattr(prop, key, value)
            self.changed += 1
        new = []
        for value_id, value in record.values:
            if not value_id:
                continue
            stored = self._values.get(value_id)
            if stored is None:
                new.append(PropertyValue(property=prop, external_id=value_id, value=value[:500]))
                self.changed_names = True
            elif stored != value[:500]:
                PropertyValue.objects.filter(external_id=value_id).update(value=value[:500])
                self.changed_names = True
            self._values[value_id] = value[:500]
        PropertyValue.objects.bulk_create(new, ignore_conflicts=True)

    def _price_type(self, record: PriceTypeRecord) -> None:
        defaults = {"name": record.name[:255], "is_active": not record.deleted}
        if record.currency:
            defaults["currency"] = record.currency[:3]
        if record.vat_included is not None:
            defaults["vat_included"] = record.vat_included
        _, created = PriceType.objects.update_or_create(external_id=record.external_id, defaults=defaults)
        self.changed += created

    def _warehouse(self, record: WarehouseRecord) -> None:
        defaults = {"name": record.name[:255], "is_active": not record.deleted}
        if record.address:
            defaults["address"] = record.address[:500]
        _, created = Warehouse.objects.update_or_create(external_id=record.external_id, defaults=defaults)
        self.changed += created

    def _unit(self, record: UnitRecord) -> None:
        code = (record.code or record.external_id)[:40]
        unit = Unit.objects.filter(external_id=record.external_id).first() or Unit.objects.filter(code=code).first()
        values = {"external_id": record.external_id, "name": (record.name or record.full_name or code)[:50],
                  "full_name": record.full_name[:150], "intl_abbr": record.intl_abbr[:10]}
        if unit is None:
            Unit.objects.create(code=code, **values)
        else:
            Unit.objects.filter(pk=unit.pk).update(**values)


def rebuild_category_paths() -> None:
    """Recompute every category's materialised path in one pass (parents before children)."""
    rows = list(Category.objects.values_list("pk", "parent_id", "path"))
    parents = {pk: parent for pk, parent, _ in rows}
    paths: dict[int, str] = {}

    def path_of(pk: int, depth: int = 0) -> str:
        if pk not in paths:
            parent = parents.get(pk)
            # A cycle (a group made its own ancestor by hand) is cut at the root rather than looping.
            prefix = path_of(parent, depth + 1) if parent and depth < 100 else "/"
            paths[pk] = f"{prefix}{pk}/"
        return paths[pk]

    changed = [Category(pk=pk, path=path_of(pk)) for pk, _parent, old in rows if path_of(pk) != old]
    Category.objects.bulk_update(changed, ["path"], batch_size=500)
