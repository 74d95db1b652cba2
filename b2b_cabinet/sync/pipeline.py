"""The import pipeline: files in, one atomic transaction, an ``ImportRun`` out.

``import_files`` orders the files (classifier and goods before offers, prices and rests), loads
each file's classifier in this process, then has worker processes read the products or offers in
chunks while this process writes what changed. Everything happens in one transaction: a failed
run, or a dry run, leaves the catalogue exactly as it was. The run's record, its counts and its
issues are written outside that transaction, so they survive a rollback.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Category, ImportRun, Product, Property, PropertyValue, product_search
from b2b_cabinet.sync.chunks import plan_chunks
from b2b_cabinet.sync.classifier_load import ClassifierLoader
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.issues import IssueLog
from b2b_cabinet.sync.loaders import bulk_writer
from b2b_cabinet.sync.loaders.base import HASH_COLUMNS, OFFER_STATE, PRICE, PRODUCT, STOCK, VARIANT
from b2b_cabinet.sync.offers_load import OfferSink
from b2b_cabinet.sync.parallel import chunk_pool, frozen_heap, ordered_map, worker_count
from b2b_cabinet.sync.planning import FilePlan, plan_files
from b2b_cabinet.sync.products_load import ProductSink
from b2b_cabinet.sync.records import KIND_IMPORT, KIND_OFFERS
from b2b_cabinet.sync.refs import References
from b2b_cabinet.sync.workers import (
    STATE,
    WorkerState,
    read_offer_chunk,
    read_product_chunk,
    read_whole,
    record_ids,
)

logger = logging.getLogger(__name__)

#: Files up to this size are read in this process; larger ones are cut into chunks for workers.
SMALL_FILE = 24 * 1024 * 1024
CHUNK_SIZE = 8 * 1024 * 1024
MIN_CHUNK = 256 * 1024
#: Files up to this size are also parsed in this process: a few thousand records take less CPU
#: than forking workers and sending their rows back (a typical 1 % delta is about 4 MB a file).
INLINE_FILE = 8 * 1024 * 1024
#: Small offers files too have their plain offers read into final rows (with the keys of the
#: products they name); False reads them row by row, as files the byte scanner cannot cut.
PLAN_SMALL_FILES = True
#: A run of at least this many bytes into empty catalogue tables (a first import) builds their
#: secondary indexes after writing the rows (see ``BulkWriter.indexes_set_aside``).
FIRST_LOAD_BYTES = 64 * 1024 * 1024

Progress = Callable[[int, int], None]


@dataclass
class Counts:
    """What a run did, over products and offers."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    rejected: int = 0
    items: int = 0


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


