"""What the server sets aside from the garbage collector after a check is not lost: the
cyclic garbage among it is collected in the next pause, or after `CHECKS_FROZEN` checks
without one."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from protocol_dsl.lsp.collector import CHECKS_FROZEN, Collector


class _Cyclic:
    """An object that refers to itself: only the garbage collector can free it."""

    def __init__(self) -> None:
        self.itself = self


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


def _left_by_a_check(collector: Collector) -> weakref.ref[_Cyclic]:
    garbage = _Cyclic()
    alive = weakref.ref(garbage)
    collector.after_check()
    del garbage
    return alive


def test_cyclic_garbage_a_check_left_is_collected_in_the_pause() -> None:
    collector = Collector()
    alive = _left_by_a_check(collector)
    assert gc.get_freeze_count() > 0
    gc.collect()
    assert alive() is not None  # set aside: a collection inside a check does not walk it
    collector.in_pause()
    assert alive() is None


def test_without_a_pause_it_is_collected_after_so_many_checks() -> None:
    collector = Collector()
    alive = _left_by_a_check(collector)
    for _ in range(CHECKS_FROZEN - 2):
        collector.after_check()
        collector.between_checks()
    assert alive() is not None
    collector.after_check()
    collector.between_checks()
    assert alive() is None
