"""CommerceML order documents: the ``sale/query`` answer out, 1C's documents in.

No database and no Django here, like the catalogue reader: the exporter
(:mod:`b2b_cabinet.sync.orders_export`) turns order parts into :mod:`.records`, :func:`write_orders`
turns those into bytes in the schema version 1C asked for, and :func:`read_order_documents`
streams 1C's documents file into :class:`~.records.OrderDocument` records for
:mod:`b2b_cabinet.sync.orders_import`.

Modules: ``records`` (frozen dataclasses), ``versions`` (which version writes what), ``writer``,
``reader``, ``names`` (the requisite and operation vocabulary), ``reference`` (the ``sale/info``
answer).
"""

from .reader import read_order_documents
from .records import ContractorOut, LinkedDocument, OrderDocument, OrderLineIn, OrderLineOut, OrderOut
from .reference import write_reference
from .versions import DEFAULT_VERSION, SUPPORTED_VERSIONS, negotiate
from .writer import write_orders

__all__ = [
    "DEFAULT_VERSION",
    "SUPPORTED_VERSIONS",
    "ContractorOut",
    "LinkedDocument",
    "OrderDocument",
    "OrderLineIn",
    "OrderLineOut",
    "OrderOut",
    "negotiate",
    "read_order_documents",
    "write_orders",
    "write_reference",
]
