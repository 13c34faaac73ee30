"""loa/memory.py: the collector off while the build makes its long-lived objects, and those frozen."""

from __future__ import annotations

import gc

from loa.memory import frozen, no_collection


def test_what_a_block_makes_inside_frozen_is_frozen_at_its_end_and_thawed_with_the_outermost() -> None:
    assert gc.get_freeze_count() == 0
    with frozen():
        before = gc.get_freeze_count()
        with no_collection():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(made)  # left out of collections from now on
        with frozen():  # an inner block ends with everything still frozen
            pass
        assert gc.get_freeze_count() >= before + len(made)
    assert gc.get_freeze_count() == 0


def test_outside_frozen_a_block_only_turns_the_collector_off() -> None:
    with no_collection():
        assert not gc.isenabled()
        made = [[n] for n in range(100)]
    assert gc.isenabled() and made
    assert gc.get_freeze_count() == 0
