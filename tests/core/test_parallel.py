"""core.parallel: work in forked processes comes back in order, as it would from one process."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from vern.core.parallel import collector_paused, ordered_map


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_in_the_items_order(workers: int) -> None:
    taken: list[int] = []

    def items() -> Iterator[int]:
        for n in range(20):
            taken.append(n)
            yield n

    results = []
    for result, pid in ordered_map(_square_and_pid, items(), workers=workers):
        results.append(result)
        # Items are taken as results are used: never more than workers + 1 ahead.
        assert len(taken) - len(results) <= max(workers, 1) + 1
        assert (pid == os.getpid()) == (workers == 1)
    assert results == [n * n for n in range(20)]


def test_a_failure_in_a_worker_is_raised_here() -> None:
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(lambda n: 1 // n, [2, 1, 0], workers=1))
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(_reciprocal, [2, 1, 0], workers=2))


def _reciprocal(n: int) -> int:
    return 1 // n


def test_the_collector_is_paused_inside_and_as_before_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause holds
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError
    assert gc.isenabled()
