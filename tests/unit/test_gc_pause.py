"""paused_gc: the collector is off inside the block and back as it was afterwards, even on an error."""

import gc

import pytest

from b2b_cabinet.gc_pause import paused_gc


def test_the_collector_is_paused_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_already_off_stays_off_and_pause_false_changes_nothing():
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with paused_gc(False):
        assert gc.isenabled()