def import_files(
    paths: Sequence[os.PathLike | str],
    *,
    source: str,
    node=None,
    session=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    """Import CommerceML files atomically and return the finished ``ImportRun``.

    Never raises for bad input: a file that cannot be imported gives a run with status ``failed``
    and an ``error`` naming file, line, element and 1C Ид, and the catalogue is left unchanged.
    """
    paths = [Path(p) for p in paths]
    run = ImportRun.objects.create(
        source=source, node=node, session=session, files=[str(p) for p in paths], dry_run=dry_run
    )
    issues = IssueLog(run)
    importer = None
    try:
        plans = plan_files(paths)
        run.is_full = any(plan.is_full for plan in plans)
        # Inside a caller's transaction, rows it wrote may still wait for deferred checks, which
        # PostgreSQL will not let an index be built over: only a run of its own is a first load.
        own_transaction = not connection.in_atomic_block
        with transaction.atomic():
            importer = Importer(run, issues, progress, sum(plan.size for plan in plans), own_transaction)
            with importer.first_load(plans) as aside:
                importer.aside = aside
                for plan in plans:
                    importer.import_file(plan)
                importer.run_pending()
            run.kinds = ", ".join(sorted({plan.role for plan in plans}))
            if dry_run:
                raise _DryRun
        run.status = ImportRun.Status.SUCCESS
    except _DryRun:
        run.status = ImportRun.Status.DRY_RUN
    except CommerceMLError as exc:
        run.status, run.error = ImportRun.Status.FAILED, str(exc)
        issues.error(exc)
    except Exception as exc:  # an unexpected failure must still leave a readable run behind
        logger.exception("Import run %s failed", run.pk)
        run.status = ImportRun.Status.FAILED
        run.error = f"Internal error ({type(exc).__name__}: {exc}). Nothing was changed; see the server log."
    counts = importer.counts if importer else Counts()
    if run.status == ImportRun.Status.FAILED:
        # Rolled back: only what was read is true, not what would have changed.
        counts = Counts(items=counts.items, rejected=counts.rejected)
    if importer and run.status != ImportRun.Status.SUCCESS:
        for name in importer.saved_files:
            default_storage.delete(name)
    for name in ("created", "updated", "unchanged", "deactivated", "rejected", "items"):
        setattr(run, name, getattr(counts, name))
    run.finished_at = timezone.now()
    run.save()
    issues.save()
    return run


class Importer:
    """One run's state: the writer, reference caches, counts; imports file after file."""

    def __init__(self, run: ImportRun, issues: IssueLog, progress: Progress | None, total_bytes: int,
                 own_transaction: bool = False):
        self.run = run
        self.issues = issues
        self.progress = progress
        self.total_bytes = total_bytes
        self.done_bytes = 0
        self.counts = Counts()
        self.saved_files: list[str] = []
        self.writer = bulk_writer(connection, run.pk)
        self.refs = References()
        self.own_transaction = own_transaction
        self.aside = None  # the IndexesAside of a first load
        #: Work that may wait until the workers read the next file (indexes built again).
        self.pending: list[Callable[[], None]] = []
        self.search_finish: Callable[[], None] | None = None  # product_search.defer's, while deferred

    def _finish_search(self) -> None:
        finish, self.search_finish = self.search_finish, None
        if finish is not None:
            finish()

    def _rebuild_products(self) -> None:
        if self.aside is not None:
            self.aside.rebuild([PRODUCT, VARIANT])

    def run_pending(self) -> None:
        """Do the work left over from earlier files, now."""
        while self.pending:
            self.pending.pop(0)()

    def first_load(self, plans: Sequence[FilePlan]) -> AbstractContextManager:
        """For the first big goods import: the indexes of the empty tables it fills are built at the end.

        Only while the catalogue is not live yet (no product at all): setting indexes aside locks
        the tables, and a site showing products must not wait for an import (so the offers file
        of a 1C exchange, imported in a run after the goods, takes the ordinary way).
        """
        if (not b2b_settings.IMPORT_FIRST_LOAD or self.total_bytes < FIRST_LOAD_BYTES or not self.own_transaction
                or not any(plan.kind == KIND_IMPORT for plan in plans) or not self.writer.is_empty(PRODUCT)):
            return nullcontext()
        tables = [PRODUCT, VARIANT]
        if any(plan.kind == KIND_OFFERS for plan in plans):
            tables += [PRICE, STOCK, OFFER_STATE]
        return self.writer.indexes_set_aside([table for table in tables if self.writer.is_empty(table)])

    def import_file(self, plan: FilePlan) -> None:
        """Load the file's classifier, then its products or offers."""
        loader = ClassifierLoader()
        loader.load(plan.classifier_records())
        if loader.changed_names:
            # Stored rows carry property names, value texts and categories resolved through the
            # classifier: once it changes, unchanged bytes no longer mean an unchanged row.
            self.writer.forget_record_digests()
        if plan.first is not None and plan.kind == KIND_IMPORT:
            self._products(plan)
        elif plan.first is not None and plan.kind == KIND_OFFERS:
            self._offers(plan)
        self._advance(plan.size)

    def _advance(self, size: int) -> None:
        self.done_bytes += size
        if self.progress:
            self.progress(self.done_bytes, self.total_bytes)

    def _state(self, known: dict[str, bytes] | None) -> None:
        """Fill the workers' read-only state; they fork after this and share it."""
        STATE.__dict__.update(WorkerState().__dict__)
        STATE.known = known or {}
        STATE.groups = dict(Category.objects.exclude(external_id=None).values_list("external_id", "pk"))
        STATE.properties = dict(Property.objects.exclude(external_id=None).values_list("external_id", "name"))
        STATE.values = dict(PropertyValue.objects.exclude(external_id=None).values_list("external_id", "value"))
        STATE.transit = (
            b2b_settings.TRANSIT_QUANTITY_REQUISITE,
            b2b_settings.TRANSIT_DATE_REQUISITE,
            b2b_settings.TRANSIT_WAREHOUSE_REQUISITE,
        )

    def _chunks(self, plan: FilePlan, record: str):
        # Small files are still cut in two, so a delta uses both cores too.
        size = CHUNK_SIZE if plan.size > SMALL_FILE else max(plan.size // worker_count() + 1, MIN_CHUNK)
        return plan_chunks(str(plan.path), plan.prolog, record, size)

    def _known(self, plan: FilePlan, chunks, column: str) -> dict[str, bytes]:
        """Stored digests of the file's records: all of them for a big file, else only those it lists.

        ``content_hash`` is a digest of goods (products and, for 2.04 files, variants); the others
        are offer digests, kept in the offer states.
        """
        offers = column != "content_hash"
        if plan.size > SMALL_FILE or not chunks:
            if offers:
                return self.writer.offer_keys(column)[0]
            return self.writer.known_digests((PRODUCT, VARIANT), column)
        xids = [xid for chunk in chunks for xid in record_ids(chunk)]
        if offers:
            return self.writer.stored_digests(OFFER_STATE, column, xids)
        # Variants are the ``product#characteristic`` Ид: ask each table only for its own kind.
        known = self.writer.stored_digests(PRODUCT, column, [x for x in xids if "#" not in x])
        known.update(self.writer.stored_digests(VARIANT, column, [x for x in xids if "#" in x]))
        return known

    def _run_chunks(self, plan: FilePlan, record: str, reader, sink, chunks) -> None:
        if not chunks:
            # The byte scanner found no record it can cut out (prefixed tags): the reader reads it.
            self._run_whole(plan, record, sink)
            return
        workers = worker_count() if len(chunks) > 1 and plan.size > INLINE_FILE else 1
        before = Counts(**vars(self.counts))
        saved = len(self.saved_files)
        leftover = self.run_pending if self.pending else None
        try:
            with frozen_heap(), chunk_pool(workers) as pool:
                results = ordered_map(pool, reader, chunks, before=leftover, ahead=self.writer.ahead(record))
                # The first result comes after the leftover work, which is done outside the savepoint
                # below: re-reading this file after a failure must not undo it.
                first = next(results, None)
                with transaction.atomic():
                    for result in itertools.chain(() if first is None else (first,), results):
                        sink.write(result)
        except CommerceMLError as exc:
            if not exc.problem.startswith("the XML is malformed"):
                raise
            # Broken XML, or a "<Товар" inside CDATA that fooled the byte scanner: the reader's
            # own pass tells which, and reports real damage with its line. The rollback to the
            # savepoint took the brands, producers and units the earlier chunks created (and the
            # writer's temporary tables): forget their keys too.
            self.counts.__dict__.update(vars(before))
            self.refs = References()
            self.writer.forget_temporary_tables()
            # Picture files the rolled-back chunks stored: their rows are gone, the re-read stores them again.
            for name in self.saved_files[saved:]:
                default_storage.delete(name)
            del self.saved_files[saved:]
            sink.reset()
            self._run_whole(plan, record, sink)

    def _run_whole(self, plan: FilePlan, record: str, sink) -> None:
        self.run_pending()
        with transaction.atomic():
            for result in read_whole(str(plan.path), record):
                sink.write(result)

    def _products(self, plan: FilePlan) -> None:
        chunks = self._chunks(plan, "Товар")
        # Into an empty table a full upload has nothing to deactivate: every row is from this file.
        was_empty = plan.is_full and self.writer.is_empty(PRODUCT)
        known = self._known(plan, chunks, "content_hash")
        self._state(known)
        sink = ProductSink(self, plan.path, known)
        # SQLite: the search index takes the changed products later, set-based, while the workers
        # read the next file (or at the end of the run); so do the product indexes of a first
        # load. A goods file after another (split files) leaves both waiting until after itself.
        self.pending = [task for task in self.pending if task not in (self._finish_search, self._rebuild_products)]
        if self.search_finish is None:
            self.search_finish = product_search.defer(connection)
        self._run_chunks(plan, "Товар", read_product_chunk, sink, chunks)
        self.pending += [self._finish_search, self._rebuild_products]
        if plan.is_full and not was_empty:
            # A 2.04 variant product ``p#c`` keeps its parent ``p`` in the catalogue too.
            seen = set(sink.seen)
            seen.update(xid.partition("#")[0] for xid in sink.seen if "#" in xid)
            self.counts.deactivated += self.writer.deactivate_missing(PRODUCT, seen)

    def _offers(self, plan: FilePlan) -> None:
        chunks = self._chunks(plan, "Предложение")
        was_empty = plan.is_full and plan.role == "offers" and self.writer.is_empty(VARIANT)
        every_product = True
        if plan.size > SMALL_FILE and chunks:
            known, product_ids = self.writer.offer_keys(HASH_COLUMNS[plan.role])
        elif chunks and PLAN_SMALL_FILES:
            # A small file (a delta) takes the same path for its product-level offers, with the keys
            # of only the products it names: its offers are read into final rows too.
            xids = [xid for chunk in chunks for xid in record_ids(chunk)]
            known = self.writer.stored_digests(OFFER_STATE, HASH_COLUMNS[plan.role], xids)
            product_ids = self.writer.ids_for(PRODUCT, [xid for xid in xids if "#" not in xid])
            every_product = False
        else:
            known, product_ids = self._known(plan, chunks, HASH_COLUMNS[plan.role]), None
        self._state(known)
        sink = OfferSink(self, plan.path, plan.role, known, product_ids, plan.first, every_product=every_product)
        STATE.offer_plan = sink.plan()
        self._run_chunks(plan, "Предложение", read_offer_chunk, sink, chunks)
        if plan.is_full and plan.role == "offers" and not was_empty:
            self.counts.deactivated += self.writer.deactivate_missing(VARIANT, sink.seen_variants)

    def deactivate_products(self, pks: list[int]) -> None:
        """Products whose only offer 1C marked deleted."""
        self.counts.deactivated += Product.objects.filter(pk__in=pks, is_active=True).update(is_active=False)


__all__ = ["Counts", "import_files"]
