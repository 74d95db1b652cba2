"""Running chunk readers on worker processes with a bounded number of results in flight."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

#: Chunks read ahead of the writer; bounds the memory that finished-but-unwritten rows take.
WINDOW = 4


def worker_count() -> int:
    """Worker processes to use: the CPUs this process may run on, at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


_frozen = 0


@contextmanager
def frozen_heap():
    """Keep every object that exists now out of the garbage collector's walks until the outermost exit.

    An import holds large, long-lived, acyclic maps (stored digests, primary keys, the Ид seen); a
    full collection would walk all of them again and again while rows are written, and in a
    forked worker every walk writes to each object's header, copying the parent's heap page by
    page. Nested entries freeze what was created since.
    """
    global _frozen
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if not _frozen:
            gc.unfreeze()


@contextmanager
def chunk_pool(size: int):
    """A fork-based process pool, or None when one process is enough.

    Fork (not spawn) so workers inherit the read-only state the pipeline prepared; they never use
    the parent's database connection and leave with ``os._exit``, so that connection is safe.
    """
    if size <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    with frozen_heap():
        pool = multiprocessing.get_context("fork").Pool(size, initializer=_worker_start)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _worker_start() -> None:
    """A worker makes many small acyclic objects per record: collect young objects less often."""
    gc.set_threshold(50_000, 20, 100)


def ordered_map(pool, function: Callable, items: Sequence, *, before: Callable[[], None] | None = None,
                ahead: int = WINDOW) -> Iterator:
    """``map(function, items)`` on ``pool`` in order, keeping at most :data:`WINDOW` results pending.

    ``before``, if given, runs in this process once ``ahead`` items are handed out, so the workers
    read while it runs (work left over from the previous file); the results then drain back to
    :data:`WINDOW` pending.
    """
    if pool is None:
        if before is not None:
            before()
        for item in items:
            yield function(item)
        return
    pending: deque = deque()
    iterator = iter(items)

    def hand_out(limit: int) -> None:
        for item in iterator:
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) >= limit:
                return

    hand_out(ahead if before is not None else WINDOW)
    if before is not None:
        before()
    while pending:
        result = pending.popleft().get()
        if len(pending) < WINDOW:
            hand_out(WINDOW)
        yield result
