"""The worker side of an import: reading chunks (:mod:`.reading`) into loader rows (:mod:`.rows`),
with read-only inputs shared before forking (:mod:`.state`). Runs without the database."""

from b2b_cabinet.sync.workers.reading import (
    read_offer_chunk,
    read_product_chunk,
    read_whole,
    record_ids,
)
from b2b_cabinet.sync.workers.state import STATE, ChunkResult, WorkerState

__all__ = ["STATE", "ChunkResult", "WorkerState", "read_offer_chunk", "read_product_chunk", "read_whole",
           "record_ids"]
