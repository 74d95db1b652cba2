"""What each file of an import is, and in which order the files are loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader import read_document
from b2b_cabinet.sync.reader.prolog import Prolog, inspect_prolog
from b2b_cabinet.sync.records import (
    KIND_CLASSIFIER,
    KIND_DOCUMENTS,
    KIND_IMPORT,
    KIND_OFFERS,
    DocumentHeader,
    OfferRecord,
    ProductRecord,
)

#: Load order: whatever declares groups, properties, price types and warehouses comes first.
ORDER = {KIND_CLASSIFIER: 0, KIND_IMPORT: 1, KIND_OFFERS: 2}


@dataclass
class FilePlan:
    """One file: its header, its prolog, and the open reader positioned after the header."""

    path: Path
    prolog: Prolog
    header: DocumentHeader
    size: int
    _records: Iterator = field(repr=False)
    first: ProductRecord | OfferRecord | None = None

    @property
    def kind(self) -> str:
        return self.header.kind

    @property
    def is_full(self) -> bool:
        """A full upload: what it does not contain is no longer sold (not for split ``___`` files)."""
        return self.kind in (KIND_IMPORT, KIND_OFFERS) and not self.header.only_changes and "___" not in self.path.name

    @property
    def role(self) -> str:
        """``import``/``classifier``, or for offers what the file carries: ``offers``, ``prices`` or ``rests``."""
        if self.kind != KIND_OFFERS or not isinstance(self.first, OfferRecord):
            return self.kind
        has_stock = self.first.stocks is not None or self.first.quantity is not None
        if self.first.prices is not None and not has_stock:
            return "prices"
        if self.first.prices is None and has_stock:
            return "rests"
        return "offers"

    def classifier_records(self) -> list:
        """Everything before the first product or offer; the reader stops there (workers read the rest)."""
        records = []
        for record in self._records:
            if isinstance(record, ProductRecord | OfferRecord):
                self.first = record
                break
            records.append(record)
        self._records.close()
        return records


def plan_files(paths: Sequence[Path]) -> list[FilePlan]:
    """Read each file's header and order the files for loading.

    Raises ``CommerceMLError`` for a file that is not a catalogue file (orders documents go through
    the sale exchange), so nothing is loaded from a set with a wrong file in it.
    """
    plans = []
    for path in paths:
        prolog = inspect_prolog(str(path))
        records = read_document(path)
        header = next(records)
        if header.kind == KIND_DOCUMENTS:
            records.close()
            raise CommerceMLError(
                "this is a document file (orders, payments or counterparties), not a catalogue",
                path=str(path),
                hint="Send it through the orders exchange (type=sale), not the catalogue import.",
            )
        plans.append(FilePlan(path, prolog, header, os.path.getsize(path), records))
    return sorted(plans, key=lambda plan: (ORDER.get(plan.kind, 3), plan.path.name))
