"""Bulk writers: the import's rows go to the database through the driver, not the ORM.

``bulk_writer(connection, run_id)`` returns the writer for the connection's vendor. Both writers
offer the same operations (see :class:`~b2b_cabinet.sync.loaders.base.BulkWriter`); SQLite uses
``executemany`` upserts, PostgreSQL ``COPY`` into temporary tables and set-based upserts. They run
inside the caller's transaction, so an import stays atomic.
"""

from .base import BulkWriter


def bulk_writer(connection, run_id: int) -> BulkWriter:
    """The writer for ``connection``'s database vendor."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresWriter

        return PostgresWriter(connection, run_id)
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteWriter

        return SQLiteWriter(connection, run_id)
    raise NotImplementedError(f"The 1C import supports SQLite and PostgreSQL, not {connection.vendor}.")


__all__ = ["BulkWriter", "bulk_writer"]
