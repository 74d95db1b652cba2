"""The document header: what kind of file this is, its ids and whether it is a delta.

All of it comes from the top-level containers (``Классификатор``, ``Каталог``,
``ПакетПредложений``/``ИзмененияПакетаПредложений``, sale ``Документ``/``Контрагенты``/
``Контейнер``) and the root's attributes. :class:`Containers` collects the first container of each
role as the pass meets it; :meth:`Containers.header` turns that into a
:class:`~b2b_cabinet.sync.records.DocumentHeader`.
"""

from __future__ import annotations

from lxml import etree

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader.fields import text_of
from b2b_cabinet.sync.reader.prolog import NOT_CML_HINT, Prolog
from b2b_cabinet.sync.reader.tags import A_ONLY_CHANGES, Tags
from b2b_cabinet.sync.reader.values import to_bool, to_datetime
from b2b_cabinet.sync.records import (
    KIND_CLASSIFIER,
    KIND_DOCUMENTS,
    KIND_IMPORT,
    KIND_OFFERS,
    DocumentHeader,
)

ROLES = ("classifier", "catalog", "package", "documents")


class Container:
    """What one top-level element says about the file: its ``Ид``, the ids it refers to, and
    ``СодержитТолькоИзменения`` (None when absent)."""

    __slots__ = ("catalog_ref", "classifier_ref", "element", "external_id", "only_changes")

    def __init__(self, element: etree._Element):
        self.element = element
        self.external_id = self.classifier_ref = self.catalog_ref = ""
        attribute = element.get(A_ONLY_CHANGES)
        self.only_changes = None if attribute is None else to_bool(attribute)

    def note_ids(self, tags: Tags) -> None:
        """Read the id children; blanks are filled, values already read are kept."""
        for child in self.element:
            tag = child.tag
            if tag == tags.ID:
                self.external_id = self.external_id or text_of(child)
            elif tag == tags.CLASSIFIER_ID:
                self.classifier_ref = self.classifier_ref or text_of(child)
            elif tag == tags.CATALOG_ID:
                self.catalog_ref = self.catalog_ref or text_of(child)


class Containers:
    """The first top-level container of each role met so far."""

    __slots__ = ("catalog", "classifier", "documents", "package", "tags")

    def __init__(self, tags: Tags):
        self.tags = tags
        self.classifier: Container | None = None
        self.catalog: Container | None = None
        self.package: Container | None = None
        self.documents: Container | None = None

    def note(self, role: str, element: etree._Element) -> None:
        """Note a container of ``role`` (one of :data:`ROLES`) and read its ids.

        The ids precede the bulk of a container, so they are parsed by the time its first record
        ends; the pass notes the container again at its end in case 1C put them last.
        """
        first = getattr(self, role)
        if first is None:
            first = Container(element)
            setattr(self, role, first)
        if first.element is element and role != "documents":
            first.note_ids(self.tags)

    def seen_any(self) -> bool:
        return any(getattr(self, role) is not None for role in ROLES)

    def header(self, path: str, prolog: Prolog) -> DocumentHeader:
        """The header for what has been seen: the package wins over the catalog, the catalog over
        the classifier; a sale document, or nothing at all (Bitrix's empty answer), is
        ``documents``."""
        classifier, catalog, package, documents = self.classifier, self.catalog, self.package, self.documents
        if documents is not None or not (classifier or catalog or package):
            kind, main = KIND_DOCUMENTS, documents
        elif package is not None:
            kind, main = KIND_OFFERS, package
        elif catalog is not None:
            kind, main = KIND_IMPORT, catalog
        else:
            kind, main = KIND_CLASSIFIER, classifier
        only_changes = main.only_changes if main is not None else None
        if only_changes is None and classifier is not None:
            only_changes = classifier.only_changes
        return DocumentHeader(
            path=path,
            kind=kind,
            schema_version=prolog.schema_version,
            only_changes=bool(only_changes),
            classifier_id=_first(classifier and classifier.external_id, catalog and catalog.classifier_ref,
                                 package and package.classifier_ref),
            catalog_id=_first(catalog and catalog.external_id, package and package.catalog_ref),
            package_id=_first(package and package.external_id),
            generated_at=_generated_at(path, prolog),
            namespace=prolog.namespace,
        )  # fmt: skip

    def refuse_unknown_content(self, root: etree._Element | None, path: str) -> None:
        """A root with children, none of them known, is another XML dialect, not an empty answer."""
        if self.seen_any() or root is None:
            return
        for child in root:
            if isinstance(child.tag, str):
                raise CommerceMLError(
                    "not a CommerceML file: no <Классификатор>, <Каталог>, <ПакетПредложений> "
                    "or <Документ> under the root",
                    path=path,
                    line=child.sourceline,
                    element=self.tags.local_name(child.tag),
                    hint=NOT_CML_HINT,
                )


def _generated_at(path: str, prolog: Prolog):
    try:
        return to_datetime(prolog.generated_at)
    except ValueError:
        raise CommerceMLError(
            f"the generation date {prolog.generated_at!r} is not a date",
            path=path,
            line=prolog.line,
            element=prolog.root,
        ) from None


def _first(*values: str | None) -> str:
    for value in values:
        if value:
            return value
    return ""
