"""Python's cyclic garbage collector around the build's long-lived objects (loa/pipeline.py).

Checking makes millions of small objects (the parsed site and its plan) and no reference cycles, and
they live until the build ends. The collector would scan them again and again for nothing: while
checking it is off (2 s of 3 s at 1,000 materials), and afterwards what checking made is frozen
(left out of every collection: reading the site's record at N=1000 took 0.6 s instead of 0.35 s).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_frozen = False
"""Inside a `frozen` block. Not `gc.get_freeze_count()`: it counts the frozen objects one by one (0.03-0.05 s
each time after a check at N=1000, five times a build)."""


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No collection in the block. Inside a `frozen` block, what the block made is frozen at its end, before
    collection resumes: the first collection would otherwise scan it all (0.2 s after a check at N=1000)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _frozen:
            gc.freeze()
        if collecting:
            gc.enable()


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """What the process holds now is left out of collections until the end of the block (the outermost
    one: inside another, the block ends with everything still frozen). Worker processes forked meanwhile
    leave it alone too, so its memory pages stay shared with them instead of being copied."""
    global _frozen
    outer = _frozen
    gc.freeze()
    _frozen = True
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()
            _frozen = False
