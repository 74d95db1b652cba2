"""Streaming, namespace-agnostic, hardened CommerceML reader: XML file in, records out.

    from b2b_cabinet.sync.reader import read_document

    for record in read_document("offers.xml"):
        ...  # DocumentHeader first, then GroupRecord, PropertyRecord, ..., OfferRecord

No database, no Django: it runs in worker processes. Modules: ``document`` (the pass and the
header), ``catalog`` and ``offers`` (the hot walkers), ``classifier``, ``fields`` (shared blocks,
errors with context), ``values`` (numbers, dates, currencies), ``tags`` (qualified names),
``prolog`` (DOCTYPE refusal, root check, parser options).
"""

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader.document import ReaderOptions, read_document
from b2b_cabinet.sync.reader.values import normalise_currency, to_datetime, to_decimal

__all__ = [
    "CommerceMLError",
    "ReaderOptions",
    "normalise_currency",
    "read_document",
    "to_datetime",
    "to_decimal",
]
