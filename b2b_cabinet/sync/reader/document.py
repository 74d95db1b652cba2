"""The streaming pass over one CommerceML file: events in, records out, memory flat.

One ``lxml.etree.iterparse`` over end events of the few tags that are records or containers,
with the namespace resolved up front so the filter and every comparison use exact qualified
names. Each record element is read once, then cleared and unlinked together with its already
read siblings, so a 650 MB file is read in the memory of a few products.

The header comes first, but some of what it says (is there a ``Каталог`` after this
``Классификатор``? what is the catalog's ``Ид``?) is only known further on. Classifier records
are therefore held back until the document's kind is settled: at the first product, offer or
document, at the end of a catalog or offer package, or at the end of the file. They are few;
products and offers are never held.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from b2b_cabinet.sync.reader.catalog import read_product
from b2b_cabinet.sync.reader.classifier import (
    read_group_tree,
    read_price_type,
    read_property,
    read_unit,
    read_warehouse,
)
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.header import Containers
from b2b_cabinet.sync.reader.offers import read_offer
from b2b_cabinet.sync.reader.prolog import PARSER_OPTIONS, Prolog, inspect_prolog, syntax_error
from b2b_cabinet.sync.reader.tags import tags_for
from b2b_cabinet.sync.records import DocumentHeader, Record


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """Options for :func:`read_document`. None are needed yet; the argument exists so that
    callers (pipeline, benchmarks) need not change when some are added."""


def read_document(path: str | os.PathLike[str], *, options: ReaderOptions | None = None) -> Iterator[Record]:
    """Stream one CommerceML file as records: a :class:`DocumentHeader`, then the rest.

    After the header come classifier records (groups parent-first, properties, price types,
    warehouses, units), then products or offers in document order. Price types and warehouses
    are yielded wherever they appear (``Классификатор`` or ``ПакетПредложений``). A sale document
    (orders, contractors) yields only its header, of kind ``"documents"``.

    Raises :class:`~b2b_cabinet.sync.errors.CommerceMLError` for malformed or truncated XML, any
    DOCTYPE, a root that is not ``КоммерческаяИнформация``, and values that cannot be loaded.
    The generator raises lazily, at the point of the file where the problem is.
    """
    path = os.fspath(path)
    prolog = inspect_prolog(path)
    yield from _DocumentReader(path, prolog, options or ReaderOptions()).records()


class _DocumentReader:
    """One pass over one file (see the module docstring)."""

    def __init__(self, path: str, prolog: Prolog, options: ReaderOptions):
        self.path = path
        self.prolog = prolog
        self.options = options
        self.tags = tags_for(prolog.namespace)
        self.ctx = Context(path, self.tags)
        self.containers = Containers(self.tags)
        self.root: etree._Element | None = None
        self.header: DocumentHeader | None = None
        self.pending: list[Record] = []
        # Identity caches: lxml returns the same proxy for a node while a reference to it lives,
        # so "is" against these replaces tag comparisons on the hot path.
        self.classifier_element: etree._Element | None = None
        self.package_element: etree._Element | None = None
        self.products_list: etree._Element | None = None
        self.offers_list: etree._Element | None = None
        self.group_list: etree._Element | None = None
        self.group_position = 0

    # -- the pass -------------------------------------------------------------------------------

    def records(self) -> Iterator[Record]:
        tags = self.tags
        product_tag, offer_tag = tags.PRODUCT, tags.OFFER
        ctx = self.ctx
        watched = (
            tags.PRODUCT, tags.OFFER, tags.GROUP, tags.PROPERTY, tags.PRICE_TYPE, tags.WAREHOUSES,
            tags.UNIT, tags.CLASSIFIER, tags.CATALOG, tags.PACKAGE, tags.PACKAGE_CHANGES,
            tags.DOCUMENT, tags.CONTRACTORS, tags.CONTAINER,
        )  # fmt: skip
        # libxml2 drops blank text between elements itself (fewer nodes to build), and comments
        # and processing instructions never reach the walkers as children.
        events = etree.iterparse(
            self.path,
            events=("end",),
            tag=watched,
            remove_blank_text=True,
            remove_comments=True,
            remove_pis=True,
            **PARSER_OPTIONS,
        )
        try:
            for _event, element in events:
                if self.root is None:
                    self.root = element.getroottree().getroot()
                tag = element.tag
                if tag == product_tag:
                    parent = element.getparent()
                    if parent is not self.products_list and not self._is_product_list(parent):
                        continue  # a line of an order (Документ/Товары/Товар): not ours
                    record = read_product(element, ctx)
                    _release(element, parent)
                    if self.header is None:
                        yield from self._settle()
                    yield record
                elif tag == offer_tag:
                    parent = element.getparent()
                    if parent is not self.offers_list and not self._is_offer_list(parent):
                        continue
                    record = read_offer(element, ctx)
                    _release(element, parent)
                    if self.header is None:
                        yield from self._settle()
                    yield record
                else:
                    yield from self._other(element, tag)
        except etree.XMLSyntaxError as exc:
            raise syntax_error(exc, self.path) from exc
        if self.header is None:
            self.containers.refuse_unknown_content(events.root, self.path)
            yield from self._settle()

    def _other(self, element: etree._Element, tag: str) -> Iterator[Record]:
        """Classifier entries and the end of top-level containers (the cold path)."""
        tags = self.tags
        parent = element.getparent()
        if tag == tags.GROUP:
            if self._classifier_of(parent):
                if parent is not self.group_list:
                    self.group_list, self.group_position = parent, 0
                records = read_group_tree(element, self.group_position, self.ctx)
                self.group_position += 1
                _release(element, parent)
                yield from self._emit(records)
        elif tag == tags.PROPERTY:
            if self._classifier_of(parent):
                record = read_property(element, self.ctx)
                _release(element, parent)
                yield from self._emit([record])
        elif tag == tags.PRICE_TYPE:
            if self._classifier_of(parent) or self._package_of(parent):
                record = read_price_type(element, self.ctx)
                _release(element, parent)
                yield from self._emit([record])
        elif tag == tags.UNIT:
            if self._classifier_of(parent):
                record = read_unit(element, self.ctx)
                _release(element, parent)
                yield from self._emit([record])
        elif tag == tags.WAREHOUSES:
            # The list, not each Склад: Склад also appears inside every offer and document.
            if self._classifier_of(element) or self._package_of(element):
                records = [read_warehouse(w, self.ctx) for w in element if w.tag == tags.WAREHOUSE]
                element.clear()
                yield from self._emit(records)
        elif self._is_top_level(element):
            yield from self._container_end(element, tag)

    def _container_end(self, element: etree._Element, tag: str) -> Iterator[Record]:
        tags = self.tags
        if tag == tags.CLASSIFIER:
            self.containers.note("classifier", element)
        elif tag == tags.CATALOG:
            self.containers.note("catalog", element)
        elif tag in (tags.PACKAGE, tags.PACKAGE_CHANGES):
            self.containers.note("package", element)
        else:  # Документ, Контрагенты, Контейнер: sale documents, parsed elsewhere
            self.containers.note("documents", element)
        # Only a classifier leaves the kind open: a Каталог or ПакетПредложений may follow it.
        settle = self.header is None and tag != tags.CLASSIFIER
        if element is not self.root:
            _release(element, self.root)
        if settle:
            yield from self._settle()

    # -- where an element sits ------------------------------------------------------------------

    def _is_top_level(self, element: etree._Element) -> bool:
        parent = element.getparent()
        return parent is None or parent is self.root

    def _classifier_of(self, list_element: etree._Element | None) -> bool:
        """Is ``list_element`` (Группы, Свойства…) a direct child of the top-level Классификатор?"""
        container = list_element.getparent() if list_element is not None else None
        if container is None:
            return False
        if container is self.classifier_element:
            return True
        if container.tag == self.tags.CLASSIFIER and self._is_top_level(container):
            self.containers.note("classifier", container)
            self.classifier_element = container
            return True
        return False

    def _package_of(self, list_element: etree._Element | None) -> bool:
        container = list_element.getparent() if list_element is not None else None
        if container is None:
            return False
        if container is self.package_element:
            return True
        if container.tag in (self.tags.PACKAGE, self.tags.PACKAGE_CHANGES) and self._is_top_level(container):
            self.containers.note("package", container)
            self.package_element = container
            return True
        return False

    def _is_product_list(self, parent: etree._Element | None) -> bool:
        container = parent.getparent() if parent is not None else None
        if (
            container is None
            or parent.tag != self.tags.PRODUCTS
            or container.tag != self.tags.CATALOG
            or not self._is_top_level(container)
        ):
            return False
        self.containers.note("catalog", container)
        self.products_list = parent
        return True

    def _is_offer_list(self, parent: etree._Element | None) -> bool:
        if parent is None or parent.tag != self.tags.OFFERS or not self._package_of(parent):
            return False
        self.offers_list = parent
        return True

    # -- the header -----------------------------------------------------------------------------

    def _emit(self, records: list[Record]) -> list[Record]:
        """Records to yield now; before the header is settled they wait in ``pending``."""
        if self.header is None:
            self.pending.extend(records)
            return []
        return records

    def _settle(self) -> Iterator[Record]:
        """Decide the header from the containers seen so far; yield it and what was held back."""
        self.header = self.containers.header(self.path, self.prolog)
        yield self.header
        pending, self.pending = self.pending, []
        yield from pending


def _release(element: etree._Element, parent: etree._Element | None) -> None:
    """Free a processed element and the siblings before it (already processed too)."""
    element.clear()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
