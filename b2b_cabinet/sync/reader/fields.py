"""Blocks that products and offers share, and error reporting with the 1C object's id.

Walkers here visit each child once and compare its tag against pre-built qualified names
(see ``tags.py``); they never use ``find``/``findtext``, whose path parsing dominates the cost on
large files.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader.tags import Tags
from b2b_cabinet.sync.reader.values import to_decimal


class Context:
    """Per-file state the element walkers need: the path (for errors), the tag names, and a
    small memo of immutable records that repeat within a file (stock lines)."""

    __slots__ = ("cache", "path", "tags")

    def __init__(self, path: str, tags: Tags):
        self.path = path
        self.tags = tags
        self.cache: dict = {}

    def error(
        self, problem: str, element: etree._Element, record: etree._Element | None, entity: str
    ) -> CommerceMLError:
        """An error at ``element`` inside the ``entity`` (``"offer"``…) whose element is ``record``."""
        return CommerceMLError(
            problem,
            path=self.path,
            line=element.sourceline,
            element=self.tags.local_name(element.tag),
            external_id=(record_id(record, self.tags) or None) if record is not None else None,
            entity=entity,
        )

    def number(
        self,
        text: str | None,
        label: str,
        element: etree._Element,
        record: etree._Element | None,
        entity: str,
    ) -> Decimal:
        """``to_decimal`` that reports ``<element> of entity 'id': label 'x' is not a number``."""
        try:
            return to_decimal(text or "")
        except ValueError:
            raise self.error(f"{label} {(text or '')!r} is not a number", element, record, entity) from None


def record_id(record: etree._Element, tags: Tags) -> str:
    """The ``Ид`` child of a record element (only needed on the error path)."""
    for child in record:
        if child.tag == tags.ID:
            return (child.text or "").strip()
    return ""


def text_of(element: etree._Element) -> str:
    """Trimmed text of a leaf element; ``""`` for an empty one."""
    text = element.text
    return text.strip() if text else ""


def property_values(block: etree._Element, tags: Tags) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``ЗначенияСвойств`` → ``((property_id, (value, ...)), ...)``; empty values are dropped.

    Items are not checked by tag (``ЗначенияСвойства``, or ``ЗначениеСвойства`` as Bitrix also
    accepts): an element without an ``Ид`` child is skipped anyway, and not reading one tag per
    item is a measurable share of a product's cost.
    """
    value_tag, id_tag = tags.VALUE, tags.ID
    result = []
    for item in block:
        property_id = ""
        values = []
        for child in item:
            tag = child.tag
            if tag == value_tag:
                text = child.text
                if text:
                    text = text.strip()
                    if text:
                        values.append(text)
            elif tag == id_tag:
                text = child.text
                property_id = text.strip() if text else ""
        if property_id:
            result.append((property_id, tuple(values)))
    return tuple(result)


def requisites(block: etree._Element, tags: Tags) -> tuple[tuple[str, str], ...]:
    """``ЗначенияРеквизитов`` → ``((name, value), ...)``; several ``Значение`` joined by ``"\\n"``."""
    return _name_value_pairs(block, tags)


def characteristics(block: etree._Element, tags: Tags) -> tuple[tuple[str, str], ...]:
    """``ХарактеристикиТовара`` → ``((name, value), ...)``; may be empty (``<ХарактеристикиТовара/>``)."""
    return _name_value_pairs(block, tags)


def _name_value_pairs(block: etree._Element, tags: Tags) -> tuple[tuple[str, str], ...]:
    # Items (ЗначениеРеквизита, ХарактеристикаТовара) are not checked by tag: one without a
    # Наименование is skipped, which is all a check would achieve.
    name_tag, value_tag = tags.NAME, tags.VALUE
    result = []
    for item in block:
        name = ""
        first = several = None
        for child in item:
            tag = child.tag
            if tag == value_tag:
                text = child.text
                text = text.strip() if text else ""
                if first is None:
                    first = text
                elif several is None:
                    several = [first, text]
                else:
                    several.append(text)
            elif tag == name_tag:
                text = child.text
                name = text.strip() if text else ""
        if name:
            result.append((name, "\n".join(several) if several is not None else first or ""))
    return tuple(result)
