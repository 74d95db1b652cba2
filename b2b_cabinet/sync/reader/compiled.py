"""The compiled record walkers (``_walk.pyx``) when the package was built with them.

An install without a C compiler has none: :func:`walker_for` then gives None and the workers use
the Python walkers, which give the same results more slowly.
"""

from __future__ import annotations

from functools import lru_cache

try:
    from b2b_cabinet.sync.reader._walk import Walker
except (ImportError, ValueError):
    # ImportError: built without a C compiler. ValueError: Cython's check that lxml's types have the
    # size they had at build time failed (lxml upgraded or downgraded since): the Python walkers read.
    Walker = None

#: Whether the compiled walkers are there (CI requires them; their tests skip without them).
AVAILABLE = Walker is not None


@lru_cache(maxsize=16)
def walker_for(namespace: str):
    """The compiled :class:`Walker` for the records of ``namespace`` (``""``: none), or None."""
    return Walker(namespace) if Walker is not None else None
