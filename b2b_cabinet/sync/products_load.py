"""Writing the product rows the chunk readers produce: references resolved, unchanged skipped, images."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from b2b_cabinet.models import ImportIssue, ProductImage
from b2b_cabinet.sync.loaders.base import PRODUCT
from b2b_cabinet.sync.workers import ChunkResult

W = ImportIssue.Level.WARNING


class ProductSink:
    """Receives chunk results of one goods file and writes them through the bulk writer."""

    def __init__(self, importer, path: Path, known: dict[str, bytes]):
        self.importer = importer
        self.writer = importer.writer
        self.issues = importer.issues
        self.counts = importer.counts
        self.path = path
        self.known = known  # stored digests of the records this file holds (all of them for a big file)
        self.seen: list[str] = []

    def reset(self) -> None:
        """Forget what was read, before the file is read again."""
        self.seen = []

    def write(self, result: ChunkResult) -> None:
        """Write one chunk's changed rows and remember every Ид it held."""
        self.seen.extend(result.seen)
        self.counts.items += len(result.seen)
        self.counts.unchanged += result.unchanged
        rows, known = result.rows, self.known
        products, fresh, variants, images = [], [], [], []
        for row in rows:
            xid = row[0]
            if xid in known:
                self.counts.updated += 1
            else:
                self.counts.created += 1
            if "#" in xid:
                variants.append(row)
                continue
            (products if xid in known else fresh).append(self._product_row(row))
            if row[17] or xid in known:
                # A changed product's pictures are replaced; an empty list removes the old ones.
                images.append((xid, row[17], row[18]))
        if products:
            self.writer.upsert_products(products)
        if fresh:
            self.writer.upsert_products(fresh, new=True)
        if variants:
            self._write_variants(variants)
        if images:
            self._write_images(images)

    def _product_row(self, row: tuple, external_id: str | None = None) -> tuple:
        (xid, sku, name, description, category_id, brand, producer_id, producer_name, unit_code, unit_name,
         unit_ratio, vat_rate, barcode, properties, requisites, active, digest, _images, line, unknown_group,
         _chars) = row  # fmt: skip
        refs = self.importer.refs  # replaced when a file is read again after a rollback
        if unknown_group:
            self.issues.add(W, f"group {unknown_group!r} is not in the classifier; the product has no category",
                            path=self.path, line=line, element="Группы", external_id=xid)
        return (
            external_id or xid, sku[:100], (name or sku or xid)[:500], description, category_id,
            refs.brand(brand), refs.producer(producer_id, producer_name),
            refs.unit(unit_code, unit_name), unit_ratio or 1, vat_rate, barcode[:64], properties, requisites,
            active, digest if external_id is None else None,
        )

    def _write_variants(self, rows: list[tuple]) -> None:
        """2.04 goods files list each characteristic as a ``Товар`` with Ид ``product#characteristic``."""
        parents = {row[0].partition("#")[0] for row in rows}
        ids = self.writer.ids_for(PRODUCT, sorted(parents))
        missing = [row for row in rows if row[0].partition("#")[0] not in ids]
        if missing:
            # The parent product itself was never sent: create it from its first variant.
            firsts = {row[0].partition("#")[0]: row for row in reversed(missing)}
            self.writer.upsert_products([self._product_row(row, parent) for parent, row in firsts.items()])
            ids.update(self.writer.ids_for(PRODUCT, sorted(firsts)))
        self.writer.upsert_variants(
            [
                (row[0], ids[row[0].partition("#")[0]], (row[2] or row[0])[:500], row[1][:100], row[12][:64], row[20],
                 row[15], row[16])
                for row in rows
            ]
        )

    def _write_images(self, items: list[tuple[str, tuple[str, ...], int]]) -> None:
        ids = self.writer.ids_for(PRODUCT, [xid for xid, _, _ in items])
        base = self.path.parent
        old = ProductImage.objects.filter(product_id__in=ids.values()).exclude(source_path="")
        old_files = list(old.values_list("file", flat=True))
        old.delete()
        # Files go only once the import commits; a rolled-back import still needs them.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in old_files])
        new = []
        for xid, paths, line in items:
            if not paths:
                continue
            for position, relative in enumerate(paths):
                source = (base / relative).resolve()
                if base.resolve() not in source.parents or not source.is_file():
                    self.issues.add(W, f"image {relative!r} is not in the package", path=self.path, line=line,
                                    element="Картинка", external_id=xid)
                    continue
                with open(source, "rb") as stream:
                    name = default_storage.save(f"b2b/products/{xid[:2]}/{os.path.basename(relative)}", stream)
                # Storage is not transactional: the pipeline deletes these if the run rolls back.
                self.importer.saved_files.append(name)
                new.append(ProductImage(product_id=ids[xid], file=name, position=position, source_path=relative[:300]))
        ProductImage.objects.bulk_create(new, batch_size=500)
