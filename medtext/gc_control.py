"""Python's cyclic garbage collector held back while medtext builds pipelines and annotates.

Building a pipeline makes millions of long-lived objects, and annotation allocates and frees
millions of short-lived ones with very few reference cycles: collections there only walk objects
that cannot be garbage. These context managers pause the collector or make it run less often,
and restore it afterwards, also on errors.

Example:
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between collections of the youngest generation while annotating (Python's default:
# 700). Annotation allocates and frees millions of small objects, very few in reference
# cycles; each collection of the oldest generation walks every object made since the freeze.
# Measured on the 3,078 benchmark notes (rule pipeline, one worker; the whole run, reading and
# writing included, under this threshold): 10,000 gave 131 collections taking 0.22-0.29 s of CPU,
# 100,000 gave 65 taking 0.16 s, and all of them together found about 2,300 objects in cycles.
GC_THRESHOLD = 100_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside the block (as it was afterwards, also on errors).

    Example:
        >>> import gc
        >>> with collector_paused():
        ...     gc.isenabled()
        False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def fewer_collections(threshold: int = GC_THRESHOLD) -> Iterator[None]:
    """Python's youngest-generation collection threshold at least ``threshold`` inside the block (restored after).

    Example:
        >>> import gc
        >>> with fewer_collections(20_000):
        ...     gc.get_threshold()[0] >= 20_000
        True
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
