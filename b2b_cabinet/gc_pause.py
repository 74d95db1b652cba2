"""Pausing Python's cyclic garbage collector around big batch use-cases.

A batch that builds tens of thousands of short-lived objects (model instances, parsed documents,
row tuples) triggers the cyclic collector again and again, and each older-generation pass walks
the whole heap of a Django process: for 10,000 status documents from 1C that was about a third of
the import's CPU time. Reference counting still frees all of it; only objects in reference cycles
wait until the block ends and the collector runs again. The pricing engine does the same for its
batches.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(pause: bool = True) -> Iterator[None]:
    """Disable the cyclic collector inside the block when ``pause`` and it was enabled; restore it after."""
    was_enabled = pause and gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
